"""Live checks against the installed qemu-system-x86_64 (CI installs it): the committed
harvested data must still be what the binary says. Skipped when the binary is absent."""

from __future__ import annotations

import shutil
import tempfile

import pytest

from model.data_files import load_json

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None, reason="qemu-system-x86_64 is not installed"),
]


def test_types_machines_and_help_texts_still_match() -> None:
    from model.harvest import qemu_init

    assert qemu_init.main(["--check", "--skip-options"]) == 0


def test_cpu_properties_still_match() -> None:
    from model.harvest import x86_props

    assert x86_props.main(["--check"]) == 0


def test_unnamed_definition_bits_still_match() -> None:
    from model.harvest import x86_unnamed

    assert x86_unnamed.main(["--check"]) == 0


def test_qemu_init_cases_still_match() -> None:
    """A sample spread over the list (all of them: ``python -m model.harvest.init_cases --check``)."""
    from model.harvest import init_cases

    assert init_cases.main(["--check", "--limit", "6"]) == 0


@pytest.mark.parametrize("name", ["cpu", "machine", "S", "nodefaults", "prom-env", "semihosting", "enable-kvm",
                                  "m", "no-such-option", "M"])
def test_option_table_entries_still_match(name: str) -> None:
    """Probe a sample of the option table (the full probe takes minutes: run
    ``python -m model.harvest.qemu_init --check`` for all of it)."""
    from model.harvest.options import probe

    table = {o["name"]: o for o in load_json("options.json")["options"]}
    with tempfile.TemporaryDirectory() as cwd:
        fact = probe(name, cwd)
    if fact is None:
        assert name not in table
    else:
        assert table[name] == {"name": fact.name, "has_arg": fact.has_arg, "x86": fact.x86}
