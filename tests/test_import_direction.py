"""Imports run one way between apps: a module fails the suite when it imports an app to its right.

The allowed order is written once, in LAYERS: an app may import itself and the apps in earlier
layers, never an app in its own layer or a later one, not even inside a function (a lower app that
must react to a higher one listens to a signal or takes a hook the higher app registers). The
project's entry points (settings, urls, wsgi, __main__) wire everything together and may import
anything.
"""

import ast
from pathlib import Path

import pytest

import strategists

LAYERS = [
    ["common"],
    ["accounts"],
    ["events", "referrals"],
    ["curriculum", "planner"],
    # surveys and materials read events, accounts and curriculum; nothing below imports them
    # (the pages they add to are reached through common/panels.py).
    ["convening", "surveys", "materials"],
    ["goals", "audit", "community", "imports"],
    # The API serves the program year (goals) as Action Network's event campaigns.
    ["api"],
    # Messages reach the segments of the goals dashboard: it reads goals, goals only links to it.
    # Webhooks listen to the signals of events and curriculum; nothing imports them.
    ["messaging", "webhooks"],
]
ENTRY_POINTS = {"settings", "urls", "wsgi", "__main__", "__init__"}
PACKAGE = "strategists"
SOURCE = Path(strategists.__file__).parent
LAYER_OF = {app: index for index, apps in enumerate(LAYERS) for app in apps}


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(tree: ast.AST, module: str, is_package: bool) -> list[str]:
    """Every module the code names in an import statement, wherever it stands (top level, inside
    a function, under ``try``), and in ``importlib.import_module("...")`` with a literal name."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's package, one level up per extra dot
                package = module.split(".") if is_package else module.split(".")[:-1]
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            names.append(target)
            # `from strategists import goals` imports the app (and `from strategists.goals import
            # tasks` the module) named after the dot; a name that is not a module is harmless here.
            names += [f"{target}.{alias.name}" for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.append(node.args[0].value)
    return names


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == PACKAGE else None


def violations(module: str, source: str, is_package: bool = False) -> list[str]:
    """``module -> app`` for each import of ``module`` that goes against LAYERS."""
    app = app_of(module)
    if app is None or app in ENTRY_POINTS:
        return []
    if app not in LAYER_OF:
        return [f"{module}: app {app!r} is not in LAYERS (add it where it belongs)"]
    found = []
    for name in imported_modules(ast.parse(source), module, is_package):
        target = app_of(name)
        if target is None or target == app or target in ENTRY_POINTS:
            continue
        if target not in LAYER_OF or LAYER_OF[target] >= LAYER_OF[app]:
            line = f"{module} -> {target}"
            if line not in found:
                found.append(line)
    return found


def project_modules():
    for path in sorted(SOURCE.rglob("*.py")):
        yield module_name(path), path


def test_no_app_imports_against_the_layers():
    found = []
    for module, path in project_modules():
        found += violations(
            module, path.read_text(encoding="utf-8"), is_package=path.name == "__init__.py"
        )
    assert found == [], (
        "imports against LAYERS (an app imports only from earlier layers):\n" + "\n".join(found)
    )


def import_graph() -> dict[str, set[str]]:
    """{module: the project's modules it imports}, imports inside functions included."""
    modules = dict(project_modules())
    graph = {}
    for module, path in modules.items():
        targets = set()
        for name in imported_modules(
            ast.parse(path.read_text(encoding="utf-8")), module, path.name == "__init__.py"
        ):
            parts = name.split(".")
            while parts and ".".join(parts) not in modules:  # `models.User` is the module `models`
                parts.pop()
            target = ".".join(parts)
            if (
                parts and target != module and not module.startswith(target + ".")
            ):  # a package's __init__
                targets.add(target)
        graph[module] = targets
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_circle_of_imports_but_a_module_and_the_task_it_queues():
    """A service (or the outbox) queues its own task and the task calls it back: that pair is the
    one circle allowed; any other means a layer inside an app points the wrong way."""
    found = circles(import_graph())
    assert [c for c in found if not (len(c) == 2 and any(m.endswith(".tasks") for m in c))] == []


def test_circles_are_found():
    graph = {
        "a.selectors": {"a.services"},
        "a.services": {"a.forecasting"},
        "a.forecasting": {"a.selectors"},
        "a.views": {"a.services"},
        "b.services": {"b.tasks"},
        "b.tasks": {"b.services"},
    }
    assert sorted(circles(graph)) == [
        ["a.forecasting", "a.selectors", "a.services"],
        ["b.services", "b.tasks"],
    ]


def test_every_app_is_in_the_layers():
    apps = {path.name for path in SOURCE.iterdir() if (path / "__init__.py").exists()}
    assert sorted(apps - set(LAYER_OF)) == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        # Downward, and the app itself: allowed.
        (
            "strategists.goals.views",
            "from strategists.curriculum.selectors import certified_count",
            [],
        ),
        ("strategists.goals.views", "from strategists.goals import selectors", []),
        ("strategists.goals.views", "from . import selectors\nfrom .core import charts", []),
        # Upward, at the top or hidden in a function or a try: each named once.
        (
            "strategists.common.views",
            "from strategists.accounts.selectors import x",
            ["strategists.common.views -> accounts"],
        ),
        (
            "strategists.events.services",
            "def f():\n    from strategists.curriculum import services\n",
            ["strategists.events.services -> curriculum"],
        ),
        (
            "strategists.accounts.selectors",
            "try:\n    import strategists.curriculum.selectors\nexcept ImportError:\n    pass\n",
            ["strategists.accounts.selectors -> curriculum"],
        ),
        (
            "strategists.accounts.x",
            "from strategists import goals, common",
            ["strategists.accounts.x -> goals"],
        ),
        (
            "strategists.common.x",
            "import importlib\nimportlib.import_module('strategists.goals.demo')",
            ["strategists.common.x -> goals"],
        ),
        # Sideways, within one layer: not allowed either.
        (
            "strategists.events.x",
            "from strategists.referrals.models import Resource",
            ["strategists.events.x -> referrals"],
        ),
        # Entry points wire everything.
        ("strategists.urls", "from strategists.goals import views", []),
    ],
)
def test_the_check_sees_every_kind_of_import(module, source, expected):
    assert violations(module, source) == expected
