"""``vmtrace diff`` compares the machines too: composition, PCI functions, properties."""

from __future__ import annotations

import functools

import jsonschema

from tracer.diff import diff_traces
from tracer.diff.machine import machine_diff
from tracer.diff.schema import DIFF_SCHEMA
from tracer.record import record_trace
from tracer.trace import Trace

BASE = ["-accel", "tcg", "-S", "-display", "none", "-nodefaults"]


@functools.cache
def trace(*args: str) -> Trace:
    return record_trace([*BASE, *args])


def test_same_machine_is_equal() -> None:
    d = machine_diff(trace("-machine", "pc"), trace("-machine", "pc"))
    assert d.available and d.equal


def test_a_board_option_removes_a_device_and_renumbers() -> None:
    d = machine_diff(trace("-machine", "pc"), trace("-machine", "pc,hpet=off"))
    assert ("/machine/unattached/device[8]", "hpet", "mc146818rtc") in d.retyped
    assert ("/machine/unattached/device[26]", "smbus-eeprom") in d.only_a  # one device fewer at the end
    assert not any(t.endswith("-machine") or t == "smbus-eeprom" for _, t in d.only_b)


def test_pci_functions_and_properties() -> None:
    d = machine_diff(trace("-machine", "pc"), trace("-machine", "pc", "-device", "e1000,id=n0"))
    assert d.pci == [("00:02.0", None, "8086:100e id=n0")]
    assert ("/machine/peripheral/n0", "e1000") in d.only_b
    g = machine_diff(trace("-machine", "pc"), trace("-machine", "pc", "-global", "i8042.kbd-irq=3"))
    assert g.properties == [("i8042#0", "kbd-irq", "1 (0x1)", "3 (0x3)")]


def test_a_failed_startup_has_no_machine_to_compare() -> None:
    d = machine_diff(trace("-machine", "pc"), trace("-machine", "pc", "-device", "nosuch"))
    assert not d.available and d.equal


def test_the_json_document_carries_it_and_validates() -> None:
    doc = diff_traces(trace("-machine", "pc"), trace("-machine", "q35")).to_json()
    jsonschema.validate(doc, DIFF_SCHEMA)
    assert doc["devices"]["available"] and not doc["devices"]["equal"] and not doc["equal"]
    assert {"path": "/machine/q35", "type": "q35-pcihost"} in doc["devices"]["only_b"]
