"""``info qtree|pci|mtree --at N``: the machine mid-startup, from a re-run of the model stopped at N."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from tracer.cli import main
from tracer.fileio import save_trace
from tracer.machine.mtree import render_mtree
from tracer.machine.pci import pci_to_data
from tracer.machine.qtree import render_qtree
from tracer.machine.rerun import RerunError, views_at
from tracer.record import record_trace
from tracer.trace import Trace

BASE = ["-accel", "tcg", "-S", "-display", "none", "-nodefaults"]
LINES = {
    "pc-e1000": ["-machine", "pc", "-device", "e1000"],
    "q35-usb": ["-machine", "q35", "-device", "virtio-net-pci", "-device", "qemu-xhci", "-device", "usb-tablet"],
    "isapc": ["-machine", "isapc"],
    "microvm": ["-machine", "microvm"],
    "bridge": ["-machine", "pc", "-device", "pci-bridge,chassis_nr=1,id=b", "-device", "rtl8139,bus=b,addr=3"],
}


@pytest.fixture(scope="module")
def traces() -> dict[str, Trace]:
    return {name: record_trace([*BASE, *args]) for name, args in LINES.items()}


@pytest.mark.parametrize("name", sorted(LINES))
def test_the_last_event_shows_what_the_trace_recorded(traces: dict[str, Trace], name: str) -> None:
    trace = traces[name]
    views = views_at(trace, len(trace.events) - 1)
    recorded = trace.result.machine_views
    assert recorded is not None and views.qtree is not None and views.pci is not None
    assert render_qtree(views.qtree, "\n") == recorded.qtree
    assert pci_to_data(views.pci) == recorded.pci
    assert views.mtree is not None and views.mtree_at == len(trace.events) - 1
    assert render_mtree(views.mtree) == recorded.mtree


def _lines(views: object) -> str:
    return render_mtree(views.mtree)  # type: ignore[attr-defined]


def test_the_memory_map_grows_region_by_region(traces: dict[str, Trace]) -> None:
    """Outside a transaction the views are the tree's at that very event: once plugged into its
    bus the e1000 has no DMA space yet, by its own realize the PCI core has made it; the first
    region the PIIX3 maps is absent just before the call that maps it and present once that
    call has returned."""
    trace = traces["pc-e1000"]
    call = next(e for e in trace.events if e.kind == "call" and e.fn == "isa_register_ioport"
                and e.args and e.args.get("region") == "piix3-reset-control")
    done = next(e.seq for e in trace.events[call.seq:] if e.kind == "return" and e.call == call.seq)
    before, after = views_at(trace, call.seq - 1), views_at(trace, done)
    assert before.mtree_at == call.seq - 1 and after.mtree_at == done
    assert "piix3-reset-control" not in _lines(before) and "piix3-reset-control" in _lines(after)
    plug = next(e.seq for e in trace.events if e.fn == "bus_plug" and e.args and e.args.get("type") == "e1000")
    realize = next(e.seq for e in trace.events if e.kind == "call" and e.fn == "pci_e1000_realize")
    assert 'AS "e1000"' not in _lines(views_at(trace, plug)) and 'AS "e1000"' in _lines(views_at(trace, realize))


def test_inside_a_transaction_the_views_are_those_it_commits(traces: dict[str, Trace]) -> None:
    """QEMU swaps the flat views in at commit: an event inside a transaction (a subpage made
    while the new views are built) shows the views as of the first event after it commits."""
    trace = traces["isapc"]
    commit = next(e for e in trace.events if e.kind == "call" and e.fn == "memory_region_transaction_commit"
                  and e.args and e.args.get("pending") and trace.events[e.seq + 1].fn == "subpage_init")
    inside = views_at(trace, commit.seq + 1)
    assert inside.mtree_at is not None and inside.mtree_at > commit.seq + 1
    settled = views_at(trace, inside.mtree_at)
    assert settled.mtree_at == inside.mtree_at and _lines(settled) == _lines(inside)


@pytest.mark.parametrize("name", sorted(LINES))
def test_every_part_of_startup_can_be_shown(traces: dict[str, Trace], name: str) -> None:
    """A sample of events across the whole run, mid-realize included: each gives a view or no
    machine yet, and once the machine exists it stays."""
    trace = traces[name]
    seen_machine = False
    for seq in range(0, len(trace.events), 1009):
        views = views_at(trace, seq)
        if views.qtree is None:
            assert not seen_machine, f"the machine vanished at event {seq}"
        else:
            seen_machine = True
            render_qtree(views.qtree, "\n")
    assert seen_machine


def test_a_pci_device_joins_the_bus_then_takes_its_slot(traces: dict[str, Trace]) -> None:
    """``qdev_realize`` puts the e1000 on the bus before its realize picks a devfn: in between,
    ``info qtree`` prints the unset devfn as QEMU does (PCI_SLOT(-1) is 1f, PCI_FUNC 7) and no
    BARs, and ``query-pci`` does not list it yet."""
    trace = traces["pc-e1000"]
    plug = next(e.seq for e in trace.events if e.fn == "bus_plug" and e.args and e.args.get("type") == "e1000")
    realize = next(e for e in trace.events if e.kind == "call" and e.fn == "pci_e1000_realize")
    done = next(e.seq for e in trace.events[realize.seq:] if e.kind == "return" and e.call == realize.seq)
    before, during, after = views_at(trace, plug - 1), views_at(trace, plug), views_at(trace, done)
    assert before.qtree is not None and "dev: e1000" not in render_qtree(before.qtree, "\n")
    assert during.qtree is not None and during.pci is not None and after.pci is not None
    text = render_qtree(during.qtree, "\n")
    e1000 = text[text.index("dev: e1000"):]
    assert "addr = <unset>" in e1000 and "addr 00:1f.7" in e1000 and "bar 0" not in e1000.split("dev:")[1]
    ids = [[d.id.device for d in bus.devices] for bus in during.pci]
    assert 0x100E not in ids[0]
    assert 0x100E in [d.id.device for d in after.pci[0].devices]


def test_a_trace_the_model_does_not_reproduce_is_refused(traces: dict[str, Trace]) -> None:
    trace = traces["isapc"]
    events = list(trace.events)
    events[10] = msgspec.structs.replace(events[10], fn="something_else")
    edited = msgspec.structs.replace(trace, events=events)
    with pytest.raises(RerunError, match="event 10 differs"):
        views_at(edited, 5000)
    views_at(edited, 9)  # the events up to 9 are still the model's


def test_an_unknown_host_profile_is_refused(traces: dict[str, Trace]) -> None:
    trace = traces["isapc"]
    other = msgspec.structs.replace(trace, meta=msgspec.structs.replace(trace.meta, host_profile="no-such-host"))
    with pytest.raises(RerunError, match="host profile 'no-such-host'"):
        views_at(other, 5000)


def test_cli_prints_the_views_at_an_event(traces: dict[str, Trace], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    trace = traces["q35-usb"]
    path = tmp_path / "q35.json"
    save_trace(trace, path)
    last = len(trace.events) - 1
    assert main(["info", str(path), "pci", "--at", str(last)]) == 0
    assert json.loads(capsys.readouterr().out) == trace.result.machine_views.pci  # type: ignore[union-attr]
    tablet = next(e.seq for e in trace.events if e.fn == "bus_plug" and e.args and e.args.get("type") == "usb-tablet")
    assert main(["info", str(path), "qtree", "--at", str(tablet - 1)]) == 0
    assert "dev: usb-tablet" not in capsys.readouterr().out
    assert main(["info", str(path), "qtree", "--at", str(tablet), "--json"]) == 0
    assert "usb-tablet" in capsys.readouterr().out
    assert main(["info", str(path), "mtree", "--at", str(last)]) == 0
    assert capsys.readouterr().out == trace.result.machine_views.mtree  # type: ignore[union-attr]
    commit = next(e.seq for e in trace.events if e.kind == "call" and e.fn == "memory_region_transaction_commit"
                  and e.args and e.args.get("pending") and trace.events[e.seq + 1].fn == "subpage_init")
    assert main(["info", str(path), "mtree", "--at", str(commit + 1), "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)[0]["ranges"] and "inside a memory transaction" in err
