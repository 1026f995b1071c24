"""Two runs writing the same output at the same time never leave a corrupt file.

Real `risk-cli assess` processes, started together, several times. With --force the file
afterwards is always one of the two complete registers (each write is a temporary file renamed
into place); without it exactly one run wins and the other says the file already exists, and
the winner's register is intact.
"""

from __future__ import annotations

import os
import subprocess
import time
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


# -- two batches (or imports) into one folder at once ------------------------------------------
#
# Before: the loser of two batches racing into one folder exited 2 ("nothing written") after
# writing 32 registers, and the winner listed 8 of its inputs as bad, "already exists". Now a
# run holds the output folder (an exclusive flock on OUTDIR/.risk-cli.lock): a second run is
# refused at once, before it writes anything, in one line, exit 2.

LOCKED = "error: another risk-cli is writing to {}; wait for it to finish, or write to another folder"


def team_inputs(folder: Path, n: int, who: str) -> Path:
    """n answers files named alike in every folder (so their registers clash), told apart by name."""
    folder.mkdir()
    for i in range(n):
        write_yaml(folder / f"case-{i:03d}.yaml", mini_answers(profile__name=f"{who} {i}"))
    return folder


def start_batch(inputs: Path, out: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "risk_cli", "batch", str(inputs), "-o", str(out), "-q", str(MINI), "--jobs", "2",
            "--quiet", *extra]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)


def use_cases(out: Path) -> set[str]:
    """Whose registers are in `out` (the use case name's first word)."""
    names = set()
    for path in out.glob("*-register.xlsx"):
        wb = openpyxl.load_workbook(path, read_only=True)
        names.add(str(wb["risk-cli data"]["A2"].value).split("name: ", 1)[1].split()[0].strip("'\""))
        wb.close()
    return names


def test_a_second_batch_into_the_same_folder_is_refused_at_once(tmp_path):
    import signal

    first = team_inputs(tmp_path / "first", 12, "First")
    second = team_inputs(tmp_path / "second", 12, "Second")
    out = tmp_path / "out"
    a = start_batch(first, out)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (out.is_dir() and any(out.glob("*-register.xlsx"))):
        time.sleep(0.005)
    a.send_signal(signal.SIGSTOP)  # hold the first batch mid-run, holding its lock, for as long as the check takes
    try:
        assert a.poll() is None, "the first batch finished before the second started"
        b = start_batch(second, out, "--force")  # even --force does not let it in
        assert b.wait(timeout=30) == 2
        assert b.stderr.read().splitlines() == [LOCKED.format(out)]
        assert a.poll() is None, "the refusal came at once, while the first was still writing"
    finally:
        a.send_signal(signal.SIGCONT)
    assert a.wait(timeout=120) == 0, a.stderr.read()
    assert len(list(out.glob("*-register.xlsx"))) == 12 and (out / "batch-summary.xlsx").exists()
    assert use_cases(out) == {"First"}  # nothing of the second's
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # the lock file went with the run


def test_two_batches_started_together_one_writes_and_the_other_writes_nothing(tmp_path):
    for n in range(ROUNDS):
        first = team_inputs(tmp_path / f"first-{n}", 12, "First")
        second = team_inputs(tmp_path / f"second-{n}", 12, "Second")
        out = tmp_path / f"out-{n}"
        procs = [start_batch(first, out), start_batch(second, out)]
        codes = [p.wait(timeout=120) for p in procs]
        errors = [p.stderr.read() for p in procs]
        assert sorted(codes) == [0, 2], errors
        winner = codes.index(0)
        assert errors[winner] == ""  # no input of the winner's reported as "already exists"
        loser = errors[1 - winner].splitlines()
        # refused by the lock, or (when it started after the winner had finished) by the clashes
        assert loser == [LOCKED.format(out)] or all(line.endswith("already exists; use --force to replace it")
                                                     for line in loser), loser
        assert use_cases(out) == {["First", "Second"][winner]}
        assert len(list(out.glob("*-register.xlsx"))) == 12


def test_a_lock_held_by_another_run_refuses_batch_and_import(tmp_path, run):
    import fcntl

    answers = write_yaml(tmp_path / "a.yaml", mini_answers())
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".risk-cli.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        for args in (("batch", answers, "-o", out, "-q", MINI, "-j", "1"), ("import", answers, "-o", out, "-q", MINI)):
            result = run(*args)
            assert result.exit_code == 2, result.output
            assert result.stderr.splitlines() == [LOCKED.format(out)]
            assert sorted(p.name for p in out.iterdir()) == [".risk-cli.lock"]  # nothing written
        assert run("import", answers, "-o", out, "-q", MINI, "--dry-run").exit_code == 0  # writes nothing: no lock


def test_a_lock_file_left_by_a_killed_run_does_not_block(tmp_path, run):
    """kill -9 leaves the lock file, but the kernel released the lock with the process."""
    answers = write_yaml(tmp_path / "a.yaml", mini_answers())
    out = tmp_path / "out"
    out.mkdir()
    (out / ".risk-cli.lock").write_text("")
    result = run("batch", answers, "-o", out, "-q", MINI, "-j", "1", "--quiet")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["a-register.xlsx", "batch-summary.xlsx"]


def test_a_refused_batch_leaves_no_folder_it_made(tmp_path, run):
    answers = write_yaml(tmp_path / "a.yaml", mini_answers())
    out = tmp_path / "new"
    result = run("batch", answers, "-o", out, "-q", MINI, "--fail-on", "no-such-rating")
    assert result.exit_code == 2
    assert not out.exists()
