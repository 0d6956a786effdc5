"""Side effects of single features seen on a realized CPU: CPUID levels and derived words.

Turning one feature on can raise the CPUID levels (``level``, ``xlevel``, ``level-func7``... with
``full-cpuid-auto-level`` on, the default) and set bits in words that no feature name owns (the
XSAVE component words, computed from the features when ``xsave`` is on). Both are observed per
name on ``base``: ``-cpu base,NAME=on`` against ``-cpu base``, and ``-cpu base,xsave=on,NAME=on``
against ``-cpu base,xsave=on``.
"""

from __future__ import annotations

from typing import Any

from model.harvest.cpu_probe import Probe, probe, run_parallel

LEVEL_PROPS = ["level", "xlevel", "xlevel2", "level-func7", "min-level", "min-xlevel", "min-xlevel2"]
PROPS = ["feature-words", "filtered-features", *LEVEL_PROPS]
WordKey = tuple[int, int | None, str]


def _realize(cpu: str) -> Probe:
    return probe(["-machine", "pc", "-cpu", cpu], PROPS)


def _words(p: Probe, which: str) -> dict[WordKey, int]:
    return {(int(e["cpuid-input-eax"]), e.get("cpuid-input-ecx"), str(e["cpuid-register"])): int(e["features"])
            for e in p.props[which]}


def observe_effects(names: list[str], unowned: dict[WordKey, int]) -> dict[str, Any]:
    """``unowned`` maps the CPUID words no name owns to their word index."""
    base = _realize("base")
    with_xsave = _realize("base,xsave=on")
    singles = run_parallel(lambda n: _realize(f"base,{n}=on"), names, "feature levels")
    xsave = run_parallel(lambda n: _realize(f"base,xsave=on,{n}=on"), names, "xsave components")
    levels: dict[str, dict[str, Any]] = {}
    components: dict[str, dict[str, dict[str, int]]] = {}
    for name, p, px in zip(names, singles, xsave, strict=True):
        diff = {k: p.props[k] for k in LEVEL_PROPS if p.props[k] != base.props[k]}
        if diff:
            levels[name] = diff
        added: dict[str, dict[str, int]] = {}
        for which in ("feature-words", "filtered-features"):
            now, before = _words(px, which), _words(with_xsave, which)
            for key, index in unowned.items():
                extra = now.get(key, 0) & ~before.get(key, 0)
                if extra:
                    added.setdefault(which, {})[str(index)] = extra
        if added:
            components[name] = added
    return {
        "base_levels": {k: base.props[k] for k in LEVEL_PROPS},
        "level_effects": levels,
        "xsave_on_unowned_words": {
            which: {str(i): _words(with_xsave, which).get(k, 0) for k, i in unowned.items()}
            for which in ("feature-words", "filtered-features")},
        "xsave_components": components,
    }
