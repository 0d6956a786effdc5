"""Hostile inputs for every reader of traces: one generator per class of attack.

Each input is a :class:`Hostile`: an id, the class it belongs to, and how to make it in a
directory (a file, or a FIFO, a directory, a symlink, a device...). ``valid`` says whether a
correct vmtrace must *load* it (then every command must render it correctly) or refuse it
(one ``vmtrace: FILE: problem`` line, exit status 2). Shared by the CLI suite
(``test_hostile_cli.py``) and the TUI suite (``tui/test_tui_hostile.py``).
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Strings that try to act on a terminal, a markup parser or an output format.
ATTACKS = (
    "\x1b[31mred\x1b[0m",                    # ANSI colour
    "\x1b[2J\x1b[H",                          # clear screen, cursor home
    "\x1b]52;c;aGFja2Vk\x07",                 # OSC 52: write the clipboard
    "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x9b31m",                                # C1 CSI
    "\u202eevil\u202c",                       # bidi override
    "\u2066iso\u2069\u200f",                  # bidi isolate, RTL mark
    "[/]",                                    # rich markup: closing tag
    "[link=a:b]x[/link]",                     # rich markup: link
    "[bold red]styled[/]",
    "%%{init: {'theme':'dark'}}%%",           # Mermaid directive
    "&amp;&lt;b&gt;#35;#quot;",               # entities
    "<script>x</script>",
    "a\ufffeb\uffff",                         # XML-illegal
    "line\nbreak\rcr\ttab\x00nul\x07bel",
    '"quote\\back',
    "`code`",
)
MARKUP_PROBES = ("[/]", "[link=a:b]x[/link]", "[bold red]styled[/]")
HOSTILE_TEXT = " ".join(ATTACKS)


def base_doc() -> dict[str, Any]:
    """A small valid trace: a realized CPU with a feature decided by a point event."""
    types = [{"name": "object", "abstract": True},
             {"name": "device", "parent": "object", "abstract": True, "interfaces": ["hotplug"]},
             {"name": "cpu", "parent": "device", "abstract": True},
             {"name": "x86_64-cpu", "parent": "cpu", "abstract": True},
             {"name": "max-x86_64-cpu", "parent": "x86_64-cpu"}]
    events = [
        {"seq": 0, "kind": "call", "fn": "main", "depth": 0, "parent": -1, "ts": 1000, "args": {"argc": 3}},
        {"seq": 1, "kind": "call", "fn": "type_initialize", "depth": 1, "parent": 0, "ts": 2000,
         "args": {"type": "max-x86_64-cpu", "opts": {"a": [1, 2]}}},
        {"seq": 2, "kind": "point", "fn": "x86_feature", "depth": 2, "parent": 1, "ts": 2500,
         "args": {"feature": "avx", "value": True, "reason": "model", "word": "CPUID.01H:ECX", "bit": 28},
         "text": "avx on: model"},
        {"seq": 3, "kind": "point", "fn": "warn_report", "depth": 2, "parent": 1, "ts": 2600,
         "text": "TCG doesn't support requested feature: CPUID.01H:ECX.avx [bit 28]"},
        {"seq": 4, "kind": "return", "fn": "type_initialize", "depth": 1, "parent": 0, "ts": 3000, "call": 1,
         "ret": "max-x86_64-cpu"},
        {"seq": 5, "kind": "call", "fn": "qemu_init", "depth": 1, "parent": 0, "ts": 3100},
        {"seq": 6, "kind": "error", "fn": "qemu_init", "depth": 1, "parent": 0, "ts": 3200, "call": 5,
         "text": "failed"},
        {"seq": 7, "kind": "return", "fn": "main", "depth": 0, "parent": -1, "ts": 4000, "call": 0, "ret": 0},
    ]
    word = {"cpuid-input-eax": 1, "cpuid-register": "ECX", "features": 1 << 28}
    return {
        "format": "vmtrace", "version": 1,
        "meta": {"argv": ["qemu-system-x86_64", "-cpu", "max"], "vmtrace_version": "0.1.0",
                 "qemu_version": "7.2.22", "created": "2026-01-01T00:00:00Z", "host_profile": "h"},
        "types": types,
        "functions": {"main": {"src": "softmmu/main.c", "doc": "The entry point."},
                      "type_initialize": {"src": "qom/object.c", "doc": "Initialise a class."},
                      "qemu_init": {"src": "softmmu/vl.c"}},
        "events": events,
        "result": {"exit_status": 0, "stdout": ["out"], "stderr": ["err"], "machine": "pc-i440fx-7.2",
                   "cpu": {"type": "max-x86_64-cpu", "avx": True, "family": 6, "model-id": "QEMU",
                           "feature-words": [word], "filtered-features": [dict(word, features=0)],
                           "unavailable-features": ["avx512f"]},
                   "machine_views": {
                       "qom_tree": "/machine (pc-i440fx-7.2-machine)\n  /fw_cfg (fw_cfg_io)\n",
                       "qtree": 'bus: main-system-bus\n  type System\n  dev: hpet, id ""\n    timers = 3 (0x3)\n',
                       "pci": [{"bus": 0, "devices": [{"bus": 0, "slot": 0, "function": 0, "qdev_id": "",
                                                        "id": {"vendor": 32902, "device": 4663}, "regions": []}]}]}},
    }


Maker = Callable[[Path], Path]


@dataclass(frozen=True)
class Hostile:
    """One hostile input: ``make(directory)`` creates it and returns the path to give."""

    id: str
    kind: str
    make: Maker
    valid: bool = False


def _json_file(name: str, doc: Any) -> Maker:
    def make(directory: Path) -> Path:
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)  # a name such as "[/].json" has a "/"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8", errors="surrogatepass")
        return path
    return make


def _bytes_file(name: str, data: bytes) -> Maker:
    def make(directory: Path) -> Path:
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path
    return make


def _mutated(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    doc = base_doc()
    change(doc)
    return doc


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """``events.1.args.type`` = value."""
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return change


def _nested(depth: int) -> str:
    """JSON text of a value nested ``depth`` levels (objects and arrays alternating)."""
    opens = "".join('{"k":' if i % 2 else "[" for i in range(depth))
    closes = "".join("}" if i % 2 else "]" for i in reversed(range(depth)))
    return opens + "1" + closes


def deep_json() -> Iterator[Hostile]:
    yield Hostile("deep-array-100000", "deep JSON", _bytes_file("deep.json", b"[" * 100_000 + b"]" * 100_000))
    yield Hostile("deep-object-100000", "deep JSON",
                  _bytes_file("deepobj.json", b'{"a":' * 100_000 + b"1" + b"}" * 100_000))
    for depth in (2000, 980, 33):
        yield Hostile(f"deep-arg-{depth}", "deep JSON", _raw_value("events.1.args.opts", _nested(depth)))
    yield Hostile("deep-ret-500", "deep JSON", _raw_value("events.4.ret", _nested(500)))
    yield Hostile("deep-pci", "deep JSON", _raw_value("result.machine_views.pci", _nested(60)))
    yield Hostile("deep-cpu-list", "deep JSON", _raw_value("result.cpu.unavailable-features", _nested(40)))
    yield Hostile("deep-arg-32-allowed", "deep JSON", _raw_value("events.1.args.opts", _nested(32)), valid=True)


HUGE = 10**400


def _raw_value(field: str, literal: str) -> Maker:
    """A document with ``field`` set to JSON text json.dumps cannot produce (huge numbers,
    deep nesting)."""
    marker = "__NUMBER__"
    doc = _mutated(_set(field, marker))
    text = json.dumps(doc).replace(f'"{marker}"', literal)
    return _bytes_file(re.sub(r"\W", "_", field + literal[:8]) + ".json", text.encode())


def huge_numbers() -> Iterator[Hostile]:
    for field in ("events.0.ts", "events.3.ts", "events.1.seq", "events.1.depth", "events.1.parent", "events.4.call",
                  "events.1.args.type", "events.4.ret", "result.exit_status", "result.cpu.family",
                  "result.cpu.feature-words.0.features", "result.cpu.feature-words.0.cpuid-input-eax", "version"):
        for literal in (str(HUGE), str(-HUGE)):
            yield Hostile(f"{field}={literal[:3]}e400", "huge numbers", _raw_value(field, literal))
    for field, literal in (("events.7.ts", "1.7976931348623157e308"), ("events.7.ts", "1e400"),
                           ("events.0.ts", "-1"), ("events.7.ts", str(2**63)),
                           ("result.cpu.feature-words.0.features", "-5"),
                           ("result.cpu.filtered-features.0.features", "-1"),
                           ("result.cpu.feature-words.0.cpuid-input-eax", "-1"),
                           ("result.cpu.feature-words.0.features", str(2**40)),
                           ("events.1.args.type", str(2**64))):
        yield Hostile(f"{field}={literal[:12]}", "huge numbers", _raw_value(field, literal))
    yield Hostile("int64-extremes-allowed", "huge numbers",
                  _json_file("extremes.json", _mutated(_set("events.1.args.opts", [-(2**63), 2**64 - 1, 1e308]))),
                  valid=True)


def wrong_shapes() -> Iterator[Hostile]:
    cases: list[tuple[str, Any]] = [
        ("meta", []), ("meta.argv", "qemu"), ("meta.argv", [1, 2]), ("meta.created", 5), ("meta.host_profile", {}),
        ("meta.argv_raw", ["not base64!"]),
        ("types", {}), ("types.1", "device"), ("types.1.parent", 7), ("types.1.interfaces", "hotplug"),
        ("types.1.abstract", "yes"), ("functions", []), ("functions.main", "main.c"), ("functions.main.src", None),
        ("events", {}), ("events.1", []), ("events.1.kind", "jump"), ("events.1.args", [1]), ("events.1.fn", None),
        ("events.2.text", 3), ("events.4.call", "1"), ("events.4.call", 3), ("events.1.parent", 5),
        ("events.1.depth", 4), ("events.1.seq", 9),
        ("result", []), ("result.stdout", "out"), ("result.stderr", [1]), ("result.machine", ["pc"]),
        ("result.cpu", []), ("result.cpu.avx", {"on": True}),
        ("result.cpu.unavailable-features", [[1]]), ("result.cpu.feature-words", {}),
        ("result.cpu.feature-words", [1]), ("result.cpu.feature-words.0", {"cpuid-register": "ECX"}),
        ("result.cpu.feature-words.0.cpuid-register", "EXX"), ("result.cpu.filtered-features", "avx"),
        ("result.cpu.feature-words.0.features", "16"),
        ("result.machine_views", []), ("result.machine_views.qom_tree", 3), ("result.machine_views.pci", {}),
        ("result.machine_views.pci", [{"bus": 0, "devices": [{"bus": 0}]}]), ("result.machine_views.pci", [7]),
        ("result.machine_views.qtree", "garbage"), ("result.machine_views.qom_tree", ""),
        ("result.machine_views.qom_tree", "/machine (m)\n" + "".join("  " * i + f"  /c{i} (t)\n"
                                                                      for i in range(1, 3000))),
        ("format", "vmtrace2"), ("version", 2), ("version", "1"),
    ]
    for field, value in cases:
        yield Hostile(f"shape-{field}={json.dumps(value)[:16]}", "wrong shapes",
                      _json_file(re.sub(r"\W", "_", f"shape_{field}_{json.dumps(value)[:10]}") + ".json",
                                 _mutated(_set(field, value))))
    # Shapes QMP can return for a property: every view must render them (why, diff, show).
    for field, value in (("result.cpu.avx", [1, 2]), ("result.cpu.type", ["max"]), ("result.cpu.family", 1e308),
                         ("result.cpu.avx", None), ("result.cpu.avx", "on")):
        yield Hostile(f"shape-{field}={json.dumps(value)}-allowed", "wrong shapes",
                      _json_file(re.sub(r"\W", "_", f"ok_{field}_{json.dumps(value)}") + ".json",
                                 _mutated(_set(field, value))), valid=True)
    yield Hostile("not-an-object", "wrong shapes", _json_file("list.json", [1, 2, 3]))
    yield Hostile("empty-file", "wrong shapes", _bytes_file("empty.json", b""))
    yield Hostile("truncated", "wrong shapes", _bytes_file("trunc.json", json.dumps(base_doc()).encode()[:300]))
    yield Hostile("not-utf8", "wrong shapes", _bytes_file("latin1.json",
                                                          json.dumps(base_doc()).replace("QEMU", "Q\xe9").encode(
                                                              "latin-1")))
    yield Hostile("lone-surrogate-escape", "wrong shapes",
                  _bytes_file("surrogate.json", json.dumps(base_doc()).replace("QEMU", "\\udce9").encode()))


def cycles() -> Iterator[Hostile]:
    def types(*pairs: tuple[str, str | None]) -> Callable[[dict[str, Any]], None]:
        return _set("types", [{"name": n, **({"parent": p} if p else {})} for n, p in pairs])

    yield Hostile("cycle-self", "cycles", _json_file("self.json", _mutated(types(("object", None), ("a", "a")))))
    yield Hostile("cycle-two", "cycles", _json_file("two.json", _mutated(types(("a", "b"), ("b", "a")))))
    yield Hostile("cycle-three-under-root", "cycles",
                  _json_file("three.json", _mutated(types(("object", None), ("x", "z"), ("y", "x"), ("z", "y"),
                                                          ("max-x86_64-cpu", "x")))))
    yield Hostile("duplicate-type", "cycles",
                  _json_file("dup.json", _mutated(types(("object", None), ("cpu", "object"), ("cpu", "cpu")))))
    yield Hostile("chain-3000-allowed", "cycles",
                  _json_file("chain.json", _mutated(types(("object", None), *((f"t{i}", f"t{i - 1}" if i else "object")
                                                                              for i in range(3000))))), valid=True)


def special_files() -> Iterator[Hostile]:
    def fifo(directory: Path) -> Path:
        path = directory / "fifo.json"
        os.mkfifo(path)
        return path

    def a_directory(directory: Path) -> Path:
        path = directory / "dir.json"
        path.mkdir()
        return path

    def symlink_to(target_maker: Maker, name: str) -> Maker:
        def make(directory: Path) -> Path:
            target = target_maker(directory)
            link = directory / name
            link.symlink_to(target)
            return link
        return make

    def loop(directory: Path) -> Path:
        (directory / "loop1").symlink_to(directory / "loop2")
        (directory / "loop2").symlink_to(directory / "loop1")
        return directory / "loop1"

    yield Hostile("fifo", "FIFOs", fifo)
    yield Hostile("symlink-to-fifo", "FIFOs", symlink_to(fifo, "fifolink.json"))
    yield Hostile("directory", "directories", a_directory)
    yield Hostile("symlink-to-directory", "directories", symlink_to(a_directory, "dirlink.json"))
    yield Hostile("symlink-loop", "symlinks", loop)
    yield Hostile("dangling-symlink", "symlinks", symlink_to(lambda d: d / "nowhere.json", "dangling.json"))
    yield Hostile("symlink-to-valid", "symlinks", symlink_to(_json_file("real.json", base_doc()), "link.json"),
                  valid=True)
    yield Hostile("dev-null", "devices", lambda d: Path("/dev/null"))
    yield Hostile("dev-zero", "devices", lambda d: Path("/dev/zero"))
    yield Hostile("missing", "missing", lambda d: d / "missing.json")
    yield Hostile("not-a-directory", "missing", lambda d: _json_file("file.json", base_doc())(d) / "x.json")

    def sparse(directory: Path) -> Path:  # 5 GiB that takes no disk: must be refused unread
        path = directory / "huge.json"
        with open(path, "wb") as out:
            out.truncate(5 * 2**30)
        return path

    yield Hostile("sparse-5GiB", "size limit", sparse)


def huge_strings(size: int = 2_000_000) -> Iterator[Hostile]:
    big = "x" * size
    for field in ("events.1.args.type", "events.2.text", "events.4.ret", "events.6.text", "meta.argv.2",
                  "result.machine_views.pci.0.devices.0.qdev_id",
                  "result.stderr.0", "result.cpu.model-id", "result.machine", "functions.main.doc"):
        yield Hostile(f"huge-string-{field}", "huge strings",
                      _json_file(re.sub(r"\W", "_", f"big_{field}") + ".json", _mutated(_set(field, big))), valid=True)


def _every_string(doc: Any, text: str) -> Any:
    """``doc`` with ``text`` appended to every string value (not to field names)."""
    if isinstance(doc, str):
        return doc + text
    if isinstance(doc, list):
        return [_every_string(item, text) for item in doc]
    if isinstance(doc, dict):
        return {key: _every_string(value, text) for key, value in doc.items()}
    return doc


def _keyed(mapping: dict[str, Any], text: str, keep: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A mapping whose keys are names from the trace (functions, argument names, CPU properties)."""
    return {(key if key in keep else key + text): (value if key in keep else _every_string(value, text))
            for key, value in mapping.items()}


