"""No `async def` in the app touches the database or files: that would stall the event loop.

Sync routes and dependencies run in the threadpool; an async function may only await (e.g. read
a form) and hand over. This reads the source, so a new async route that does database work fails
here before it can stall a worker under load.
"""

from __future__ import annotations

import ast

from app.config import PROJECT_ROOT

# Names that mean database work, and calls that mean blocking file or CPU-heavy work.
DATABASE_NAMES = {"db", "session", "engine", "DbSession", "Session", "conn", "connection"}
BLOCKING_CALLS = {
    "open", "read_text", "read_bytes", "write_text", "write_bytes", "sleep",
    "hash_password", "verify_password", "exec", "execute", "commit", "flush", "refresh",
}  # fmt: skip


def blocking_uses(source: str) -> list[tuple[str, int, str]]:
    """(function, line, what) for every blocking use inside an `async def`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.AsyncFunctionDef):
            continue
        for inner in _own_nodes(node):
            if isinstance(inner, ast.Name) and inner.id in DATABASE_NAMES:
                found.append((node.name, inner.lineno, inner.id))
            elif isinstance(inner, ast.arg) and inner.arg in DATABASE_NAMES:
                found.append((node.name, inner.lineno, inner.arg))
            elif isinstance(inner, ast.Call):
                func = inner.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in BLOCKING_CALLS and not _awaited(node, inner):
                    found.append((node.name, inner.lineno, f"{name}()"))
    return found


def _own_nodes(function: ast.AsyncFunctionDef) -> list[ast.AST]:
    """The function's nodes, leaving out nested sync functions: those run in a thread."""
    out: list[ast.AST] = []
    todo: list[ast.AST] = list(ast.iter_child_nodes(function))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.Lambda):
            continue
        out.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return out


def _awaited(scope: ast.AST, call: ast.Call) -> bool:
    return any(isinstance(n, ast.Await) and n.value is call for n in ast.walk(scope))


def test_the_check_catches_database_and_file_work_in_async_code() -> None:
    bad = (
        "async def answer(request, db: DbSession):\n    db.commit()\n"
        "async def page(request):\n    return Path('x').read_text()\n"
    )
    good = "async def form(request):\n    return await request.form()\n"
    assert {(f, what) for f, _, what in blocking_uses(bad)} >= {
        ("answer", "db"),
        ("page", "read_text()"),
    }
    assert blocking_uses(good) == []


def test_no_async_function_in_the_app_blocks_the_event_loop() -> None:
    problems = []
    for path in sorted((PROJECT_ROOT / "app").rglob("*.py")):
        for function, line, what in blocking_uses(path.read_text()):
            problems.append(f"{path.relative_to(PROJECT_ROOT)}:{line}: {function} uses {what}")
    assert problems == [], "\n".join(problems)
