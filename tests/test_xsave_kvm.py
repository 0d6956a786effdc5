"""XSAVE components under modelled KVM: what the host lacks is filtered and listed again.

The oracle is libvirt's recordings of QEMU's ``query-cpu-definitions`` under KVM on real hosts:
each model's ``unavailable-features`` is what QEMU filtered when realizing it there, XCR0
components included (named after the feature that owns them). KVM cannot run here, so the
model runs each named CPU model against the shipped host profile built from the same machine.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from model.harvest.host_profile import raw_xcr0, xcr0_of_feature_words
from model.run import run_qemu
from model.target_i386.host_profile import HOSTS_DIR, HostProfileError, parse_profile, resolve_profile
from model.target_i386.xsave import default_xcr0, offered_xcr0

AVX512_TAIL = ["avx512f", "avx512f", "avx512f"]  # the three AVX-512 state components
SKX = ["avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"]


def _profile(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HOSTS_DIR / f"{name}.json").read_text())
    return data


def unavailable(profile: dict[str, Any], *cpu: str) -> list[str]:
    run = run_qemu(["-accel", "kvm", "-S", "-display", "none", "-nodefaults", "-machine", "pc", "-cpu", ",".join(cpu)],
                   host_profile=profile)
    assert run.exit_status == 0 and run.cpu is not None, run.stderr
    names: list[str] = run.cpu["unavailable-features"]
    return names


# QEMU 7.2.0 itself: every versioned model's unavailable-features in its KVM query-cpu-definitions
# on the Ryzen 9 3900X the Ryzen-9-3900X profile was built from (provenance in the file). The
# raw CPUID 0xD reports PKRU state (0x207) but the host has no pku, so Linux never enables it:
# pku is listed twice, and avx512f four times, mpx three times.
RYZEN_7_2: dict[str, list[str]] = json.loads(
    (Path(__file__).parent / "conformance" / "kvm_cpu_definitions_7_2_ryzen.json").read_text())["models"]


@pytest.mark.parametrize("model", sorted(RYZEN_7_2))
def test_ryzen_9_3900x_matches_qemu_7_2_under_kvm(model: str) -> None:
    assert unavailable(_profile("Ryzen-9-3900X"), model) == RYZEN_7_2[model]


def test_the_qemu_7_2_recording_covers_every_xsave_owner_that_can_be_missing() -> None:
    counts = [names.count(f) for names in RYZEN_7_2.values() for f in ("avx512f", "mpx", "pku")]
    assert {4, 3, 2} <= set(counts) and len(RYZEN_7_2) >= 60


# libvirt tests/cputestdata/x86_64-cpuid-EPYC-7713-64-Core.json (commit
# e7be4feea18de8c109883cf003b7c68413cc0182), the recording the EPYC-7713 profile comes from.
# NOT QEMU 7.2: a QEMU that knows avx512-fp16 (7.1 or later) but predates the ibrs name, so
# EPYC-Milan (which gains ibrs in our 7.2 model) is left out. XCR0 0x207: no MPX or AVX-512 state.
EPYC_7713 = {
    "Skylake-Server-v4": [*SKX, *AVX512_TAIL],
    "Skylake-Server-v1": ["hle", "rtm", *SKX, *AVX512_TAIL],
    "Snowridge-v1": ["mpx", "gfni", "cldemote", "movdiri", "movdir64b", "core-capability", "mpx", "mpx",
                     "split-lock-detect"],
    "Denverton-v1": ["mpx", "mpx", "mpx"],
    "KnightsMill-v1": ["ss", "avx512f", "avx512pf", "avx512er", "avx512cd", "avx512-vpopcntdq", "avx512-4vnniw",
                       "avx512-4fmaps", *AVX512_TAIL],
    "Icelake-Server-v4": ["avx512f", "avx512dq", "avx512ifma", "avx512cd", "avx512bw", "avx512vl", "avx512vbmi",
                          "avx512vbmi2", "gfni", "avx512vnni", "avx512bitalg", "avx512-vpopcntdq", "la57",
                          *AVX512_TAIL, "ibrs-all", "taa-no"],
    "Cooperlake-v1": ["hle", "rtm", *SKX, "avx512vnni", "avx512-bf16", *AVX512_TAIL, "ibrs-all", "taa-no"],
    "Cascadelake-Server-v4": [*SKX, "avx512vnni", *AVX512_TAIL, "ibrs-all"],
    "Skylake-Client-v3": [],
}


@pytest.mark.parametrize("model", sorted(EPYC_7713))
def test_epyc_7713_matches_its_recording_under_kvm(model: str) -> None:
    assert unavailable(_profile("EPYC-7713"), model) == EPYC_7713[model]


def test_xeon_platinum_8268_has_every_state_component() -> None:
    """libvirt tests/cputestdata/x86_64-cpuid-Xeon-Platinum-8268.json (commit
    e024625735daec9f9f0bc292f06e37d7099805f1), NOT QEMU 7.2 (an old QEMU without versioned
    models): KnightsMill's AVX-512 extensions are missing but avx512f and its state are not."""
    xeon = _profile("Xeon-Platinum-8268")
    assert unavailable(xeon, "KnightsMill") == ["avx512pf", "avx512er", "avx512-vpopcntdq", "avx512-4vnniw",
                                                "avx512-4fmaps"]
    assert unavailable(xeon, "Haswell") == []