def hostile_strings_doc(text: str = HOSTILE_TEXT) -> dict[str, Any]:
    """The base trace with ``text`` appended to every string, field values and names from the
    trace alike (function names, argument names, CPU property names), keeping it valid:
    a return still names its call's function, feature words keep their QMP shape."""
    doc = base_doc()
    doc["meta"] = _every_string(doc["meta"], text)
    doc["types"] = _every_string(doc["types"], text)
    doc["functions"] = {fn + text: _every_string(info, text) for fn, info in doc["functions"].items()}
    for ev in doc["events"]:
        ev["fn"] += text
        if "text" in ev:
            ev["text"] += text
        if "args" in ev:
            ev["args"] = _keyed(ev["args"], text)
        if isinstance(ev.get("ret"), str):
            ev["ret"] += text
    result = doc["result"]
    result["stdout"] = _every_string(result["stdout"], text)
    result["stderr"] = _every_string(result["stderr"], text)
    result["machine"] += text
    views = result["machine_views"]
    one_line = text.replace("\n", " ").replace("\r", " ")
    views["qom_tree"] = "".join(line.replace(" (", one_line + " (", 1) + "\n"
                                for line in views["qom_tree"].splitlines())
    views["pci"] = _every_string(views["pci"], text)
    result["cpu"] = _keyed(result["cpu"], text, keep=frozenset({"feature-words", "filtered-features"}))
    return doc


