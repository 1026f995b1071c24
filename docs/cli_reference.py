"""Write docs/cli.md from the CLI's own --help, so the reference never drifts.

    python docs/cli_reference.py > docs/cli.md

tests/test_docs.py fails when docs/cli.md differs from what this prints.
"""

from __future__ import annotations

import click

from risk_cli.cli import cli


def reference() -> str:
    ctx = click.Context(cli, info_name="risk-cli", terminal_width=100, max_content_width=100)
    parts = ["# risk-cli command reference", "",
             "Generated from `--help` by `python docs/cli_reference.py > docs/cli.md`; do not edit by hand.", "",
             "## risk-cli", "", "```", cli.get_help(ctx), "```", ""]
    for name in sorted(cli.list_commands(ctx)):
        command = cli.get_command(ctx, name)
        sub = click.Context(command, info_name=f"risk-cli {name}", parent=None, terminal_width=100, max_content_width=100)
        parts += [f"## risk-cli {name}", "", "```", command.get_help(sub), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    print(reference(), end="")
