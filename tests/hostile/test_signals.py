"""SIGTERM and kill -9: batch keeps control of its worker processes and leaves no temporary files.

Before: SIGTERM or kill -9 to a running batch left its four workers behind with PPID 1, blocked
until killed by hand, and `timeout 4 risk-cli batch ...` left hidden `.tmp` files in the output
folder. Now SIGTERM is handled as Ctrl-C is (clean up, say what was written, exit 143), workers
end when their parent ends (PR_SET_PDEATHSIG on Linux, and a check of os.getppid), and a worker
ended by SIGTERM removes the temporary file it was writing. Real `python -m risk_cli` processes.
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

from tests.conftest import MINI, ROOT, mini_answers, write_yaml
from tests.hostile.test_import_whole import check_interrupted, interrupt_midway

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for the worker processes")

JOBS = 2


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid`."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2:].split()[0] != "Z"


@pytest.fixture
def reaper():
    """Processes a test started: any still running at its end are killed (a failing test, before the
    fix, would otherwise leave orphaned workers behind)."""
    pids: set[int] = set()
    yield pids
    kill_leftovers({p for p in pids if alive(p)})


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    for n in range(400):  # far more than can be assessed before the signal lands
        write_yaml(folder / f"case-{n:04}.yaml", mini_answers(profile__name=f"Case {n}"))
    return folder


def start_batch(many: Path, out: Path, reaper: set[int]) -> tuple[subprocess.Popen, set[int]]:
    """A batch with its workers running and some registers written."""
    proc = subprocess.Popen([sys.executable, "-m", "risk_cli", "batch", str(many), "-o", str(out), "-q", str(MINI),
                             "--jobs", str(JOBS), "--quiet"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (out.is_dir() and len(list(out.glob("*-register.xlsx"))) >= 4):
        time.sleep(0.01)
    assert proc.poll() is None, "the batch finished before the signal was sent"
    workers = children(proc.pid)
    reaper.update(workers | {proc.pid})
    assert len(workers) >= JOBS, workers
    return proc, workers


def all_gone(pids: set[int], seconds: float = 10.0) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = {p for p in pids if alive(p)}
        if not left:
            return set()
        time.sleep(0.05)
    return {p for p in pids if alive(p)}


def kill_leftovers(pids: set[int]) -> None:
    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass


def hidden(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


def test_sigterm_stops_the_batch_cleanly_and_exits_143(many, tmp_path, reaper):
    """What `timeout` does: SIGTERM to the batch process alone."""
    out = tmp_path / "out"
    proc, workers = start_batch(many, out, reaper)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    left = all_gone(workers)
    kill_leftovers(left)
    assert not left, f"workers left running: {left}"
    stderr = proc.stderr.read()
    assert proc.returncode == 143, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    written = sorted(out.glob("*-register.xlsx"))
    match = re.fullmatch(r"interrupted after (\d+) of 400 input\(s\): (\d+) register\(s\) written to "
                         + re.escape(str(out)) + r", each a complete file \(nothing half-written\); "
                         r"no summary was written", stderr.strip())
    assert match, stderr
    assert int(match.group(2)) == len(written) and 0 < len(written) < 400
    assert hidden(out) == []  # no temporary file left
    assert not (out / "batch-summary.xlsx").exists()


def test_kill_9_of_the_batch_ends_its_workers(many, tmp_path, reaper):
    out = tmp_path / "out"
    proc, workers = start_batch(many, out, reaper)
    proc.kill()
    proc.wait(timeout=60)
    left = all_gone(workers, seconds=5.0)
    kill_leftovers(left)
    assert not left, f"workers left running with PPID 1: {left}"
    # each worker removed the temporary file it was writing; the folder's lock file stays after a
    # kill -9, but the kernel released its lock (the next run takes it: test_concurrency)
    assert [n for n in hidden(out) if n != ".risk-cli.lock"] == []


def test_sigterm_to_every_process_of_the_batch(many, tmp_path, reaper):
    """`kill -TERM -PGID` (a CI runner ending a job): the workers get it too."""
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "risk_cli", "batch", str(many), "-o", str(out), "-q", str(MINI),
                             "--jobs", str(JOBS), "--quiet"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (out.is_dir() and len(list(out.glob("*-register.xlsx"))) >= 4):
        time.sleep(0.01)
    workers = children(proc.pid)
    reaper.update(workers | {proc.pid})
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)
    left = all_gone(workers)
    kill_leftovers(left)
    assert not left
    stderr = proc.stderr.read()
    assert proc.returncode == 143, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert hidden(out) == []


def test_sigterm_midway_through_an_import(tmp_path):
    proc, out, stderr = interrupt_midway(tmp_path, signal.SIGTERM)
    check_interrupted(proc, out, stderr, 143)