def markup_and_escapes() -> Iterator[Hostile]:
    yield Hostile("every-string-hostile", "markup and escapes", _json_file("strings.json", hostile_strings_doc()),
                  valid=True)
    for i, attack in enumerate(ATTACKS):
        yield Hostile(f"every-string-attack-{i}", "markup and escapes",
                      _json_file(f"attack{i}.json", hostile_strings_doc(attack)), valid=True)


HOSTILE_NAMES = ("\x1b]52;c;aGk=\x07osc.json", "\x1b[2Jclear.json", "[link=a:b]x[/link].json", "[/].json",
                 "bidi\u202egnp.json", "c1\x9b31m.json", "new\nline.json", "caf\udce9.json")


def file_names() -> Iterator[Hostile]:
    """Hostile *file names*: the error line and the TUI's title quote them."""
    for name in HOSTILE_NAMES:
        yield Hostile(f"name-missing-{name!r}", "file names", lambda d, n=name: d / n)
        yield Hostile(f"name-bad-{name!r}", "file names", _bytes_file(name, b"{}"))
        yield Hostile(f"name-valid-{name!r}", "file names", _json_file(name, base_doc()), valid=True)


def corpus() -> list[Hostile]:
    """Every hostile input, each class in turn."""
    return [*deep_json(), *huge_numbers(), *wrong_shapes(), *cycles(), *special_files(), *huge_strings(),
            *markup_and_escapes(), *file_names()]


def make_corpus(hostiles: list[Hostile], root: Path) -> dict[str, Path]:
    """Make each hostile input under ``root``, each in a directory of its own (several share a
    file name on purpose); the path of each, by its id."""
    paths = {}
    for i, hostile in enumerate(hostiles):
        directory = root / str(i)
        directory.mkdir()
        paths[hostile.id] = hostile.make(directory)
    return paths


def over_limit_copy(doc: dict[str, Any] | None = None) -> bytes:
    return json.dumps(copy.deepcopy(doc or base_doc())).encode()
