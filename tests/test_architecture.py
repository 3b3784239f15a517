"""The house keeps its flow: imports run down the rooms, never up, and never in a circle.

    errors <- story <- engine <- persist <- learning <- analysis <- testing <- play
           <- authoring <- commands <- cli

A module may import its own room and the rooms before it. The engine imports only the story's
model and the errors. Read from the source with `ast`, so a lazy import inside a function counts
for the direction too; only imports made when a module loads count for cycles.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "budapest56"
ROOMS = ["errors", "story", "engine", "persist", "learning", "analysis", "testing", "play", "authoring",
         "commands", "cli", "__main__"]
# Modules that may pull in a heavy library, and the only ones.
HEAVY = {"prompt_toolkit": {"play.terminal"}, "watchfiles": {"play.watch"}, "pygls": {"authoring.lsp_server"},
         "lsprotocol": {"authoring.lsp_server"}}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    """The budapest56 modules an ImportFrom names (relative ones resolved)."""
    if node.level == 0:
        name = node.module or ""
        if not name.startswith("budapest56"):
            return []
        base = name.split(".")[1:]
    else:
        base = module.split(".") if module else []
        if not is_package:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)] + (node.module.split(".") if node.module else [])
    targets = []
    for alias in node.names:
        candidate = ".".join([*base, alias.name])
        targets.append(candidate if _exists(candidate) else ".".join(base))
    return targets


def _exists(name: str) -> bool:
    path = PACKAGE.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports(path: Path) -> tuple[set[str], set[str], set[str]]:
    """(every budapest56 module it imports, those imported as the module loads, third-party roots)."""
    module, is_package = module_name(path), path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    every, at_load, outside = set(), set(), set()
    type_only = {id(n) for stmt in ast.walk(tree) if isinstance(stmt, ast.If) and "TYPE_CHECKING" in ast.unparse(stmt.test)
                 for n in ast.walk(stmt)}
    top_level = {id(n) for n in tree.body} | {id(n) for stmt in tree.body if isinstance(stmt, ast.Try | ast.If)
                                             for n in ast.walk(stmt)}
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom):
            names = _resolve(module, is_package, node)
            if node.level == 0 and not (node.module or "").startswith("budapest56"):
                outside.add((node.module or "").split(".")[0])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("budapest56."):
                    names.append(alias.name.split(".", 1)[1])
                else:
                    outside.add(alias.name.split(".")[0])
        names = [n for n in names if n and n != module]
        every.update(names)
        if id(node) in top_level and id(node) not in type_only:
            at_load.update(names)
    return every, at_load, outside


def room(module: str) -> str:
    return module.split(".")[0]


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {m: imports(p) for m, p in MODULES.items()}


def test_every_module_lives_in_a_known_room():
    assert sorted({room(m) for m in MODULES if m} - set(ROOMS)) == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m))
def test_imports_run_down_the_rooms(module):
    rank = ROOMS.index(room(module))
    upward = sorted(t for t in GRAPH[module][0] if t and ROOMS.index(room(t)) > rank)
    assert upward == [], f"{module} imports from rooms after its own ({room(module)}): {upward}"


def test_the_engine_imports_only_the_model_and_the_errors():
    assert GRAPH["engine"][0] <= {"story.model", "errors"}
    assert GRAPH["engine"][2] <= {"__future__", "collections", "dataclasses", "typing"}


def test_no_import_cycle():
    load = {m: {t for t in GRAPH[m][1] if t in MODULES} for m in MODULES}
    done: set[str] = set()

    def visit(m: str, stack: list[str]) -> None:
        if m in stack:
            raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(m):] + [m]))
        if m in done:
            return
        for t in sorted(load[m]):
            visit(t, stack + [m])
        done.add(m)

    for m in sorted(load):
        visit(m, [])


@pytest.mark.parametrize("library, allowed", sorted(HEAVY.items()))
def test_heavy_libraries_are_imported_only_where_used(library, allowed):
    users = {m for m, (_, _, outside) in GRAPH.items() if library in outside}
    assert users <= allowed


def test_the_checker_finds_an_upward_import(tmp_path, monkeypatch):
    """The test above can fail: a story module importing the session is caught."""
    fake = tmp_path / "budapest56"
    (fake / "story").mkdir(parents=True)
    (fake / "play").mkdir()
    (fake / "story" / "bad.py").write_text("from ..play import session\n")
    (fake / "play" / "session.py").write_text("")
    monkeypatch.setitem(globals(), "PACKAGE", fake)
    every, _, _ = imports(fake / "story" / "bad.py")
    assert every == {"play.session"} and ROOMS.index(room("play.session")) > ROOMS.index("story")


def test_the_public_names_load_and_are_listed_once():
    import budapest56

    assert budapest56.__all__ == sorted(budapest56._HOMES)
    for name in budapest56.__all__:
        assert getattr(budapest56, name) is not None
