"""The project's modules import each other as a DAG, counting imports inside functions.

A cycle hidden behind function-level imports still couples the modules: neither can be read,
tested or moved without the other, and the next module added to the cycle copies the trick.
So the graph here includes every ``import`` statement wherever it sits, and a function-level
import is allowed only as a deliberate deferral of a heavy dependency, marked ``# deferred:``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("model", "tracer")
DEFERRED = "# deferred:"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def resolve(node: ast.Import | ast.ImportFrom, importer: str, is_package: bool,
            modules: dict[str, Path]) -> list[str]:
    """The project modules an import statement loads (a ``from pkg import mod`` names a module)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            anchor = importer.split(".") if is_package else importer.split(".")[:-1]
            anchor = anchor[:len(anchor) - (node.level - 1)]
            base = ".".join(anchor + ([base] if base else []))
        names = [base] + [f"{base}.{alias.name}" for alias in node.names]
    found = []
    for name in names:
        # Importing ``a.b.c`` runs ``a`` and ``a.b`` too, but a package's own ``__init__``
        # importing its submodules is the usual shape, not a cycle worth counting; so keep
        # the most specific project module the statement names.
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name and name != importer:
            found.append(name)
    return found


def function_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    nested: list[ast.Import | ast.ImportFrom] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            nested.extend(n for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom)))
    return nested


def import_graph() -> tuple[dict[str, set[str]], list[str]]:
    """Edges between project modules, and the function-level imports lacking a ``# deferred:``."""
    modules = project_modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    unmarked: list[str] = []
    for name, path in modules.items():
        source = path.read_text()
        tree = ast.parse(source, str(path))
        lines = source.splitlines()
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                graph[name].update(resolve(node, name, is_package, modules))
        unmarked.extend(f"{path.relative_to(ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}"
                        for node in function_level_imports(tree) if not marked_deferred(lines, node.lineno))
    return graph, unmarked


def marked_deferred(lines: list[str], lineno: int) -> bool:
    """The import's own line, or the block of imports, comments and blank lines just above it
    (one comment may explain a group of imports), says ``# deferred:``."""
    index = lineno - 1
    if DEFERRED in lines[index]:
        return True
    while index > 0:
        index -= 1
        text = lines[index].strip()
        if DEFERRED in text:
            return True
        if text and not text.startswith(("#", "from ", "import ")):
            return False
    return False


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a list of modules (first == last), or None when the graph is a DAG."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = grey
        stack.append(node)
        for nxt in sorted(graph[node]):
            if colour[nxt] == grey:
                return [*stack[stack.index(nxt):], nxt]
            if colour[nxt] == white:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        colour[node] = black
        return None

    for start in sorted(graph):
        if colour[start] == white:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


def test_the_graph_covers_both_packages() -> None:
    graph, _ = import_graph()
    assert "model.softmmu.vl" in graph and "tracer.recorder" in graph
    assert "tracer.recorder" in graph["model.softmmu.vl"]


def test_project_imports_form_a_dag() -> None:
    graph, _ = import_graph()
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_every_function_level_import_says_why_it_is_deferred() -> None:
    _, unmarked = import_graph()
    assert not unmarked, "function-level imports without '# deferred:':\n" + "\n".join(unmarked)


def test_a_deferral_comment_covers_the_imports_below_it_only() -> None:
    body = ["def f():", '    """Doc."""', "    # deferred: heavy", "    import a", "", "    import b", "    x = 1",
            "    import c"]
    assert marked_deferred(body, 4) and marked_deferred(body, 6)
    assert not marked_deferred(body, 8)


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
