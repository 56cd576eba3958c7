"""The layering of docs/architecture.md, checked on the source: etl/ writes, reporting/ reads,
cockpit/ and pages/ are the Streamlit app; no import cycles among the project's modules."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("etl", "reporting", "cockpit", "security", "pages")
# The command line is the one entry point of both sides: it dispatches read commands to reporting.
ENTRY_POINTS = {"etl.__main__"}


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    modules = {"dashboard": root / "dashboard.py"} if (root / "dashboard.py").exists() else {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every module `path` imports, at any depth of the file (lazy imports count too): project
    modules by their full name, others by their top-level name."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in modules else node.module)
    return {name if name in modules else name.split(".")[0] for name in found}


def graph(root: Path = ROOT) -> dict[str, set[str]]:
    modules = project_modules(root)
    return {name: imports_of(path, modules) for name, path in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of modules (Tarjan), each as a path a → … → a."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in edges:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in edges.get(node, ()):
                found.append(sorted(group) + [sorted(group)[0]])

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def forbidden(edges: dict[str, set[str]]) -> list[str]:
    """Imports that cross the layers the wrong way."""
    rules = {
        "etl": ("streamlit", "reporting", "cockpit", "pages", "dashboard"),
        "reporting": ("streamlit", "cockpit", "pages", "dashboard"),
        "security": ("streamlit", "reporting", "cockpit", "pages", "dashboard"),
    }
    problems = []
    for module, targets in sorted(edges.items()):
        banned = rules.get(module.split(".")[0], ())
        if module in ENTRY_POINTS:
            banned = ("streamlit", "cockpit", "pages", "dashboard")
        for target in sorted(targets):
            if target.split(".")[0] in banned:
                problems.append(f"{module} imports {target}")
    return problems


def test_the_project_has_no_forbidden_imports_and_no_cycles():
    edges = graph()
    assert {"etl.build", "reporting.queries", "cockpit.ui", "dashboard"} <= set(edges)
    assert forbidden(edges) == []
    assert cycles(edges) == []


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.mark.parametrize("source, problem", [
    ("import streamlit as st\n", "etl.staging imports streamlit"),
    ("def f():\n    from reporting import queries\n", "etl.staging imports reporting.queries"),
    ("from cockpit.ui import query\n", "etl.staging imports cockpit.ui"),
])
def test_a_write_side_module_importing_streamlit_or_the_read_side_is_found(tmp_path, source, problem):
    write(tmp_path, {"etl/__init__.py": "", "etl/staging.py": source, "reporting/__init__.py": "",
                     "reporting/queries.py": "", "cockpit/__init__.py": "", "cockpit/ui.py": ""})
    assert forbidden(graph(tmp_path)) == [problem]


def test_the_read_side_may_not_use_streamlit(tmp_path):
    write(tmp_path, {"reporting/__init__.py": "", "reporting/charts.py": "import streamlit\n"})
    assert forbidden(graph(tmp_path)) == ["reporting.charts imports streamlit"]


def test_an_import_cycle_is_found_even_through_a_lazy_import(tmp_path):
    write(tmp_path, {"etl/__init__.py": "", "etl/build.py": "from etl.publish import publish\n",
                     "etl/publish.py": "def rollback():\n    from etl.intake import align\n",
                     "etl/intake.py": "from etl import build\n", "etl/schema.py": ""})
    assert cycles(graph(tmp_path)) == [["etl.build", "etl.intake", "etl.publish", "etl.build"]]
