"""Every kind of workbook risk-cli writes opens in a real spreadsheet program.

Runs where LibreOffice is installed (`apt-get install libreoffice-calc-nogui`); CI machines
without it skip this file, and the rest of the suite reads every workbook with openpyxl.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import ROOT

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")

SAMPLE = ROOT / "sample_outputs" / "caseworker-reply-assistant-answers.yaml"


def opens_in_libreoffice(path, tmp_path) -> None:
    out = tmp_path / "pdf"
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(path)],
        capture_output=True, text=True, timeout=120)
    pdf = out / (path.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists() and pdf.stat().st_size > 1000, result.stdout + result.stderr


def test_register_template_batch_summary_portfolio_and_atrs_record_open(tmp_path, run):
    register = tmp_path / "register.xlsx"
    assert run("assess", "--answers", SAMPLE, "--no-input", "-o", register).exit_code == 0
    template = tmp_path / "template.xlsx"
    assert run("template", "-o", template).exit_code == 0
    batch_out = tmp_path / "batch"
    assert run("batch", ROOT / "sample_outputs", "-o", batch_out, "--jobs", "1", "--quiet").exit_code == 0
    portfolio = tmp_path / "portfolio.xlsx"
    assert run("portfolio", ROOT / "sample_outputs", "-o", portfolio, "--quiet").exit_code == 0
    record = tmp_path / "atrs.xlsx"
    assert run("atrs", SAMPLE, "-o", record).exit_code == 0
    for path in (register, template, batch_out / "batch-summary.xlsx", portfolio, record):
        opens_in_libreoffice(path, tmp_path)
