"""Consistency of the harvested x86 CPU data and conformance expectations (and a live re-check).

The full re-harvest checks are documented commands (they take about a minute):
``python -m model.harvest.x86_cpu --check`` and ``python -m model.harvest.conformance --check``.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from model.harvest.x86_models import parse_help_models

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "model" / "data"
CONFORMANCE = ROOT / "tests" / "conformance"


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def features() -> dict[str, Any]:
    doc: dict[str, Any] = _load(DATA / "x86_feature_words.json")
    return doc


@pytest.fixture(scope="module")
def models() -> dict[str, Any]:
    doc: dict[str, Any] = _load(DATA / "x86_cpu_models.json")
    return doc


@pytest.fixture(scope="module")
def help_models() -> dict[str, str]:
    return parse_help_models((DATA / "x86_cpu_help.txt").read_text(encoding="utf-8"))


def test_every_file_names_its_qemu_version_and_source() -> None:
    for path in [*DATA.glob("x86_*.json"), *CONFORMANCE.glob("*.json")]:
        doc = _load(path)
        assert re.fullmatch(r"7\.2\.\d+", doc["qemu_version"]), path
        assert len(doc["source"]) > 50, path


def test_feature_bits_are_unique_and_cover_every_flag(features: dict[str, Any]) -> None:
    seen: dict[tuple[int, int], str] = {}
    placed: set[str] = set()
    for word in features["words"]:
        for feat in word["features"]:
            key = (word["index"], feat["bit"])
            assert key not in seen, f"{key} named {seen[key]} and {feat['name']}"
            seen[key] = feat["name"]
            placed.add(feat["name"])
    flags = set(features["help_flag_names"])
    assert placed | set(features["unplaced_features"]) == flags
    assert not placed & set(features["unplaced_features"])


def test_feature_words_are_in_order_with_consistent_labels(features: dict[str, Any]) -> None:
    words = features["words"]
    assert [w["index"] for w in words] == list(range(len(words)))
    cpuid = [w for w in words if w["type"] == "cpuid"]
    assert sorted(w["qmp_position"] for w in cpuid) == list(range(len(cpuid)))
    # QMP lists feature-words in reverse FeatureWord order.
    assert [w["qmp_position"] for w in cpuid] == sorted((w["qmp_position"] for w in cpuid), reverse=True)
    for w in words:
        if w["type"] == "cpuid":
            assert w["label"] == f"CPUID.{w['cpuid_eax']:02X}H:{w['cpuid_register']}"
        else:
            assert w["label"] == f"MSR({w['msr_index']:02X}H)"
    warned = {line.split(": ", 1)[1].rsplit(".", 1)[0] for line in features["all_requested_warning_lines"]
              if "[bit" in line}
    assert warned <= {w["label"] for w in words}


def test_aliases_and_dependencies_name_real_properties(features: dict[str, Any]) -> None:
    flags = set(features["help_flag_names"])
    for alias, info in features["aliases"].items():
        assert alias not in flags
        assert info["target"] not in features["aliases"]
    for parent, kids in features["dependencies"].items():
        assert parent in flags
        assert set(kids) <= flags
    for parent, warned in features["dependency_warnings_by_parent"].items():
        assert set(warned) <= set(features["dependencies"][parent])
    table = features["dependency_table"]
    assert table["fit_runs_reproduced"][0] == table["fit_runs_reproduced"][1]
    assert table["holdout_runs_reproduced"][0] == table["holdout_runs_reproduced"][1]
    for entry in table["entries"]:
        assert {name for name, _ in entry["children"]} <= set(features["dependencies"][entry["parent"]])


def test_every_help_model_has_a_record_and_definition(models: dict[str, Any], help_models: dict[str, str]) -> None:
    assert len(help_models) == 132
    assert set(models["models"]) == set(help_models)
    assert models["help_order"] == list(help_models)
    for name, rec in models["models"].items():
        assert rec["help"] == help_models[name]
        m = re.fullmatch(r"(.+)-v(\d+)", name)
        if m:
            assert m[2] in models["definitions"][m[1]]["versions"], name
        elif name in ("base", "max", "host"):
            assert name in models["special"]
        else:
            target = rec["alias_of"]
            assert target in models["models"], name
            base, version = re.fullmatch(r"(.+)-v(\d+)", target).groups()  # type: ignore[union-attr]
            assert version in models["definitions"][base]["versions"]


def test_definitions_use_canonical_feature_names(models: dict[str, Any], features: dict[str, Any]) -> None:
    flags = set(features["help_flag_names"])
    for base, definition in models["definitions"].items():
        versions = definition["versions"]
        assert "features" in versions["1"] and "props" not in versions["1"], base
        assert set(versions["1"]["features"]) <= flags
        for number, version in versions.items():
            assert isinstance(version["model-id"], str), (base, number)
            assert version["rebuild_mismatches"] == {}, (base, number)
            if number != "1":
                feats = {k for k in version["props"] if k in flags}
                assert all(isinstance(version["props"][k], bool) for k in feats)


def test_machine_compat_covers_every_machine() -> None:
    doc = _load(DATA / "x86_machine_cpu_compat.json")
    machines = doc["machines"]
    assert {"pc-i440fx-7.2", "pc-q35-7.2", "isapc", "microvm", "none"} <= set(machines)
    for name, rec in machines.items():
        if "start_error" in rec:
            continue
        assert rec["unversioned_alias_resolution"] in ("v1", "legacy", "latest"), name
        # every model reproduced; realized-only differences (microvm's host-phys-bits) are listed
        assert all(m.startswith("realized default CPU: ") for m in rec["compat_unverified_models"]), name
        for entry in rec["inferred_compat_props"]:
            assert entry["driver"].endswith("x86_64-cpu") and entry["property"]
    assert machines["pc-i440fx-4.0"]["unversioned_alias_resolution"] == "legacy"
    assert machines["pc-i440fx-4.1"]["unversioned_alias_resolution"] == "v1"
    assert machines["microvm"]["unversioned_alias_resolution"] == "latest"


def _check_cases(doc: dict[str, Any]) -> None:
    ids = [c["id"] for c in doc["cases"]]
    assert len(ids) == len(set(ids))
    assert doc["base_args"][:2] == ["-accel", "tcg"]
    names = set(doc["feature_names"])
    for case in doc["cases"]:
        assert all(isinstance(a, str) for a in case["args"])
        expect = case["expect"]
        assert expect["status"] in ("exited", "running")
        assert all(isinstance(line, str) for line in expect["stderr"])
        if expect["status"] == "exited":
            assert isinstance(expect["exit_status"], int) and expect["cpu"] is None
        else:
            assert expect["exit_status"] is None
            if expect["cpu"] is not None:
                assert set(expect["cpu"]["features_on"]) <= names
                assert set(expect["cpu"]["props"]) == set(doc["value_props"])


def test_conformance_cases_are_well_formed() -> None:
    doc = _load(CONFORMANCE / "cases.json")
    assert len(doc["cases"]) >= 120
    _check_cases(doc)


def test_conformance_models_cover_the_help_list(help_models: dict[str, str]) -> None:
    doc = _load(CONFORMANCE / "models.json")
    _check_cases(doc)
    assert [c["id"] for c in doc["cases"]] == list(help_models)
    host = next(c for c in doc["cases"] if c["id"] == "host")
    assert host["expect"]["status"] == "exited" and host["expect"]["exit_status"] == 1


live = pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None, reason="qemu-system-x86_64 not installed")


@pytest.mark.live
@live
def test_live_models_and_help_match_the_binary() -> None:
    from model.harvest import x86_cpu

    lines: list[str] = []
    assert x86_cpu.main(["--check", "--only", "help,models"], out=lines.append) == 0, "\n".join(lines)


@pytest.mark.live
@live
def test_live_first_conformance_cases_match_the_binary() -> None:
    from model.harvest import conformance

    lines: list[str] = []
    assert conformance.main(["--check", "--only", "cases", "--limit", "6"], out=lines.append) == 0, "\n".join(lines)


def test_bit_map_agrees_with_every_realized_cpu(features: dict[str, Any]) -> None:
    """The word/bit of each name, checked against feature-words and unavailable-features of every
    realized CPU in the conformance files (independent observations of the same binary)."""
    where: dict[tuple[int, int | None, str], dict[int, str]] = {}
    multi = {n for n in features["help_flag_names"] if features["help_flag_names"].count(n) > 1}
    for w in features["words"]:
        if w["type"] == "cpuid":
            key = (w["cpuid_eax"], w["cpuid_ecx"], w["cpuid_register"])
            where[key] = {f["bit"]: f["name"] for f in w["features"] if f["name"] not in multi}
    checked = 0
    for path in ("cases.json", "models.json"):
        for case in _load(CONFORMANCE / path)["cases"]:
            cpu = case["expect"]["cpu"]
            if cpu is None:
                continue
            on = set(cpu["features_on"])
            filtered: set[str] = set()
            for entry in cpu["props"]["filtered-features"]:
                key = (entry["cpuid-input-eax"], entry.get("cpuid-input-ecx"), entry["cpuid-register"])
                filtered |= {n for b, n in where[key].items() if entry["features"] >> b & 1}
            for entry in cpu["props"]["feature-words"]:
                key = (entry["cpuid-input-eax"], entry.get("cpuid-input-ecx"), entry["cpuid-register"])
                for bit, name in where[key].items():
                    assert bool(entry["features"] >> bit & 1) == (name in on), (case["id"], name)
                    checked += 1
            unavailable = set(cpu["props"]["unavailable-features"])
            assert filtered <= unavailable, case["id"]
    assert checked > 10000


def test_definitions_predict_every_realized_model(features: dict[str, Any], models: dict[str, Any]) -> None:
    """v1 features + version props, minus dependents of absent parents, minus what TCG filters,
    is exactly what each model realized plainly on -machine pc shows (unversioned = v1 there)."""
    supported = {f["name"]: f["tcg_supported"] for w in features["words"] for f in w["features"]}
    checked = 0
    for case in _load(CONFORMANCE / "models.json")["cases"]:
        cpu = case["expect"]["cpu"]
        target = models["models"][case["id"]]["alias_of"] or case["id"]
        m = re.fullmatch(r"(.+)-v(\d+)", target)
        if cpu is None or m is None:
            continue
        versions = models["definitions"][m[1]]["versions"]
        feats = set(versions["1"]["features"])
        for number in range(2, int(m[2]) + 1):
            for prop, value in versions[str(number)]["props"].items():
                if isinstance(value, bool):
                    (feats.add if value else feats.discard)(prop)
        for parent, kids in features["dependencies"].items():
            if parent not in feats:
                feats -= set(kids)
        assert {n for n in feats if supported.get(n)} == set(cpu["features_on"]), case["id"]
        checked += 1
    assert checked > 120


def test_level_effects_predict_every_model_level(features: dict[str, Any], models: dict[str, Any]) -> None:
    """With auto-level on, level/xlevel/xlevel2/level-func7 = max(the model's own minimum, the
    level each remaining feature asks for): checked against every version's expansion."""
    effects = features["effects"]["level_effects"]
    for base, definition in models["definitions"].items():
        feats: set[str] = set()
        for number, version in sorted(definition["versions"].items(), key=lambda kv: int(kv[0])):
            if number == "1":
                feats = set(version["features"])
            for prop, value in version.get("props", {}).items():
                if isinstance(value, bool):
                    (feats.add if value else feats.discard)(prop)
            live = set(feats)
            for parent, kids in features["dependencies"].items():
                if parent not in live:
                    live -= set(kids)
            for level, minimum in (("level", "min-level"), ("xlevel", "min-xlevel"), ("xlevel2", "min-xlevel2"),
                                   ("level-func7", None)):
                asks = [effects[n][level] for n in live if level in effects.get(n, {})]
                expected = max([version[minimum] if minimum else 0, *asks])
                assert version["expanded"][level] == expected, (base, number, level)


