"""Kill a real `risk-cli assess` mid-questionnaire in a pseudo-terminal, then resume it."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from risk_cli.fileio import atomic_write
from tests.conftest import MINI, ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


class Terminal:
    """The installed command running in a pseudo-terminal, as a person would see it."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        master, slave = pty.openpty()
        # PROMPT_TOOLKIT_NO_CPR: prompt_toolkit asks a terminal where its cursor is before each
        # prompt and waits about a second for an answer this pseudo-terminal never sends
        env = {**os.environ, "TERM": "xterm", "COLUMNS": "100", "LINES": "40", "PYTHONPATH": str(ROOT),
               "PROMPT_TOOLKIT_NO_CPR": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "risk_cli", *args], stdin=slave, stdout=slave,
                                     stderr=slave, cwd=cwd, env=env, close_fds=True, start_new_session=True)
        os.close(slave)
        self.fd = master
        self.seen = ""

    def expect(self, text: str, timeout: float = 20) -> None:
        end = time.monotonic() + timeout
        while text not in self.seen:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out waiting for {text!r}; screen so far:\n{self.seen[-2000:]}")
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.5))
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536).decode("utf-8", "replace")
                except OSError:
                    break
        if text not in self.seen:
            raise AssertionError(f"{text!r} never appeared:\n{self.seen[-2000:]}")

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def answer(self, prompt: str, keys: str) -> None:
        self.expect(prompt)
        self.seen = self.seen[self.seen.index(prompt) + len(prompt):]
        time.sleep(0.15)  # let prompt_toolkit finish drawing before keys arrive
        self.send(keys)

    def wait(self, timeout: float = 30) -> int:
        end = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536).decode("utf-8", "replace")
                except OSError:
                    pass
        return self.proc.wait(timeout=1)

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        os.close(self.fd)


def saved(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def wait_for_answer(path: Path, qid: str, timeout: float = 10) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if path.exists():
            doc = saved(path)
            if qid in (doc.get("profile") or {}) or qid in (doc.get("answers") or {}):
                return
        time.sleep(0.05)
    raise AssertionError(f"{qid} was never saved to {path}")


def test_kill_mid_questionnaire_loses_nothing_and_resume_finishes(tmp_path):
    answers = tmp_path / "answers.yaml"
    register = tmp_path / "register.xlsx"
    term = Terminal(["assess", "-q", str(MINI), "--save", str(answers), "-o", str(register)], tmp_path)
    try:
        term.answer("Name?", "Kill test tool\r")
        term.answer("Organisation?", "Dept of Interruptions\r")
        term.answer("Owner?", "\r")  # optional: skipped
        term.answer("Phase?", "\x1b[B\r")  # down, enter: Live
        wait_for_answer(answers, "profile.phase")
        term.expect("Role in decisions?")
        os.killpg(term.proc.pid, signal.SIGKILL)  # no chance to clean up
        term.proc.wait()
    finally:
        term.close()
    doc = saved(answers)
    assert doc["profile"]["profile.name"] == "Kill test tool"
    assert doc["profile"]["profile.organisation"] == "Dept of Interruptions"
    assert doc["profile"]["profile.phase"] == "live"
    assert not register.exists()

    term = Terminal(["assess", "-q", str(MINI), "--resume", str(answers), "-o", str(register)], tmp_path)
    try:
        term.answer("Role in decisions?", "\r")  # resumes at the first unanswered question
        assert "Name?" not in term.seen
        term.answer("Personal data?", "\r")  # Yes
        term.answer("DPIA done?", "\r")  # Yes
        term.answer("Which kinds?", " \r")  # tick Health
        term.answer("Records?", "250\r")
        term.answer("Anything else?", "\r")
        term.answer("Have the skills?", "\x1b[B\r")  # No
        term.answer("Go-live date?", "\r")
        term.answer("Review your answers", "\r")  # the review: Enter writes the register
        assert term.wait() == 0, term.seen[-2000:]
    finally:
        term.close()
    final = saved(answers)
    assert final["profile"]["profile.name"] == "Kill test tool"
    assert final["answers"]["data.kinds"] == ["health"]
    assert final["answers"]["delivery.skills"] == "no"
    assert register.exists()


def test_ctrl_c_says_where_the_answers_are(tmp_path):
    answers = tmp_path / "answers.yaml"
    term = Terminal(["assess", "-q", str(MINI), "--save", str(answers)], tmp_path)
    try:
        term.answer("Name?", "Tool\r")
        wait_for_answer(answers, "profile.name")
        term.answer("Organisation?", "\x03")
        assert term.wait() == 130
        assert f"Your answers so far are saved in {answers}" in term.seen.replace("\r\n", " ").replace("\n", " ")
    finally:
        term.close()
    assert saved(answers)["profile"]["profile.name"] == "Tool"


def test_killed_write_leaves_the_previous_file_intact(tmp_path):
    target = tmp_path / "register.xlsx"
    target.write_bytes(b"last month's register")
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from risk_cli.fileio import atomic_write\n"
        "def slow(tmp):\n"
        "    with open(tmp, 'wb') as f:\n"
        "        f.write(b'half a workbook'); f.flush()\n"
        "        print('writing', flush=True); time.sleep(60)\n"
        f"atomic_write(Path({str(target)!r}), slow, force=True)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == b"writing"
    proc.kill()
    proc.wait()
    assert target.read_bytes() == b"last month's register"


def test_failed_write_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "register.xlsx"
    target.write_bytes(b"old")

    def broken(tmp: Path) -> None:
        tmp.write_bytes(b"partial")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, broken, force=True)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.xlsx"]
