"""Two runs writing the same output at the same time never leave a corrupt file.

Real `risk-cli assess` processes, started together, several times. With --force the file
afterwards is always one of the two complete registers (each write is a temporary file renamed
into place); without it exactly one run wins and the other says the file already exists, and
the winner's register is intact.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import MINI, ROOT, mini_answers, write_yaml

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX rename and hard-link semantics")

ROUNDS = 4


def contents(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's values; the workbook must open (a torn file would not)."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def start(answers: Path, out: Path, force: bool) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1795000000"}  # same 'Generated' time
    argv = [sys.executable, "-m", "risk_cli", "assess", "-q", str(MINI), "--answers", str(answers), "--no-input",
            "-o", str(out), "--format", "json"] + (["--force"] if force else [])
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """Two answers files whose registers differ, and each register written alone."""
    folder = tmp_path_factory.mktemp("pair")
    a = write_yaml(folder / "a.yaml", mini_answers())
    b = write_yaml(folder / "b.yaml", mini_answers(profile__name="Another use case", data__personal="no", data__dpia=None,
                                                 data__kinds=None))
    expected = {}
    for source in (a, b):
        out = folder / f"{source.stem}-alone.xlsx"
        proc = start(source, out, force=False)
        assert proc.wait(timeout=60) == 0, proc.stderr.read()
        expected[source.stem] = contents(out)
    assert expected["a"] != expected["b"]
    return a, b, expected


def test_two_forced_runs_to_one_path_leave_one_whole_register(pair, tmp_path):
    a, b, expected = pair
    out = tmp_path / "register.xlsx"
    out.write_bytes(b"last month's register")
    for _ in range(ROUNDS):
        procs = [start(a, out, force=True), start(b, out, force=True)]
        codes = [p.wait(timeout=60) for p in procs]
        assert codes == [0, 0], [p.stderr.read() for p in procs]
        assert contents(out) in (expected["a"], expected["b"])
        assert not [p for p in tmp_path.iterdir() if p.name != out.name], "no temporary file is left behind"


def test_without_force_one_run_wins_and_the_other_says_so(pair, tmp_path):
    a, b, expected = pair
    for n in range(ROUNDS):
        out = tmp_path / f"register-{n}.xlsx"
        procs = [start(a, out, force=False), start(b, out, force=False)]
        codes = [p.wait(timeout=60) for p in procs]
        errors = [p.stderr.read() for p in procs]
        assert sorted(codes) == [0, 2], errors
        winner = codes.index(0)
        assert contents(out) == expected["ab"[winner]]
        assert errors[1 - winner].splitlines() == [f"error: {out}: already exists; use --force to replace it"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"register-{n}.xlsx" for n in range(ROUNDS)]
