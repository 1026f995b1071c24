"""import writes each input's answers file and register both or neither, and says what it wrote.

Before: on a full disk, import left `*-answers.yaml` files without their registers and closed with
"Nothing written"; Ctrl-C in a long import left an answers file without its register and said
only "interrupted". Now each input's two files are written to temporary files and moved into
place together (fileio.atomic_write_all); a failed write stops the import and the closing line
says how many inputs were written; Ctrl-C says "interrupted: N of M input(s) written to OUT;
nothing half-written". Real `python -m risk_cli` processes.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import MINI, ROOT, ctrl_c_as_in_a_terminal, mini_answers, write_yaml
from tests.hostile.test_full_disk import _unshare, run_full

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and file systems")


def inputs(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        write_yaml(folder / f"team-{i:03d}.yaml", mini_answers(profile__name=f"Use case {i}"))
    return folder


def pairs(out: Path) -> tuple[set[str], set[str]]:
    """The inputs whose answers file is in `out`, and those whose register is."""
    if not out.exists():
        return set(), set()
    answers = {p.name[: -len("-answers.yaml")] for p in out.glob("*-answers.yaml")}
    registers = {p.name[: -len("-register.xlsx")] for p in out.glob("*-register.xlsx")}
    return answers, registers


def hidden(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith(".")) if out.exists() else []


def test_a_full_disk_leaves_no_answers_file_without_its_register(tmp_path):
    """Every register fails (ENOSPC past 4,000 bytes); the small answers files would fit."""
    src = inputs(tmp_path / "in", 3)
    out = tmp_path / "out"
    proc = run_full(["import", src, "-q", MINI, "-o", out], tmp_path, 4_000)
    assert proc.returncode == 2, proc.stderr
    assert "Exception ignored" not in proc.stderr and "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: {src / 'team-000.yaml'}: {out / 'team-000-register.xlsx'}: cannot write "
                      "(No space left on device)"]
    assert pairs(out) == (set(), set())  # no answers file alone
    assert hidden(out) == []
    assert proc.stdout.splitlines()[-1] == "Nothing written: fix the problems above and run the import again."


@pytest.mark.skipif(not _unshare(), reason="cannot mount a tmpfs in a user namespace here")
def test_a_real_full_disk_midway_says_what_was_written(tmp_path):
    src = inputs(tmp_path / "in", 6)
    disk = tmp_path / "disk"
    disk.mkdir()
    out = disk / "out"
    script = (f'mount -t tmpfs -o size=40k tmpfs "{disk}" && "{sys.executable}" -m risk_cli import "{src}" '
              f'-q "{MINI}" -o "{out}"; echo "rc=$?"; ls -A "{out}"')
    proc = subprocess.run(["unshare", "-r", "-m", "sh", "-c", script], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert "Exception ignored" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].endswith("cannot write (No space left on device)"), proc.stderr
    lines = proc.stdout.splitlines()
    assert "rc=2" in lines
    listed = lines[lines.index("rc=2") + 1:]
    answers = {n[: -len("-answers.yaml")] for n in listed if n.endswith("-answers.yaml")}
    registers = {n[: -len("-register.xlsx")] for n in listed if n.endswith("-register.xlsx")}
    assert answers == registers and answers, listed  # whole pairs only, and at least one
    assert not [n for n in listed if n.startswith(".")]
    closing = [line for line in lines if line.startswith("Stopped: ")]
    assert closing == [f"Stopped: {len(answers)} of 6 inputs written to {out} (each with its answers file and "
                       "register; nothing half-written); the rest not written: fix the problem above and run the "
                       "import again with --force."], proc.stdout


def interrupt_midway(tmp_path: Path, sig: int, n: int = 60) -> tuple[subprocess.Popen, Path, str]:
    src = inputs(tmp_path / "in", n)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "risk_cli", "import", str(src), "-q", str(MINI), "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=ctrl_c_as_in_a_terminal)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(pairs(out)[1]) < 3:
        time.sleep(0.005)
    assert proc.poll() is None, "the import finished before it could be interrupted"
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    return proc, out, stderr


def check_interrupted(proc: subprocess.Popen, out: Path, stderr: str, code: int, n: int = 60) -> None:
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr, stderr
    answers, registers = pairs(out)
    assert answers == registers, (answers ^ registers)
    assert hidden(out) == []
    match = re.fullmatch(rf"interrupted: (\d+) of {n} input\(s\) written to {re.escape(str(out))}; "
                         r"nothing half-written", stderr.strip())
    assert match, stderr
    assert int(match.group(1)) == len(answers) and 0 < len(answers) < n


def test_ctrl_c_midway_leaves_whole_pairs_and_says_how_many(tmp_path):
    proc, out, stderr = interrupt_midway(tmp_path, signal.SIGINT)
    check_interrupted(proc, out, stderr, 130)
