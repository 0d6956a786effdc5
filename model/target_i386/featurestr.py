"""``x86_cpu_parse_featurestr``: what follows the model name in ``-cpu Model,...``.

* ``+feat`` / ``-feat`` are kept verbatim in two global lists and applied at realize;
* ``feat=val`` and a bare ``feat`` (meaning ``feat=on``) become global properties for the
  CPU type, with ``_`` turned into ``-`` in the name, validated only when a CPU applies them;
* mixing ``+feat``/``-feat`` with a later ``feat=...`` warns (the other order does not);
* ``tsc-freq`` takes a metric size (``2.5G``) and becomes ``tsc-frequency``;
* empty items (``,,``) are skipped. Only the first call does anything (QEMU keeps a static
  flag), which matters for hotplugged CPUs.
"""

from __future__ import annotations

from model.errors import QemuError
from model.qom.qdev import GlobalProperty
from model.softmmu.memory import qemu_strtosz
from model.state import QemuInit
from tracer.recorder import point, traced

INT64_MAX = 2**63 - 1


def qemu_strtosz_metric(text: str) -> int | None:
    """A size with decimal (1000-based) suffixes; None if QEMU rejects it."""
    return qemu_strtosz(text, unit=1000)


@traced("target/i386/cpu.c", args=lambda q, typename, features: {"type": typename, "features": features})
def x86_cpu_parse_featurestr(q: QemuInit, typename: str, features: str | None) -> None:
    """Split ``-cpu``'s feature string: ``+feat``/``-feat`` go to lists applied at realize, while
    ``feat=val`` and a bare ``feat`` (``=on``) become global properties for the CPU type, checked
    only when a CPU applies them. Mixing ``+x`` with a later ``x=...`` warns; ``tsc-freq`` takes
    a metric size; empty items are skipped."""
    if q.cpu_features.globals_initialized:
        return
    q.cpu_features.globals_initialized = True
    plus, minus = q.cpu_features.plus, q.cpu_features.minus
    if features is None:
        return
    ambiguous = False
    for item in features.split(","):
        if not item:
            continue
        if item[0] == "+":
            plus.append(item[1:])
            point("plus_feature", f"+{item[1:]} will be set at realize", feature=item[1:])
            continue
        if item[0] == "-":
            minus.append(item[1:])
            point("minus_feature", f"-{item[1:]} will be cleared at realize", feature=item[1:])
            continue
        name, sep, val = item.partition("=")
        if not sep:
            val = "on"
        name = name.replace("_", "-")
        if name in plus:
            q.console.warn_report(f'Ambiguous CPU model string. Don\'t mix both "+{name}" and "{name}={val}"')
            ambiguous = True
        if name in minus:
            q.console.warn_report(f'Ambiguous CPU model string. Don\'t mix both "-{name}" and "{name}={val}"')
            ambiguous = True
        if name == "tsc-freq":
            freq = qemu_strtosz_metric(val)
            if freq is None or freq > INT64_MAX:
                raise QemuError(f"bad numerical value {val}")
            val, name = str(freq), "tsc-frequency"
        q.globals.register(GlobalProperty(typename, name, val))
    if ambiguous:
        q.console.warn_report("Compatibility of ambiguous CPU model strings won't be kept on future QEMU versions")
