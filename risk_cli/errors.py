"""Exit codes and the errors that carry them, so every failure ends as one clear line."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any


class ExitCode(enum.IntEnum):
    """Documented exit codes: pipelines branch on these, so never renumber them."""

    OK = 0
    FAIL_ON = 1  # a residual risk reached the --fail-on rating
    BAD_INPUT = 2  # bad input, bad usage, or an output that cannot be written; nothing written
    SOME_INPUTS_BAD = 3  # batch or portfolio: some inputs were bad and skipped
    INTERNAL = 70  # a bug in risk-cli: please report it
    INTERRUPTED = 130  # Ctrl-C
    BROKEN_PIPE = 141  # 128 + SIGPIPE: stdout's reader went away (| head); ends quietly
    TERMINATED = 143  # SIGTERM (128 + 15): handled as Ctrl-C is


def exit_code(*, stopped: bool = False, some_bad: bool = False, fail_on: bool = False) -> ExitCode:
    """The exit code of a run that finished, decided here for every command.

    `stopped`: the run could not do its job (import: no input could be imported, or a problem with
    the run itself); `some_bad`: some inputs were bad and skipped, the rest done; `fail_on`: a
    residual risk reached the --fail-on rating. An incomplete result outranks a --fail-on verdict
    drawn from it (both are non-zero, so a gate fails either way).
    """
    if stopped:
        return ExitCode.BAD_INPUT
    if some_bad:
        return ExitCode.SOME_INPUTS_BAD
    if fail_on:
        return ExitCode.FAIL_ON
    return ExitCode.OK


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, and exactly where it is."""

    file: str
    message: str
    where: str = ""  # a path inside the file, a sheet!cell or a question id
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        if self.where:
            return one_line(f"{place}: {self.where}: {self.message}")
        return one_line(f"{place}: {self.message}")


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """Line breaks shown as \\n and other control characters as \\xNN, so a problem (even one
    quoting a value typed over several lines, a library's multi-line message, or a hostile file's
    terminal escape codes) is always exactly one line of plain text."""
    if not _CONTROL.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(lambda m: "\\n" if m.group() == "\n" else f"\\x{ord(m.group()):02x}", text)


_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_text(text: str) -> str:
    """A command's multi-line result made safe to print: its own line breaks and tabs kept, every
    other control character (escape sequences, C1 codes such as \\x9b, a carriage return that
    would overwrite a line) shown as \\xNN. Values inside it go through one_line first."""
    if not _CONTROL_BUT_LINES.search(text):
        return text
    return _CONTROL_BUT_LINES.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class RiskCliError(Exception):
    """An error the user can act on. The CLI prints it as one line (or one per problem)."""

    exit_code: ExitCode = ExitCode.BAD_INPUT
    prefix = "error: "

    def __init__(self, message: str, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    def lines(self) -> list[str]:
        return [one_line(str(self))]


class Interrupted(RiskCliError):
    """Ctrl-C during the questionnaire: not an error, so its line starts on a fresh line
    after the ^C, with no 'error:' prefix."""

    exit_code = ExitCode.INTERRUPTED
    prefix = "\n"


class Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`, `timeout`, a CI job cancelled), raised where the run is, as Ctrl-C is, so the
    same clean-up runs (temporary files removed, worker processes stopped, what was written
    reported); the run then exits 143 instead of 130."""


def interrupt_code(exc: BaseException) -> ExitCode:
    """The exit code of a run stopped by `exc`: 143 for SIGTERM, else 130 (Ctrl-C)."""
    return ExitCode.TERMINATED if isinstance(exc, Terminated) else ExitCode.INTERRUPTED


class InputProblems(RiskCliError):
    """Every problem found in an input, reported together so a user can fix them at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class TemplateProblems(InputProblems):
    """Problems in a workbook recognised as a questionnaire template (so reports can say what
    kind of input it was). Here rather than in template_import so that commands can catch it
    without importing the template modules (and openpyxl) when they read a YAML file.

    When the problems are in cells, `answers` holds every answer that was read cleanly (a
    template_import.TemplateAnswers) and `bad` the questions whose cells had problems, so
    `template_import.with_checks()` can add what checking the rest finds (missing answers...)
    and every problem is reported at once.
    """

    def __init__(self, problems: list[Problem], answers: Any = None, bad: frozenset[str] = frozenset()) -> None:
        super().__init__(problems)
        self.answers = answers
        self.bad = bad
