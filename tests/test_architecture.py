"""The floors of the house (docs/architecture.md): a module imports only from its own floor and below.

The kernel (``pmf/``) is the ground floor; the roof (the publish pipeline, the demo trusts, the benchmarks,
and ``roof/``: the URLs, the home page and the Celery app) may import anything. An import that runs back up
fails this test. ``KNOWN_UPWARD`` would list the imports that still run up, as debts that may only shrink;
it is empty. Nor may a module import one of our apps inside a function, where the check would not see it,
except in the few places ``IMPORTS_INSIDE_FUNCTIONS`` names with the reason.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOORS = {
    "pmf": 0,
    "divisions": 1,
    "kpis": 2,
    "national": 3,
    "strategy": 3,
    "reviews": 4,
    "escalation": 5,
    "pipeline": 6,
    "demo": 6,
    "bench": 6,
    "trust_setup": 6,
    "dashboards": 6,
    "scorecards": 6,
    "roof": 6,
}
KNOWN_UPWARD: set[str] = set()


def our_modules():
    """Each module of our apps (migrations aside): its path, its floor and its parsed tree."""
    for app, floor in FLOORS.items():
        for path in sorted((ROOT / app).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in name:
                yield name, floor, ast.parse(path.read_text(), filename=name)


def imported_modules(node: ast.AST) -> list[str]:
    """The modules an import statement names, a relative one written with its dots ("." for the package)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        return ["." * node.level + (node.module or "")]
    return []


def upward_imports() -> set[str]:
    found = set()
    for name, floor, tree in our_modules():
        for node in ast.walk(tree):
            for module in imported_modules(node):
                top = module.split(".")[0]
                if top in FLOORS and FLOORS[top] > floor:
                    found.add(f"{name} -> {top}")
    return found


# Where a module of ours may import one of our apps inside a function, and why it cannot at the top.
# AppConfig.ready (any ``ready`` in an ``apps.py``) is allowed everywhere: models are not loaded before it.
IMPORTS_INSIDE_FUNCTIONS = {
    "roof/celery.py:catch_up_at_start": "a Celery signal handler: the Celery app is imported before Django"
    " is set up, so it may not import models at the top",
    "roof/celery.py:start_chart_browser": "a Celery signal handler, for the same reason",
}


def imports_inside_functions() -> set[str]:
    found = set()
    for name, _, tree in our_modules():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if function.name == "ready" and name.endswith("/apps.py"):
                continue
            for node in ast.walk(function):
                if any(m.startswith(".") or m.split(".")[0] in FLOORS for m in imported_modules(node)):
                    found.add(f"{name}:{function.name}")
    return found


def test_no_import_runs_back_up_the_floors():
    new = upward_imports() - KNOWN_UPWARD
    assert not new, f"imports that run up the floors (docs/architecture.md): {sorted(new)}"


def test_the_list_of_known_upward_imports_only_shrinks():
    paid = KNOWN_UPWARD - upward_imports()
    assert not paid, f"no longer imported, so take them off KNOWN_UPWARD: {sorted(paid)}"


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    (tmp_path / "kpis").mkdir()
    (tmp_path / "kpis" / "bad.py").write_text("from reviews.models import DivisionRating\n")
    for app in FLOORS:
        (tmp_path / app).mkdir(exist_ok=True)
    monkeypatch.setattr("tests.test_architecture.ROOT", tmp_path)
    assert upward_imports() == {"kpis/bad.py -> reviews"}


def test_no_module_imports_our_apps_inside_a_function():
    """An import inside a function hides a dependency (and often a cycle) from the floors' check."""
    hidden = imports_inside_functions() - IMPORTS_INSIDE_FUNCTIONS.keys()
    assert not hidden, (
        f"import at the top of the module, or say why not in IMPORTS_INSIDE_FUNCTIONS: {hidden}"
    )


def test_the_allowed_imports_inside_functions_are_all_still_there():
    gone = IMPORTS_INSIDE_FUNCTIONS.keys() - imports_inside_functions()
    assert not gone, f"no longer imported inside the function, so take them off the list: {sorted(gone)}"


def test_the_check_sees_an_import_inside_a_function(tmp_path, monkeypatch):
    for app in FLOORS:
        (tmp_path / app).mkdir(exist_ok=True)
    (tmp_path / "reviews" / "late.py").write_text(
        "def build():\n    from .models import DataPack\n\n\ndef read():\n    import kpis.models\n"
    )
    (tmp_path / "reviews" / "apps.py").write_text("def ready():\n    from . import signals\n")
    (tmp_path / "reviews" / "fine.py").write_text("def f():\n    import json\n")
    monkeypatch.setattr("tests.test_architecture.ROOT", tmp_path)
    assert imports_inside_functions() == {"reviews/late.py:build", "reviews/late.py:read"}
