"""The docs stay in step with the tool: CLI reference, README commands, CI script."""

from __future__ import annotations

import importlib.util

from tests.conftest import ROOT


def load_reference():
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "docs" / "cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.reference()


def test_cli_reference_matches_help():
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == load_reference(), "docs/cli.md is stale: run `python docs/cli_reference.py > docs/cli.md`"


def test_every_command_is_in_the_readme():
    from risk_cli.cli import cli
    import click

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.list_commands(click.Context(cli)):
        assert f"risk-cli {name}" in readme, f"README does not mention `risk-cli {name}`"


def test_ci_runs_the_readme_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd ", "python --version"))]
    assert commands, "CI runs nothing"
    for line in commands:
        assert line in readme, f"CI runs `{line}`, which the README does not show"
    assert "pytest" in " ".join(commands)
