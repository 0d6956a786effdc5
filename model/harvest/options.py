"""Harvest QEMU's command-line option table by probing the binary.

QEMU's ``lookup_opt`` matches option names exactly against a table compiled into the binary.
The table itself is not exposed over QMP, so we derive it from behaviour, with probes that
stop in QEMU's first option pass and so never start a VM:

* ``qemu -NAME -zz-vmtrace-probe``: "-NAME: invalid option" means NAME is not in the table;
  "-zz-vmtrace-probe: invalid option" means NAME is an option without an argument (the
  first pass moved on to the next word); anything else means NAME took the next word as its
  argument.
* ``qemu -NAME`` for those: "-NAME: requires an argument" confirms ``HAS_ARG``.
* ``qemu -NAME [help] -machine help`` in an empty directory: "Option not supported for this
  target" reveals options compiled in for other architectures only.

Candidate names are the option-shaped strings of the binary plus every name ``-help`` shows.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from model.harvest.session import qemu_binary

PROBE_WORD = "-zz-vmtrace-probe"
_NAME_RE = re.compile(rb"^[a-zA-Z][a-zA-Z0-9_-]{0,23}$")


@dataclass(frozen=True)
class OptionFact:
    name: str
    has_arg: bool
    x86: bool


def _run(args: list[str], cwd: str, timeout: float = 10.0) -> tuple[int, str]:
    binary = qemu_binary()
    assert binary is not None
    try:
        proc = subprocess.run([binary, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout,
                              stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        return -1, ""
    return proc.returncode, proc.stderr


def candidate_names(help_text: str) -> list[str]:
    """Option-shaped strings of the binary, plus the names printed by ``-help``."""
    binary = qemu_binary()
    assert binary is not None
    data = open(binary, "rb").read()
    names = {m.decode() for m in re.findall(rb"[\x20-\x7e]+", data) if _NAME_RE.match(m)}
    names |= set(re.findall(r"(?:^|/| or )-([a-zA-Z][a-zA-Z0-9_.-]*)", help_text, re.M))
    return sorted(names)


def probe(name: str, cwd: str) -> OptionFact | None:
    """Classify one candidate name (None: not an option)."""
    _, err = _run([f"-{name}", PROBE_WORD], cwd)
    if f"-{name}: invalid option" in err:
        return None
    if f"{PROBE_WORD}: invalid option" in err:
        has_arg = False
    else:
        _, err2 = _run([f"-{name}"], cwd)
        if f"-{name}: requires an argument" not in err2:
            return None
        has_arg = True
    check_args = [f"-{name}", "help"] if has_arg else [f"-{name}"]
    _, err3 = _run([*check_args, "-machine", "help"], cwd)
    return OptionFact(name, has_arg, "Option not supported for this target" not in err3)


def harvest_options(help_text: str, workers: int = 2) -> list[OptionFact]:
    names = candidate_names(help_text)
    facts: list[OptionFact] = []
    with tempfile.TemporaryDirectory(prefix="vmtrace-opt-") as cwd, ThreadPoolExecutor(workers) as pool:
        env_cwd = os.path.realpath(cwd)
        for i, fact in enumerate(pool.map(lambda n: probe(n, env_cwd), names), 1):
            if i % 2000 == 0 or i == len(names):
                print(f"  options: probed {i}/{len(names)} candidate names", file=sys.stderr)
            if fact is not None:
                facts.append(fact)
    return sorted(facts, key=lambda f: f.name)
