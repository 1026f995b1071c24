"""Every workbook risk-cli writes prints legibly (issue 11, board pack): each visible sheet is A4
landscape, one page wide and as many pages down as it needs, a table's header row repeats on every
page, and every page has a header and footer with the subject, the protective marking, "Page n of
m" and the date. Text from a person is escaped in them, so it never becomes a header code.
(tests/test_libreoffice.py counts the pages LibreOffice prints.)"""

from __future__ import annotations

import openpyxl
import yaml

from risk_cli.writers import xlsx
from tests.conftest import ROOT, write_yaml

SAMPLE = ROOT / "sample_outputs" / "council-chatbot-answers.yaml"


def named(tmp_path, name):
    """The council chatbot sample, renamed."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["profile"]["profile.name"] = name
    return write_yaml(tmp_path / "answers.yaml", data)


def workbooks(tmp_path, run, answers, *extra):
    """Every kind of workbook risk-cli writes, from `answers`."""
    out = {}
    out["register"] = tmp_path / "register.xlsx"
    assert run("assess", "--answers", answers, "--no-input", "-o", out["register"], *extra).exit_code == 0
    out["template"] = tmp_path / "template.xlsx"
    assert run("template", "-o", out["template"], *extra).exit_code == 0
    result = run("batch", answers, "-o", tmp_path / "batch", "--jobs", "1", "--quiet", "--atrs", *extra)
    assert result.exit_code == 0, result.output
    out["batch summary"] = tmp_path / "batch" / "batch-summary.xlsx"
    out["portfolio"] = tmp_path / "portfolio.xlsx"
    assert run("portfolio", answers, "-o", out["portfolio"], "--quiet", *extra).exit_code == 0
    out["atrs"] = tmp_path / "atrs.xlsx"
    assert run("atrs", answers, "-o", out["atrs"], *extra).exit_code == 0
    return out


def visible(path):
    wb = openpyxl.load_workbook(path)
    return wb, [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


def test_every_sheet_of_every_workbook_prints_a4_landscape_one_page_wide_with_header_and_footer(tmp_path, run):
    paths = workbooks(tmp_path, run, SAMPLE)
    for kind, path in paths.items():
        wb, sheets = visible(path)
        assert sheets, kind
        for ws in sheets:
            where = f"{kind}: {ws.title}"
            setup = ws.page_setup
            assert setup.orientation == "landscape", where
            assert str(setup.paperSize) == "9", where  # A4
            assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), where
            assert ws.sheet_properties.pageSetUpPr.fitToPage is True, where
            assert ws.print_title_cols is None, where  # one page wide: no column repeated across pages
            header = ws.oddHeader
            footer = ws.oddFooter
            assert "OFFICIAL" in header.center.text and "OFFICIAL" in footer.center.text, where
            assert footer.left.text == "Page &P of &N", where
            assert "/20" in footer.right.text, where  # the date, dd/mm/yyyy
            assert header.left.text, where  # the subject
        if kind == "register":
            assert sheets[0].oddHeader.left.text == "Ask the Council chatbot"
            assert sheets[0].oddFooter.right.text == "Assessed 27/11/2026"
            for ws in sheets:
                if ws.title in ("Risk register", "Actions", "Responses"):
                    assert ws.print_title_rows == "$1:$1", ws.title
                assert ws.print_area, ws.title
        if kind == "template":
            assert wb["Questions"].print_title_rows == "$4:$4"


def test_the_register_is_narrow_enough_to_print_one_page_wide(tmp_path, run):
    """The Risk register was 800 characters wide (printed 9 pages across); its rows are no taller
    than their text needs, and no height is fixed beyond what the text takes."""
    paths = workbooks(tmp_path, run, SAMPLE)
    wb = openpyxl.load_workbook(paths["register"])
    ws = wb["Risk register"]
    total = sum(ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in range(1, ws.max_column + 1))
    assert total <= 520
    about = wb["About"]
    assert all((about.row_dimensions[r].height or 15) < 45 for r in range(1, 20))  # method lines: one or two lines each


def test_a_use_case_name_is_escaped_and_cut_in_page_headers(tmp_path, run):
    """'&' starts a header code: R&D would print 'R' and the date, &P a page number; a long name
    would pass Excel's 255-character limit for a header."""
    name = "R&D &P &[Date] " + "a very long use case name " * 10
    paths = workbooks(tmp_path, run, named(tmp_path, name))
    for kind in ("register", "atrs"):
        wb, sheets = visible(paths[kind])
        for ws in sheets:
            left = ws.oddHeader.left.text
            assert "R&&D &&P" in left, (kind, ws.title, left)
            assert len(left) <= 2 * xlsx.SUBJECT_LIMIT
            # every '&' the name brought is doubled: none is left alone to start a code
            assert left.replace("&&", "").count("&") == 0, left
    wb = openpyxl.load_workbook(paths["register"])
    assert "R&D" in wb.properties.title


def test_header_text_one_line_short_and_escaped():
    assert xlsx.header_text("Tom & Jerry") == "Tom && Jerry"
    assert xlsx.header_text("two\nlines\tand\x1b[31m red") == "two lines and [31m red"
    cut = xlsx.header_text("x" * 100, 20)
    assert len(cut) == 20 and cut.endswith("\u2026")
    assert xlsx.header_text("&" * 100, 10) == "&&" * 9 + "\u2026"
