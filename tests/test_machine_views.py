"""The monitor-view parsers and renderers against every text the real binary printed."""

from __future__ import annotations

import json

import pytest

from model.harvest.machine import CASES_FILE, read_jsonl
from tracer.machine.pci import parse_pci, pci_to_data, render_pci_json
from tracer.machine.qomtree import QomNode, ViewParseError, parse_qom_tree, render_qom_tree
from tracer.machine.qtree import parse_qtree, render_qtree

_, CASES = read_jsonl(CASES_FILE)
UP = [c for c in CASES if "qom_tree" in c]


def _id(case: dict[str, object]) -> str:
    return " ".join(case["args"])  # type: ignore[arg-type]


@pytest.mark.parametrize("case", UP, ids=_id)
def test_every_harvested_view_round_trips(case: dict[str, object]) -> None:
    qom, qtree = case["qom_tree"], case["qtree"]
    assert isinstance(qom, str) and isinstance(qtree, str)
    assert render_qom_tree(parse_qom_tree(qom)) == qom
    assert render_qtree(parse_qtree(qtree)) == qtree
    buses = parse_pci(case["pci"])
    assert pci_to_data(buses) == case["pci"]
    assert json.loads(render_pci_json(buses)) == case["pci"]


def test_harvest_covers_the_machines_and_both_outcomes() -> None:
    machines = {c["args"][1].split(",")[0] for c in CASES if c["args"][:1] == ["-machine"]}
    assert {"pc", "q35", "isapc", "microvm", "none"} <= machines
    assert len(UP) >= 60 and len(CASES) - len(UP) >= 20


def test_qom_children_print_in_strcmp_order() -> None:
    """A tree built in creation order prints sorted as C's strcmp sorts (']' after digits)."""
    kids = tuple(QomNode(f"device[{i}]", "x") for i in (0, 1, 2, 10))
    text = render_qom_tree(QomNode("machine", "m", kids), eol="\n")
    assert text.splitlines()[1:] == ["  /device[0] (x)", "  /device[10] (x)", "  /device[1] (x)", "  /device[2] (x)"]


def test_qom_find_follows_a_path() -> None:
    tree = parse_qom_tree(UP[0]["qom_tree"])
    node = tree.find("/machine/unattached/device[0]")
    assert node is not None and node.type.endswith("-x86_64-cpu")
    assert tree.find("/machine/nosuch") is None


@pytest.mark.parametrize("text", ["", "machine (x)\n", "/machine (x)\n    /deep (y)\n", "/a (x)\n/b (y)\n"])
def test_bad_qom_tree_text_is_refused(text: str) -> None:
    with pytest.raises(ViewParseError):
        parse_qom_tree(text)


@pytest.mark.parametrize("text", ["", "dev: x, id \"\"\n", "bus: main\n", "bus: m\n  type S\n      deep\n"])
def test_bad_qtree_text_is_refused(text: str) -> None:
    with pytest.raises(ViewParseError):
        parse_qtree(text)


def test_bad_pci_value_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_pci([{"bus": 0}])