def test_xsave_components_predict_every_model(features: dict[str, Any], models: dict[str, Any]) -> None:
    """The words no name owns (XSAVE components): 0 without xsave, else the xsave baseline OR the
    bits each remaining feature adds; checked in feature-words and filtered-features of every model."""
    effects = features["effects"]
    words = {w["index"]: w for w in features["words"]}
    for case in _load(CONFORMANCE / "models.json")["cases"]:
        cpu = case["expect"]["cpu"]
        target = models["models"][case["id"]]["alias_of"] or case["id"]
        m = re.fullmatch(r"(.+)-v(\d+)", target)
        if cpu is None or m is None:
            continue
        versions = models["definitions"][m[1]]["versions"]
        feats = set(versions["1"]["features"])
        for number in range(2, int(m[2]) + 1):
            for prop, value in versions[str(number)]["props"].items():
                if isinstance(value, bool):
                    (feats.add if value else feats.discard)(prop)
        for parent, kids in features["dependencies"].items():
            if parent not in feats:
                feats -= set(kids)
        for which, baseline in effects["xsave_on_unowned_words"].items():
            for index, value in baseline.items():
                expected = 0
                if "xsave" in feats:
                    expected = value
                    for n in feats:
                        expected |= effects["xsave_components"].get(n, {}).get(which, {}).get(index, 0)
                w = words[int(index)]
                key = (w["cpuid_eax"], w["cpuid_ecx"], w["cpuid_register"])
                got = next(e["features"] for e in cpu["props"][which]
                           if (e["cpuid-input-eax"], e.get("cpuid-input-ecx"), e["cpuid-register"]) == key)
                assert got == expected, (case["id"], which, index)
