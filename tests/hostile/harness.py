"""Run every command that reads files against one bad input and check what the user gets.

A `Command` knows how to put the input in its place on the command line, where that
command would write, and what it does with a bad input (exit code, how the error line
reads). `check_refused()` runs it and asserts the whole contract at once: the exact error
line(s), the documented exit code, a time bound, no traceback, and nothing written (or a
file that was already there left byte for byte as it was).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

import openpyxl
from click.testing import CliRunner

from risk_cli.cli import cli
from tests.conftest import MINI

TIME_LIMIT = 10.0  # seconds: generous, to catch a hang, not to measure speed


def invoke(*args: Any):
    """The real CLI in this process; (result, seconds)."""
    start = time.monotonic()
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result, time.monotonic() - start


def error_lines(result: Any) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(("error: ", "internal error"))]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_under(folder: Path) -> dict[str, str]:
    """Every file under `folder` by relative path, with its content hash."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): digest(p) for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass(frozen=True)
class Command:
    """One way a command reads a file, and its contract for a bad one."""

    name: str
    argv: Callable[[Path, Path, Path], list[Any]]  # (input, work folder, good answers file) -> arguments
    outputs: Callable[[Path, Path], list[Path]]  # (work folder, input) -> files it would write
    exit_code: int
    suffix: str = ""  # what the command adds to the error line
    trailer: tuple[str, ...] = ()  # lines it prints after the errors
    kind: str = "answers"  # "answers": reads answers (file, template or register); "previous"; "questionnaire"
    summary: bool = False  # writes a summary of the bad input anyway (batch)
    force: tuple[str, ...] = ("--force",)

    def expected(self, lines: list[str]) -> list[str]:
        return [f"error: {line}{self.suffix}" for line in lines] + [f"error: {t}" for t in self.trailer]


def _out(work: Path) -> Path:
    return work / "out.xlsx"


def _dir(work: Path) -> Path:
    return work / "out"


NO_USE_CASE = "no use case could be read from the inputs; nothing written"

# Every command that reads an answers file, a filled template or a register.
ANSWER_READERS = [
    Command("assess --answers", lambda f, w, g: ["assess", "-q", MINI, "--answers", f, "--no-input", "-o", _out(w)],
            lambda w, f: [_out(w)], 2),
    Command("assess --resume", lambda f, w, g: ["assess", "-q", MINI, "--resume", f, "--no-input", "-o", _out(w)],
            lambda w, f: [_out(w)], 2),
    Command("import", lambda f, w, g: ["import", f, "-q", MINI, "-o", _dir(w)],
            lambda w, f: [_dir(w) / f"{f.stem}-answers.yaml", _dir(w) / f"{f.stem}-register.xlsx"], 2),
    Command("import --dry-run", lambda f, w, g: ["import", f, "-q", MINI, "-o", _dir(w), "--dry-run"],
            lambda w, f: [], 2, force=()),
    Command("batch", lambda f, w, g: ["batch", f, "-q", MINI, "-o", _dir(w), "--jobs", "1", "--quiet"],
            lambda w, f: [_dir(w) / f"{f.stem}-register.xlsx"], 3, summary=True),
    Command("portfolio", lambda f, w, g: ["portfolio", f, "-q", MINI, "-o", _out(w)],
            lambda w, f: [_out(w)], 2, suffix=" (skipped)", trailer=(NO_USE_CASE,)),
]
PREVIOUS = Command("assess --previous",
                   lambda f, w, g: ["assess", "-q", MINI, "--answers", g, "--no-input", "--previous", f, "-o", _out(w)],
                   lambda w, f: [_out(w)], 2, kind="previous")
WORKBOOK_READERS = ANSWER_READERS + [PREVIOUS]

# Every command that reads a questionnaire file (-q FILE, or validate's argument).
QUESTIONNAIRE_READERS = [
    Command("validate", lambda f, w, g: ["validate", f], lambda w, f: [], 2, kind="questionnaire", force=()),
    Command("assess -q", lambda f, w, g: ["assess", "-q", f, "--answers", g, "--no-input", "-o", _out(w)],
            lambda w, f: [_out(w)], 2, kind="questionnaire"),
    Command("template -q", lambda f, w, g: ["template", "-q", f, "-o", _out(w)], lambda w, f: [_out(w)], 2,
            kind="questionnaire"),
    Command("import -q", lambda f, w, g: ["import", g, "-q", f, "-o", _dir(w)],
            lambda w, f: [_dir(w) / "good-answers.yaml", _dir(w) / "good-register.xlsx"], 2, kind="questionnaire"),
    Command("batch -q", lambda f, w, g: ["batch", g, "-q", f, "-o", _dir(w), "--quiet"],
            lambda w, f: [_dir(w) / "good-register.xlsx", _dir(w) / "batch-summary.xlsx"], 2, kind="questionnaire"),
    Command("portfolio -q", lambda f, w, g: ["portfolio", g, "-q", f, "-o", _out(w)], lambda w, f: [_out(w)], 2,
            kind="questionnaire"),
]


def ids(commands: list[Command]) -> list[str]:
    return [c.name for c in commands]


@dataclass
class Outcome:
    result: Any
    seconds: float
    work: Path
    before: dict[str, str] = field(default_factory=dict)


def check_refused(command: Command, source: Path, work: Path, good: Path, lines: list[str],
                  existing: bool = False, exit_code: Optional[int] = None) -> Outcome:
    """Run `command` on the bad `source` and assert the whole bad-input contract.

    `lines` are the expected problem lines without "error: " (file and place first); with
    `existing`, every output is already there and --force is given, and must survive.
    """
    work.mkdir(parents=True, exist_ok=True)
    outputs = command.outputs(work, source)
    argv = command.argv(source, work, good)
    if existing:
        for out in outputs:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(b"an earlier output: must survive a run on a bad input\n")
        argv += list(command.force)
    before = {str(p): digest(p) for p in outputs if p.exists()}
    result, seconds = invoke(*argv)
    everything = result.stdout + result.stderr
    assert seconds < TIME_LIMIT, f"{command.name} took {seconds:.1f} s"
    assert "Traceback" not in everything and "internal error" not in everything, everything
    assert result.exit_code == (command.exit_code if exit_code is None else exit_code), everything
    assert error_lines(result) == command.expected(lines), everything
    for out in outputs:
        if existing:
            assert digest(out) == before[str(out)], f"{command.name} changed {out}"
        else:
            assert not out.exists(), f"{command.name} wrote {out}"
    if command.summary:  # batch: a summary listing the bad input (exit 3), or nothing at all (exit 2)
        summary = work / "out" / "batch-summary.xlsx"
        if result.exit_code == 3:
            sheet = openpyxl.load_workbook(summary)["Problems"]
            # as Excel shows them: risk-cli writes the underscore of a quoted "_x0041_" as _x005F_
            shown = [row[1].replace("_x005F_", "_") for row in sheet.iter_rows(min_row=2, values_only=True)]
            assert shown == lines
        else:
            assert not summary.exists()
    return Outcome(result, seconds, work, before)


def escape_refused(where: str, escape: str, control: str = "") -> str:
    """The one line for text holding a spreadsheet escape such as _x0041_, as each place words it."""
    if control:
        return (f"{where} contains \"{escape}\", which spreadsheet programs read as an escaped character "
                f"(the control character U+{control}); Excel stores a line break pasted from other text this way: "
                "retype the line break")
    return (f"{where} contains \"{escape}\", which spreadsheet programs read as an escaped character; "
            "write it another way (for example with a space after the underscore)")
