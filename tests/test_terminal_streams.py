"""Where the interview and the result go when stdout is redirected or closed early (issue 13, item 3).

The installed risk-cli runs in a subprocess on a real pseudo-terminal: stdin and stderr are the
terminal, stdout is a file, as with `risk-cli assess --format json > out.json` typed in a terminal.
The prompts must be drawn on the terminal (stderr), and the file must hold the result only.
A stdout whose reader has gone (`| head -c 300`) ends quietly with 141 (128 + SIGPIPE).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import MINI, mini_answers, write_yaml

RISK_CLI = shutil.which("risk-cli", path=str(Path(sys.executable).parent)) or "risk-cli"
TIMEOUT = 20

pty = pytest.importorskip("pty")


class Terminal:
    """risk-cli with stdin and stderr on a pseudo-terminal and stdout on a file."""

    def __init__(self, args: list[str], cwd: Path, stdout_path: Path) -> None:
        self.master, slave = pty.openpty()
        env = {**os.environ, "TERM": "xterm", "COLUMNS": "80", "LINES": "24"}
        with open(stdout_path, "wb") as out:
            self.proc = subprocess.Popen([RISK_CLI, *args], cwd=cwd, stdin=slave, stdout=out, stderr=slave,
                                         env=env, close_fds=True)
        os.close(slave)
        self.seen = b""

    def wait_for(self, text: str) -> None:
        end = time.monotonic() + TIMEOUT
        while text.encode() not in self.seen:
            if time.monotonic() > end:
                self.proc.kill()
                pytest.fail(f"{text!r} never appeared on the terminal; it showed: {self.seen[-2000:]!r}")
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536)
                except OSError:  # the process ended and closed the terminal
                    time.sleep(0.05)

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self) -> int:
        end = time.monotonic() + TIMEOUT
        while self.proc.poll() is None and time.monotonic() < end:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536)
                except OSError:
                    break
        code = self.proc.wait(TIMEOUT)
        os.close(self.master)
        return code


def test_redirected_stdout_gets_the_result_and_the_terminal_gets_the_prompts(tmp_path: Path) -> None:
    almost = mini_answers(delivery__date=None)  # every answer but the last question's
    write_yaml(tmp_path / "saved.yaml", almost)
    out = tmp_path / "out.json"
    term = Terminal(["assess", "-q", str(MINI), "--resume", "saved.yaml", "--format", "json"], tmp_path, out)
    term.wait_for("Go-live date?")
    term.send("2027-01-31\r")
    term.wait_for("Write the register")  # the review, on the terminal too: Enter writes
    term.send("\r")
    code = term.finish()
    assert code == 0, term.seen.decode(errors="replace")
    shown = term.seen.decode(errors="replace")
    assert "Section 3 of 3: Delivery" in shown and "Go-live date?" in shown  # the interview, on the terminal
    result = json.loads(out.read_text(encoding="utf-8"))  # and nothing but the result in the file
    assert result["questionnaire"]["id"] == "mini" and result["use_case"]["name"] == "Reply drafter"
    assert "Go-live" not in out.read_text(encoding="utf-8")


def test_ctrl_c_in_a_redirected_interview_leaves_the_file_empty(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    term = Terminal(["assess", "-q", str(MINI), "--format", "json"], tmp_path, out)
    term.wait_for("Section 1 of 3")
    term.wait_for("Name?")  # the prompt is drawn: the terminal is in raw mode, so Ctrl-C is a key
    term.send("\x03")
    assert term.finish() == 130
    assert out.read_bytes() == b""


def test_no_terminal_for_output_means_no_interview(tmp_path: Path) -> None:
    """stdin is a terminal but stdout and stderr are both files: nothing to show prompts on."""
    master, slave = pty.openpty()
    proc = subprocess.run([RISK_CLI, "assess", "-q", str(MINI)], cwd=tmp_path, stdin=slave,
                          capture_output=True, timeout=TIMEOUT)
    os.close(slave)
    os.close(master)
    assert proc.returncode == 2
    assert proc.stderr.decode().startswith("error: no terminal to ask questions in")
    assert proc.stdout == b""


@pytest.mark.parametrize("args", [
    ["assess", "-q", str(MINI), "--answers", "answers.yaml", "--no-input", "--format", "json"],
    ["questionnaires", "--format", "json"],
    ["--help"],
    ["assess", "--help"],
])
def test_a_closed_stdout_ends_quietly_with_141(tmp_path: Path, args: list[str]) -> None:
    write_yaml(tmp_path / "answers.yaml", mini_answers())
    read_end, write_end = os.pipe()
    os.close(read_end)  # as `| head -c 300` once head has what it wants
    try:
        proc = subprocess.run([RISK_CLI, *args], cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=write_end,
                              stderr=subprocess.PIPE, timeout=TIMEOUT)
    finally:
        os.close(write_end)
    assert proc.returncode == 141
    assert proc.stderr == b""  # no "internal error: BrokenPipeError", no "Exception ignored"
