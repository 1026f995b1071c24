"""Paths that cannot be read, file names that are hostile in themselves, and what --debug adds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from risk_cli.model import scoring
from tests.conftest import MINI, ROOT, mini_answers, write_yaml
from tests.hostile.harness import ANSWER_READERS, PREVIOUS, QUESTIONNAIRE_READERS, error_lines, invoke

RUN_ALL = """
import json, sys
from click.testing import CliRunner
from risk_cli.cli import cli
out = []
for argv in json.load(sys.stdin):
    r = CliRunner().invoke(cli, argv)
    out.append({"exit_code": r.exit_code, "stdout": r.stdout, "stderr": r.stderr})
print(json.dumps(out))
"""


def run_unprivileged(argvs: list[list[str]], cwd: Path) -> list[dict]:
    """Run CLI invocations where a file with no read permission really cannot be read.

    As an ordinary user, in this process. As root (who can read anything), in one child process
    whose capabilities to bypass file permissions are dropped (setpriv), as an ordinary user's run.
    """
    if os.geteuid() != 0:
        results = []
        for argv in argvs:
            result, _ = invoke(*argv)
            results.append({"exit_code": result.exit_code, "stdout": result.stdout, "stderr": result.stderr})
        return results
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, which reads any file, and setpriv (to drop that power) is not installed")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([setpriv, "--bounding-set=-dac_override,-dac_read_search", sys.executable, "-c", RUN_ALL],
                          input=json.dumps(argvs), capture_output=True, text=True, cwd=cwd, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_unreadable_files_in_every_command(tmp_path):
    good = write_yaml(tmp_path / "good.yaml", mini_answers())
    register = tmp_path / "register.xlsx"
    result, _ = invoke("assess", "-q", MINI, "--answers", good, "--no-input", "-o", register)
    assert result.exit_code == 0, result.output
    locked_yaml = tmp_path / "locked.yaml"
    locked_yaml.write_bytes(good.read_bytes())
    locked_xlsx = tmp_path / "locked.xlsx"
    locked_xlsx.write_bytes(register.read_bytes())
    locked_q = tmp_path / "locked-questionnaire.yaml"
    locked_q.write_bytes(MINI.read_bytes())
    for p in (locked_yaml, locked_xlsx, locked_q):
        p.chmod(0)
    plans = []  # (command, input, work folder)
    for command in ANSWER_READERS:
        plans += [(command, locked_yaml), (command, locked_xlsx)]
    plans += [(PREVIOUS, locked_xlsx)] + [(command, locked_q) for command in QUESTIONNAIRE_READERS]
    works = [tmp_path / f"w{i}" for i in range(len(plans))]
    for w in works:
        w.mkdir()
    argvs = [[str(a) for a in command.argv(source, work, good)] for (command, source), work in zip(plans, works)]
    results = run_unprivileged(argvs, tmp_path)
    for (command, source), work, got in zip(plans, works, results):
        label = f"{command.name} {source.name}"
        assert got["exit_code"] == command.exit_code, (label, got)
        everything = got["stdout"] + got["stderr"]
        assert "Traceback" not in everything and "internal error" not in everything, (label, everything)
        lines = [line for line in got["stderr"].splitlines() if line.startswith("error: ")]
        assert lines == command.expected([f"{source}: cannot be read (permission denied)"]), (label, lines)
        for out in command.outputs(work, source):
            assert not out.exists(), (label, out)


# -- hostile file names --------------------------------------------------------------------

NAMES = ["=HYPERLINK(\"x\",\"y\").yaml", "+44 20.yaml", "-2+3.yaml", "@SUM(A1).yaml",
         "bell\x07.yaml", "new\nline.yaml", "esc\x1b[2J.yaml"]


@pytest.mark.skipif(sys.platform == "win32", reason="these names are not allowed on Windows")
def test_hostile_file_names_stay_text_and_one_line(tmp_path):
    """File names reach the terminal and the summary workbooks: shown as plain text on one line,
    never a formula, never a terminal control sequence, never a crash."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    good, bad = mini_answers(), mini_answers(data__personal="maybe")
    for i, name in enumerate(NAMES):
        write_yaml(inputs / name, good if i % 2 == 0 else bad)
    result, _ = invoke("batch", inputs, "-q", MINI, "-o", tmp_path / "out", "--jobs", "1", "--quiet")
    assert result.exit_code == 3, result.output
    for line in result.stderr.splitlines():
        assert "\x07" not in line and "\x1b" not in line
    shown = error_lines(result)
    assert len(shown) == 3 and all(line.endswith("'maybe' is not an allowed answer (allowed: yes, no, dont_know)")
                                   for line in shown), shown
    assert f"error: {inputs}/new\\nline.yaml: data.personal:" in result.stderr
    summary = openpyxl.load_workbook(tmp_path / "out" / "batch-summary.xlsx")
    files = [row[1] for row in summary["Summary"].iter_rows(min_row=2, values_only=True)]
    assert sorted(files) == sorted(str(inputs / n).replace("\x07", "\\x07").replace("\x1b", "\\x1b") for n in NAMES)
    for ws in summary.worksheets:
        for row in ws.iter_rows():
            assert all(cell.data_type != "f" for cell in row)
    result, _ = invoke("portfolio", inputs, "-q", MINI, "-o", tmp_path / "portfolio.xlsx")
    assert result.exit_code == 3, result.output
    assert all("\x07" not in line and "\x1b" not in line for line in result.stderr.splitlines())
    portfolio = openpyxl.load_workbook(tmp_path / "portfolio.xlsx")
    for ws in portfolio.worksheets:
        for row in ws.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


# -- --debug, and what a bug looks like ----------------------------------------------------

def test_debug_shows_the_traceback_and_a_normal_run_one_line(tmp_path):
    bad = write_yaml(tmp_path / "bad.yaml", mini_answers(data__personal="maybe"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("RISK_CLI_DEBUG", None)
    argv = ["assess", "-q", str(MINI), "--answers", str(bad), "--no-input"]
    line = f"error: {bad}: data.personal: 'maybe' is not an allowed answer (allowed: yes, no, dont_know)"
    normal = subprocess.run([sys.executable, "-m", "risk_cli", *argv], capture_output=True, text=True, env=env,
                            timeout=60)
    assert normal.returncode == 2
    assert normal.stderr.splitlines() == [line]
    debug = subprocess.run([sys.executable, "-m", "risk_cli", "--debug", *argv], capture_output=True, text=True,
                           env=env, timeout=60)
    assert debug.returncode != 0
    assert "Traceback (most recent call last)" in debug.stderr
    assert "InputProblems" in debug.stderr and "'maybe' is not an allowed answer" in debug.stderr


def test_a_bug_is_one_line_exit_70_and_debug_shows_where(tmp_path, monkeypatch):
    good = write_yaml(tmp_path / "good.yaml", mini_answers())

    def broken(*args, **kwargs):
        raise RuntimeError("a bug for the test")

    monkeypatch.setattr(scoring, "assess", broken)
    monkeypatch.setattr("risk_cli.workflows.assess.assess", broken)
    result, _ = invoke("assess", "-q", MINI, "--answers", good, "--no-input")
    assert result.exit_code == 70
    assert result.stderr.splitlines() == ["internal error: RuntimeError: a bug for the test (run with --debug for the "
                                          "traceback, and please report it)"]
    with pytest.raises(RuntimeError, match="a bug for the test"):
        invoke("--debug", "assess", "-q", MINI, "--answers", good, "--no-input")
