"""The layers of docs/architecture.md, checked against the real imports (benchmarks/architecture.py
reads them, lazy imports included): no cycles, and every import points down the layers."""

from __future__ import annotations

from benchmarks.architecture import cycles, import_graph

FOUNDATION = {"risk_cli", "risk_cli.errors", "risk_cli.fileio", "risk_cli.safe_yaml"}
CLI = {"risk_cli.cli", "risk_cli.__main__"}

# Each layer, and the layers it may import (besides itself). Down is: cli -> workflows ->
# readers -> writers -> catalogue -> model -> foundation, with output beside readers and writers.
ALLOWED = {
    "foundation": set(),
    "model": {"foundation"},
    "catalogue": {"model", "foundation"},
    "writers": {"catalogue", "model", "foundation"},
    "readers": {"writers", "catalogue", "model", "foundation"},
    "output": {"model", "foundation"},
    "workflows": {"readers", "writers", "output", "catalogue", "model", "foundation"},
    "cli": {"workflows", "output", "foundation"},
}


def layer(module: str) -> str:
    if module in FOUNDATION:
        return "foundation"
    if module in CLI:
        return "cli"
    return module.split(".")[1]


def test_every_module_belongs_to_a_layer():
    unknown = sorted(m for m in import_graph() if layer(m) not in ALLOWED)
    assert not unknown, f"modules outside the layers of docs/architecture.md: {unknown}"


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_imports_point_down_the_layers():
    wrong = sorted(f"{m} imports {t}" for m, targets in import_graph().items() for t in targets
                   if layer(t) != layer(m) and layer(t) not in ALLOWED[layer(m)])
    assert not wrong, "imports against the layers (see docs/architecture.md):\n" + "\n".join(wrong)


def test_the_graph_sees_lazy_imports():
    """A function-level import counts: the checks above would be hollow without it."""
    graph = import_graph()
    assert "risk_cli.workflows.assess" in graph["risk_cli.cli"]  # imported inside the assess command only
