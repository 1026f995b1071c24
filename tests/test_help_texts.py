"""Every option of every command says what it does in --help (issue 13, item 4: `risk-cli
questionnaires --format` had no help text)."""

from __future__ import annotations

from typing import Iterator

import click
import pytest
from click.testing import CliRunner

from risk_cli.cli import cli


def commands(group: click.Group = cli, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, group
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, path + (name,))
        else:
            yield path + (name,), command


ALL = list(commands())


@pytest.mark.parametrize("path, command", ALL, ids=[" ".join(p) or "risk-cli" for p, _ in ALL])
def test_every_option_has_help(path: tuple[str, ...], command: click.Command) -> None:
    missing = [p.opts[-1] for p in command.params if isinstance(p, click.Option) and not (p.help or "").strip()]
    assert not missing, f"risk-cli {' '.join(path)}: options without a help text: {missing}"
    # and --help shows each help text under its option, as a user sees it
    shown = CliRunner().invoke(cli, [*path, "--help"], terminal_width=200)
    assert shown.exit_code == 0, shown.output
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            line = next((x for x in shown.output.splitlines() if x.strip().startswith(tuple(param.opts))
                         or any(f", {o}" in x for o in param.opts)), "")
            described = line.split(param.opts[-1], 1)[-1].split(None, 1)
            assert line and len(described) > 1, f"risk-cli {' '.join(path)} --help: {param.opts[-1]} has no text: {line!r}"


def test_the_walk_reaches_every_command() -> None:
    assert {" ".join(p) for p, _ in ALL} >= {"", "assess", "validate", "questionnaires", "batch", "template",
                                            "import", "portfolio", "atrs"}
