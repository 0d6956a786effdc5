"""The QAPI enum values device properties accept (``model/data/machine/qapi_enums.json``):
the model takes exactly those, with QEMU's words for any other; a live test re-checks one
enum value by value on the binary."""

from __future__ import annotations

import json

import pytest

from model.data_files import DATA_DIR
from model.errors import QemuError
from model.qom.properties import ObjectProperty, enum_values
from model.run import run_qemu

DATA = json.loads((DATA_DIR / "machine" / "qapi_enums.json").read_text(encoding="utf-8"))
BASE = ["-accel", "tcg", "-S", "-display", "none", "-nodefaults"]


@pytest.mark.parametrize("enum", sorted(DATA["enums"]))
def test_every_harvested_value_is_taken_and_nothing_else(enum: str) -> None:
    prop = ObjectProperty("p", enum)
    values = enum_values(enum)
    assert values and list(values) == DATA["enums"][enum]
    for value in values:
        assert prop.parse(value) == value
    with pytest.raises(QemuError, match="Parameter 'p' does not accept value 'nope'"):
        prop.parse("nope")


def test_a_board_device_global_with_a_value_the_enum_lacks_is_fatal() -> None:
    run = run_qemu([*BASE, "-machine", "pc", "-global", "mc146818rtc.lost_tick_policy=merge"])
    assert run.exit_status == 1 and run.stderr == [
        "qemu-system-x86_64: can't apply global mc146818rtc.lost_tick_policy=merge: "
        "Parameter 'lost_tick_policy' does not accept value 'merge'"]
    delay = run_qemu([*BASE, "-machine", "pc", "-global", "mc146818rtc.lost_tick_policy=delay"])
    assert delay.exit_status == 1 and delay.stderr == ["qemu-system-x86_64: Invalid lost tick policy."]


@pytest.mark.live  # skipped unless the binary is the data's version (tests/conftest.py)
def test_the_binary_still_takes_exactly_these_lost_tick_policies() -> None:
    from model.harvest import qapi_enums  # deferred: the harvester imports the QMP client

    candidates = (*qapi_enums.PROBES["LostTickPolicy"][1], qapi_enums.NOT_A_VALUE)
    taken = [value for _, value, accepted in map(qapi_enums.probe, [("LostTickPolicy", v) for v in candidates])
             if accepted]
    assert taken == DATA["enums"]["LostTickPolicy"]
