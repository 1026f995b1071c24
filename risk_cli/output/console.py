"""The terminal's side channel: errors, warnings and notes on stderr, one line each, and progress
bars. Workflows report through a `Console` as they go; what a command prints as its result goes
through output.formats instead."""

from __future__ import annotations

import contextlib
import sys
from typing import Any, Callable, Iterator, Optional

import click

from risk_cli.errors import one_line, terminal_text


def stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def interview_terminal() -> Optional[str]:
    """Where an interview can be held: "stdout" when stdin and stdout are a terminal, "stderr"
    when stdin is but stdout is redirected (`> out.json`, `| head`: the prompts must not go into
    the result), None when there is no terminal to type in or to show the questions on."""
    if not stdin_is_terminal():
        return None
    if stdout_is_terminal():
        return "stdout"
    if stderr_is_terminal():
        return "stderr"
    return None


class Console:
    """Where a workflow reports: one line per problem, so a hostile file name or value never
    becomes a second line or a terminal control sequence."""

    def __init__(self) -> None:
        self.interview_on_stderr = False  # set when stdout is redirected during an interview

    def echo(self, message: str = "") -> None:
        """A line for the person at the terminal (the interview's own lines): on stdout, or on
        stderr when stdout is redirected; no control character in it reaches the terminal."""
        click.echo(terminal_text(message), err=self.interview_on_stderr)

    def out(self, text: str) -> None:
        """A command's result on stdout; no control character in it reaches the terminal."""
        click.echo(terminal_text(text))

    def info(self, message: str) -> None:
        click.echo(one_line(message), err=True)

    def warn(self, message: str) -> None:
        click.echo(f"warning: {one_line(message)}", err=True)

    def error(self, message: str) -> None:
        click.echo(f"error: {one_line(message)}", err=True)

    def raw_error(self, message: str) -> None:
        """A message that is already one line, or meant to start on a fresh line."""
        click.echo(message, err=True)

    @contextlib.contextmanager
    def progress(self, total: int, label: str, show: bool, eta: bool = False) -> Iterator[Callable[[], None]]:
        """A tick function: a progress bar on stderr when `show` and stderr is a terminal, else nothing."""
        if not (show and stderr_is_terminal()):
            yield lambda: None
            return
        options: dict[str, Any] = {"show_eta": True} if eta else {}
        with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True, **options) as bar:
            yield lambda: bar.update(1)
