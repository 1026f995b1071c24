"""--marking (issue 11, item 2): the protective marking on every workbook risk-cli writes, printed
in each page's header and footer and shown in the workbook; OFFICIAL unless given. Anything but
one short line is refused before any work: one error line, exit 2, nothing written."""

from __future__ import annotations

import openpyxl
import pytest

from tests.conftest import ROOT
from tests.test_print import SAMPLE, visible, workbooks

COMMANDS = ("assess", "batch", "import", "portfolio", "template", "atrs")


def cells(path):
    wb = openpyxl.load_workbook(path)
    return {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}


def test_marking_is_printed_and_shown_on_every_workbook(tmp_path, run):
    paths = workbooks(tmp_path, run, SAMPLE, "--marking", "OFFICIAL-SENSITIVE")
    for kind, path in paths.items():
        _, sheets = visible(path)
        for ws in sheets:
            assert "OFFICIAL-SENSITIVE" in ws.oddHeader.center.text, (kind, ws.title)
            assert "OFFICIAL-SENSITIVE" in ws.oddFooter.center.text, (kind, ws.title)
        assert any("OFFICIAL-SENSITIVE" in text for text in cells(path)), kind
    summary = openpyxl.load_workbook(paths["register"])["Summary"]
    rows = {row[0]: row[1] for row in summary.iter_rows(min_row=3, max_row=6, max_col=2, values_only=True)}
    assert rows["Protective marking"] == "OFFICIAL-SENSITIVE"
    # the batch wrote its registers and ATRS records with it too
    register = next((tmp_path / "batch").glob("*-register.xlsx"))
    assert "OFFICIAL-SENSITIVE" in openpyxl.load_workbook(register)["Summary"].oddHeader.center.text


def test_import_writes_the_marking_on_its_registers(tmp_path, run):
    result = run("import", SAMPLE, "-o", tmp_path / "imported", "--marking", "SECRET")
    assert result.exit_code == 0, result.output
    register = next((tmp_path / "imported").glob("*-register.xlsx"))
    assert "SECRET" in openpyxl.load_workbook(register)["Summary"].oddHeader.center.text


def test_official_by_default(tmp_path, run):
    out = tmp_path / "register.xlsx"
    assert run("assess", "--answers", SAMPLE, "--no-input", "-o", out).exit_code == 0
    ws = openpyxl.load_workbook(out)["Summary"]
    assert ws.oddHeader.center.text == "&BOFFICIAL&B"
    assert ws["B3"].value == "OFFICIAL"


def args_for(command, tmp_path):
    out = tmp_path / "out.xlsx"
    return {
        "assess": ["assess", "--answers", SAMPLE, "--no-input", "-o", out],
        "batch": ["batch", SAMPLE, "-o", tmp_path / "batch", "--quiet"],
        "import": ["import", SAMPLE, "-o", tmp_path / "imported"],
        "portfolio": ["portfolio", SAMPLE, "-o", out, "--quiet"],
        "template": ["template", "-o", out],
        "atrs": ["atrs", SAMPLE, "-o", out],
    }[command]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("marking", ["OFFICIAL\nerror: forged", "x" * 51, "SECRET\x1b[2J", "", "   ", "A\u2028B"])
def test_a_bad_marking_is_one_error_line_exit_2_and_nothing_written(tmp_path, run, command, marking):
    result = run(*args_for(command, tmp_path), "--marking", marking)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --marking"), result.output
    assert "\x1b" not in result.output
    assert not (tmp_path / "out.xlsx").exists()
    assert not (tmp_path / "batch").exists() and not (tmp_path / "imported").exists()


def test_any_short_line_is_accepted(tmp_path, run):
    out = tmp_path / "register.xlsx"
    marking = "OFFICIAL-SENSITIVE [PERSONAL] & R&D"
    assert run("assess", "--answers", SAMPLE, "--no-input", "-o", out, "--marking", marking).exit_code == 0
    ws = openpyxl.load_workbook(out)["Summary"]
    assert ws.oddFooter.center.text == "&BOFFICIAL-SENSITIVE [PERSONAL] && R&&D&B"
    assert ws["B3"].value == marking


def test_the_docs_list_the_option_on_every_writing_command():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert text.count("--marking") >= len(COMMANDS)
