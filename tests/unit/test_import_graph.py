"""The services, the sync adapters and the wiring import one way: no circles among them.

Every import counts — module level, inside functions and under ``TYPE_CHECKING`` — because a
circle hidden in a function or a type hint is still two modules that cannot change apart (and is
one refactor away from an ImportError at start-up). Read with ``ast`` only: nothing is imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "pos"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(name: str, is_package: bool, text: str, known: set[str]) -> set[str]:
    """The pos modules ``name`` imports anywhere in its text (the most specific module each names)."""
    package = name if is_package else name.rpartition(".")[0]
    named: set[str] = set()
    for node in ast.walk(ast.parse(text, name)):
        if isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:  # `from pkg import mod` imports the module pkg.mod
                named.add(f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source)
    found: set[str] = set()
    for target in named:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path.name == "__init__.py", path.read_text(encoding="utf-8"), known)
            for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def _in_scope(module: str) -> bool:
    return module == "pos.bootstrap" or module.startswith(("pos.services.", "pos.sync")) or module == "pos.services"


def test_services_sync_and_bootstrap_import_one_way() -> None:
    graph = import_graph()
    bad = [group for group in circles(graph) if any(_in_scope(m) for m in group)]
    detail = "; ".join(" <-> ".join(group) for group in bad)
    assert not bad, f"import circles: {detail}"


def test_the_walker_sees_hidden_imports() -> None:
    """A circle through a function-level import and one through TYPE_CHECKING are both found."""
    graph = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": set()}
    assert circles(graph) == [["a", "b"]]
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from pos.services.ports import Clock\n"
        "def f():\n    from .uow import UnitOfWorkFactory\n"
        "    from . import receipts\n"
    )
    known = {"pos.services", "pos.services.ports", "pos.services.uow", "pos.services.receipts", "pos.services.example"}
    assert _imports("pos.services.example", False, source, known) == {
        "pos.services.ports", "pos.services.uow", "pos.services.receipts"}
