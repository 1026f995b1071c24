"""A full disk while writing: one error line, no traceback, nothing half-written left behind.

openpyxl left its ZipFile open when a write failed, and the interpreter closed it later, writing
to the full disk again: after the right error line came "Exception ignored in: <function
ZipFile.__del__ ...> ... OSError: [Errno 28] No space left on device".

Two ways to fill the disk, each in a real `python -m risk_cli` process (what the interpreter
prints when it collects a broken ZipFile only shows in a process of its own):
- ENOSPC simulated: every file opened for writing a temporary output (`.*.tmp`) fails with
  ENOSPC once `LIMIT` bytes have been written to it (or when it is closed after that);
- where the kernel allows it (a user and mount namespace: `unshare -r -m`), a real tiny tmpfs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINI, ROOT, mini_answers, write_yaml

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX only")

FULL_DISK = r'''
import builtins, errno, io, os, sys

LIMIT = int(os.environ["RISK_TEST_LIMIT"])
_open = io.open


def enospc():
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class Full:
    """A file on a disk that fills up after LIMIT bytes."""

    def __init__(self, f):
        self._f, self._n = f, 0

    def write(self, data):
        self._n += len(data)
        if self._n > LIMIT:
            raise enospc()
        return self._f.write(data)

    def close(self):
        if self._f.closed:
            return
        self._f.close()
        if self._n > LIMIT:
            raise enospc()  # as a buffered file's last flush fails

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __getattr__(self, name):
        return getattr(self._f, name)


def full_open(file, mode="r", *args, **kwargs):
    f = _open(file, mode, *args, **kwargs)
    name = os.path.basename(os.fspath(file)) if isinstance(file, (str, bytes, os.PathLike)) else ""
    if isinstance(name, str) and name.startswith(".") and name.endswith(".tmp") and any(c in mode for c in "wax+"):
        return Full(f)
    return f


io.open = builtins.open = full_open
sys.argv = ["risk-cli"] + sys.argv[1:]
from risk_cli.cli import main
main()
'''


def run_full(args: list, cwd: Path, limit: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RISK_TEST_LIMIT": str(limit)}
    return subprocess.run([sys.executable, "-c", FULL_DISK, *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def check_one_error(proc: subprocess.CompletedProcess, code: int = 2) -> list[str]:
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert "Exception ignored" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    errors = [line for line in lines if line.startswith("error: ")]
    assert errors and all("No space left on device" in e for e in errors), proc.stderr
    assert proc.returncode == code, proc.stderr
    return errors


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    return write_yaml(tmp_path / "a.yaml", mini_answers())


@pytest.mark.parametrize("limit", [0, 2_000, 9_000])
def test_assess_on_a_full_disk_prints_one_error_line(tmp_path, answers, limit):
    out = tmp_path / "register.xlsx"
    proc = run_full(["assess", "-q", MINI, "--answers", answers, "--no-input", "-o", out, "--format", "json"],
                    tmp_path, limit)
    errors = check_one_error(proc)
    assert errors == [f"error: {out}: cannot write (No space left on device)"]
    assert proc.stderr.strip().splitlines() == errors
    assert not out.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("limit", [0, 5_000])
def test_template_on_a_full_disk_prints_one_error_line(tmp_path, limit):
    out = tmp_path / "t.xlsx"
    proc = run_full(["template", "-q", MINI, "-o", out], tmp_path, limit)
    assert check_one_error(proc) == [f"error: {out}: cannot write (No space left on device)"]
    assert proc.stderr.strip().splitlines() == [f"error: {out}: cannot write (No space left on device)"]
    assert not out.exists() and leftovers(tmp_path) == []


def test_portfolio_on_a_full_disk_prints_one_error_line(tmp_path, answers):
    out = tmp_path / "portfolio.xlsx"
    proc = run_full(["portfolio", answers, "-q", MINI, "-o", out], tmp_path, 3_000)
    check_one_error(proc)
    assert "Exception ignored" not in proc.stderr
    assert not out.exists() and leftovers(tmp_path) == []


def _unshare() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-r", "-m", "sh", "-c", "mount -t tmpfs -o size=16k tmpfs /mnt 2>/dev/null "
                            "|| mount -t tmpfs -o size=16k tmpfs \"$TMPDIR\""],
                           capture_output=True, env={**os.environ, "TMPDIR": "/tmp"})
    return probe.returncode == 0


@pytest.mark.skipif(not _unshare(), reason="cannot mount a tmpfs in a user namespace here")
@pytest.mark.parametrize("size", ["4k", "8k", "12k"])
def test_assess_on_a_real_tiny_tmpfs(tmp_path, answers, size):
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (f'mount -t tmpfs -o size={size} tmpfs "{disk}" && '
              f'"{sys.executable}" -m risk_cli assess -q "{MINI}" --answers "{answers}" --no-input '
              f'-o "{disk}/r.xlsx" --format json >/dev/null; echo "rc=$?" >&2; ls -A "{disk}" >&2')
    proc = subprocess.run(["unshare", "-r", "-m", "sh", "-c", script], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    lines = proc.stderr.strip().splitlines()
    assert "Exception ignored" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert lines == [f"error: {disk}/r.xlsx: cannot write (No space left on device)", "rc=2"], proc.stderr
