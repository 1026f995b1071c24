"""Start-up stays fast: help and version never import the heavy libraries.

Each case runs in a fresh interpreter, since this test process has long since imported
everything. Speed itself is measured by benchmarks/startup.py, never by a timed test.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from risk_cli.cli import cli

HEAVY = ("openpyxl", "questionary", "prompt_toolkit", "tabulate", "docx", "lxml",
         "risk_cli.model.questionnaire")  # the model: ~30 ms of dataclasses, needed only to run a command

PROBE = """
import json, sys
args, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sys.argv = ["risk-cli"] + args
from risk_cli.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(json.dumps({"code": code, "loaded": [m for m in heavy if m in sys.modules]}), file=sys.stderr)
"""


def invocations() -> list[list[str]]:
    cases = [["--help"], ["--version"]]
    cases += [[name, "--help"] for name in sorted(cli.commands)]
    return cases


@pytest.mark.parametrize("args", invocations(), ids=lambda a: " ".join(a))
def test_help_and_version_import_no_heavy_module(args: list[str]) -> None:
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args), json.dumps(HEAVY)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, None), proc.stderr
    assert proc.stdout.strip(), "printed nothing"
    assert report["loaded"] == [], f"risk-cli {' '.join(args)} imported {report['loaded']}"


def test_every_command_is_checked() -> None:
    """New commands are picked up automatically; make sure the list is not empty by mistake."""
    assert {"assess", "batch", "validate"} <= set(cli.commands)


def test_assess_of_an_answers_file_imports_no_spreadsheet_library(tmp_path) -> None:
    """Reading a YAML answers file and printing JSON needs no workbook: openpyxl (about 90 ms)
    must not be imported by the template reader's error types or anything else."""
    from tests.conftest import MINI, mini_answers, write_yaml

    answers = write_yaml(tmp_path / "answers.yaml", mini_answers())
    args = ["assess", "-q", str(MINI), "--answers", str(answers), "--no-input", "--format", "json"]
    libraries = [m for m in HEAVY if not m.startswith("risk_cli")]
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args), json.dumps(libraries)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, None), proc.stderr
    assert json.loads(proc.stdout)["questionnaire"]["id"] == "mini"
    assert report["loaded"] == [], f"assess of a YAML answers file imported {report['loaded']}"


FAST_READ = """
import json, sys
from risk_cli.readers import inputs
loaded = inputs.load_fast(sys.argv[1])
print(json.dumps({"kind": loaded.kind, "openpyxl": "openpyxl" in sys.modules}))
"""


def test_the_portfolio_fast_reader_imports_no_openpyxl(tmp_path, run) -> None:
    """A register's answers are read with python-calamine; checking the sheet is compact first
    must not import openpyxl just to turn column letters into numbers."""
    from tests.conftest import MINI, mini_answers, write_yaml

    pytest.importorskip("python_calamine")
    register = tmp_path / "register.xlsx"
    answers = write_yaml(tmp_path / "answers.yaml", mini_answers())
    assert run("assess", "-q", MINI, "--answers", answers, "--no-input", "-o", register).exit_code == 0
    proc = subprocess.run([sys.executable, "-c", FAST_READ, str(register)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"kind": "register", "openpyxl": False}


def test_the_entry_point_ends_with_every_output_complete(tmp_path) -> None:
    """main() freezes the garbage collector as the process ends (the last collection is wasted
    work): the register, the answers and everything printed must still be complete."""
    from openpyxl import load_workbook

    from tests.conftest import MINI, mini_answers, write_yaml

    answers = write_yaml(tmp_path / "answers.yaml", mini_answers())
    register = tmp_path / "register.xlsx"
    proc = subprocess.run([sys.executable, "-m", "risk_cli", "assess", "-q", str(MINI), "--answers", str(answers),
                           "--no-input", "-o", str(register), "--format", "json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["questionnaire"]["id"] == "mini" and result["risks"]
    wb = load_workbook(register)
    ids = [row[0] for row in wb["Risk register"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert ids == [r["id"] for r in result["risks"]]
    assert f"Risk register written to {register}" in proc.stderr
