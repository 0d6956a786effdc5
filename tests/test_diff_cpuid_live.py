"""The CPUID bit-name table (tracer.diff.cpuid) against the real qemu-system-x86_64 7.2: for
several CPU models, every named bit of ``feature-words`` must equal the boolean QOM property of
that name, and no unnamed bit may be set outside the XSAVE component masks."""

from __future__ import annotations

import pytest

from tracer.diff.cpuid import AMD_ALIAS_BITS, CPUID_BIT_NAMES, XSAVE_COMPONENTS, bit_name, word_key
from tracer.diff.semantic import FEATURE_ALIASES

session = pytest.importorskip("model.harvest.session")

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(session.qemu_binary() is None, reason="qemu-system-x86_64 is not installed"),
]

CPU_PATH = "/machine/unattached/device[0]"


@pytest.mark.parametrize("model", ["qemu64", "Skylake-Client", "EPYC", "max"])
def test_named_bits_match_the_boolean_properties(model: str) -> None:
    with session.QemuSession(["-machine", "pc", "-cpu", model]) as qmp:
        words = qmp.cmd("qom-get", path=CPU_PATH, property="feature-words")
        properties = {p["name"] for p in qmp.cmd("qom-list", path=CPU_PATH)}
        problems = []
        assert {word_key(w) for w in words} == set(CPUID_BIT_NAMES)
        for word in words:
            key = word_key(word)
            assert key is not None
            for bit in range(32):
                is_set = bool(word["features"] >> bit & 1)
                name = bit_name(key, bit)
                if name is None:
                    if is_set and key not in XSAVE_COMPONENTS:
                        problems.append(f"unnamed bit {key} {bit} is set")
                    continue
                if key == (0x80000001, None, "EDX") and bit in AMD_ALIAS_BITS:
                    continue  # a copy of the leaf-1 bit on AMD only; the property is the leaf-1 bit
                if name not in properties:
                    problems.append(f"{name} is not a property")
                elif qmp.cmd("qom-get", path=CPU_PATH, property=name) != is_set:
                    problems.append(f"{name}: property differs from {key} bit {bit}")
        missing_aliases = [alias for alias in FEATURE_ALIASES if alias not in properties]
    assert problems == []
    assert missing_aliases == []
