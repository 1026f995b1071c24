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

HEAVY = ("openpyxl", "questionary", "prompt_toolkit", "tabulate")

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
