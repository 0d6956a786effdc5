"""Regenerate (or ``--check``) the x86 CPU data files from the real binary.

    python -m model.harvest.x86_cpu            # rewrite model/data/x86_*.json and x86_cpu_help.txt
    python -m model.harvest.x86_cpu --check    # re-harvest, report differences, exit 1 if any
    python -m model.harvest.x86_cpu --only help,models --check

Files: x86_feature_words.json (x86_features), x86_cpu_models.json (x86_models),
x86_cpu_help.txt, x86_machine_cpu_compat.json (x86_machines). Models and machines are derived with
the committed feature-words file (its dependency table and names), so ``features`` runs first.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from model.harvest.cpu_probe import DATA_DIR, compare_text, dump_json
from model.harvest.session import qemu_binary, qemu_version, run_binary
from model.harvest.x86_features import feature_document
from model.harvest.x86_machines import machines_document
from model.harvest.x86_models import models_document

FEATURES = DATA_DIR / "x86_feature_words.json"
MODELS = DATA_DIR / "x86_cpu_models.json"
HELP = DATA_DIR / "x86_cpu_help.txt"
MACHINES = DATA_DIR / "x86_machine_cpu_compat.json"
PARTS = ("features", "models", "help", "machines")


def _features(version: str) -> str:
    return dump_json(feature_document(version))


def _load_features(fresh: dict[str, str]) -> dict[str, Any]:
    text = fresh.get("features") or FEATURES.read_text(encoding="utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


def help_text() -> str:
    """``-cpu help`` stdout, after checking the machine type does not change it."""
    plain = run_binary(["-cpu", "help"])
    for machine in ("pc", "q35", "none", "isapc", "microvm"):
        other = run_binary(["-machine", machine, "-cpu", "help"])
        if other.stdout != plain.stdout or other.exit_status != plain.exit_status:
            raise RuntimeError(f"-machine {machine} -cpu help differs from plain -cpu help")
    return plain.stdout


def harvest(parts: Sequence[str]) -> dict[str, str]:
    """The fresh text of each requested file, keyed by part name."""
    version = qemu_version()
    fresh: dict[str, str] = {}
    if "features" in parts:
        fresh["features"] = _features(version)
    if "models" in parts:
        fresh["models"] = dump_json(models_document(version, _load_features(fresh)))
    if "help" in parts:
        fresh["help"] = help_text()
    if "machines" in parts:
        feats = _load_features(fresh)
        fresh["machines"] = dump_json(machines_document(version, set(feats["aliases"]), set(feats["help_flag_names"])))
    return fresh


PATHS: dict[str, Path] = {"features": FEATURES, "models": MODELS, "help": HELP, "machines": MACHINES}


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(prog="python -m model.harvest.x86_cpu", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files; exit 1 if different")
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)}")
    args = parser.parse_args(argv)
    parts = [p for p in args.only.split(",") if p]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown part(s): {', '.join(unknown)}")
    if qemu_binary() is None:
        print("qemu-system-x86_64 is not installed", file=sys.stderr)
        return 2
    fresh = harvest(parts)
    status = 0
    for part, text in fresh.items():
        path = PATHS[part]
        if args.check:
            diff = compare_text(path, text)
            if diff:
                status = 1
                out("\n".join(diff[:200]))
            else:
                out(f"{path.name}: up to date")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            out(f"wrote {path}")
    return status


if __name__ == "__main__":
    sys.exit(main())