def test_a_host_without_avx512_state_filters_the_components_and_names_their_feature() -> None:
    """The CPUID bit is offered but its register state is not: only the components go, each
    listed under avx512f, and ``check`` warns about each component bit as QEMU does."""
    lacking = {**_profile("Xeon-Platinum-8268"), "name": "no-zmm", "xcr0": "0x21f"}  # x87..MPX, PKRU
    run = run_qemu(["-accel", "kvm", "-S", "-display", "none", "-nodefaults", "-machine", "pc",
                    "-cpu", "Skylake-Server-v4,check=on"], host_profile=lacking)
    assert run.exit_status == 0 and run.cpu is not None
    assert run.cpu["unavailable-features"] == AVX512_TAIL
    assert run.cpu["avx512f"] is True
    xcr0 = [w for w in run.cpu["filtered-features"]
            if w["cpuid-input-eax"] == 0xD and w.get("cpuid-input-ecx") == 0 and w["cpuid-register"] == "EAX"]
    assert [w["features"] for w in xcr0] == [0xE0]
    warned = [line for line in run.stderr if "CPUID.0DH:EAX" in line]
    assert [line.split(": ", 1)[1] for line in warned] == [
        f"warning: host doesn't support requested feature: CPUID.0DH:EAX [bit {b}]" for b in (5, 6, 7)]
    enforce = run_qemu(["-accel", "kvm", "-S", "-display", "none", "-nodefaults", "-machine", "pc",
                        "-cpu", "Skylake-Server-v4,enforce=on"], host_profile=lacking)
    assert enforce.exit_status == 1
    assert enforce.stderr[-1].endswith("Host doesn't support requested features")


def test_a_host_without_avx512_filters_the_feature_and_its_state() -> None:
    """EPYC-7601 (XCR0 0x7, from its raw dump; no recording of QEMU's filtering exists for it):
    the rule applied to a host with neither AVX-512 nor PKRU."""
    names = unavailable(_profile("EPYC-7601"), "Skylake-Server-v4")
    assert names.count("avx512f") == 4 and names.count("pku") == 2


def test_xcr0_of_the_shipped_profiles_and_its_default() -> None:
    assert {p: resolve_profile(p).xcr0 for p in ("EPYC-7713", "EPYC-7601", "Ryzen-9-3900X", "Xeon-Platinum-8268")} \
        == {"EPYC-7713": 0x207, "EPYC-7601": 0x7, "Ryzen-9-3900X": 0x7, "Xeon-Platinum-8268": 0x2FF}
    assert offered_xcr0(0x207, {"xsave", "avx"}) == 0x7  # PKRU reported, but no pku: Linux leaves it off
    assert default_xcr0({"xsave", "avx", "avx512f"}) == 0xE7
    derived = {k: v for k, v in _profile("EPYC-7713").items() if k != "xcr0"}
    assert parse_profile(derived, "t").xcr0 == 0x207
    with pytest.raises(HostProfileError, match="bad field value"):
        parse_profile({**derived, "xcr0": "0xzz"}, "t")


def test_capture_tool_reads_xcr0_from_feature_words_or_the_cpuid_device(tmp_path: Path) -> None:
    words = [{"cpuid-input-eax": 0xD, "cpuid-input-ecx": 0, "cpuid-register": "EDX", "features": 0},
             {"cpuid-input-eax": 0xD, "cpuid-input-ecx": 0, "cpuid-register": "EAX", "features": 0x207},
             {"cpuid-input-eax": 0xD, "cpuid-input-ecx": 1, "cpuid-register": "EAX", "features": 0xF}]
    assert xcr0_of_feature_words(words) == 0x207
    assert raw_xcr0(str(tmp_path / "no-such-cpuid")) is None
