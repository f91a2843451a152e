"""The floors of the house (docs/architecture.md): a module imports only from its own floor and below.

The kernel (``pmf/``) is the ground floor; the roof (the publish pipeline, the demo trusts, the benchmarks,
and ``roof/``: the URLs, the home page and the Celery app) may import anything. An import that runs back up
fails this test. The imports that still run up today are listed in ``KNOWN_UPWARD`` with the
debt they are: a new one fails, and so does a listed one that has gone, so the list only shrinks.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOORS = {
    "pmf": 0,
    "divisions": 1,
    "kpis": 2,
    "national": 3,
    "reviews": 4,
    "escalation": 5,
    "pipeline": 6,
    "demo": 6,
    "bench": 6,
    "trust_setup": 6,
    "dashboards": 6,
    "roof": 6,
}
KNOWN_UPWARD: set[str] = set()


def upward_imports() -> set[str]:
    found = set()
    for app, floor in FLOORS.items():
        for path in sorted((ROOT / app).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if "/migrations/" in name:
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=name)):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    if top in FLOORS and FLOORS[top] > floor:
                        found.add(f"{name} -> {top}")
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
