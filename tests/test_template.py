"""`risk-cli template`: the workbook a team fills in, read back with openpyxl."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest

from risk_cli.catalogue import loader
from risk_cli.model import conditions
from risk_cli.writers.template import LISTS, META, QUESTIONS, describe
from tests.conftest import MINI, ROOT
from tests.template_fill import locate, make_template

RANGE = re.compile(r"^'Lists'!\$([A-Z]+)\$(\d+):\$\1\$(\d+)$")


@pytest.fixture
def template(tmp_path, run):
    return make_template(run, tmp_path / "questionnaire.xlsx")


def list_values(wb, formula):
    m = RANGE.match(formula)
    assert m, f"not a range on the hidden Lists sheet: {formula}"
    col, first, last = m.group(1), int(m.group(2)), int(m.group(3))
    return [wb[LISTS][f"{col}{r}"].value for r in range(first, last + 1)]


def validation_for(ws, coord):
    found = [dv for dv in ws.data_validations.dataValidation if coord in dv.sqref]
    assert len(found) == 1, f"{coord}: {len(found)} validations"
    return found[0]


def test_sheets_and_hidden_metadata(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["Instructions", QUESTIONS, LISTS, META]
    assert wb.active.title == "Instructions"
    assert wb[LISTS].sheet_state == "hidden"
    assert wb[META].sheet_state == "veryHidden"
    assert wb.security.lockStructure
    meta_ws = wb[META]
    text = "".join(row[0] for row in meta_ws.iter_rows(min_row=3, max_col=1, values_only=True) if row[0])
    meta = json.loads(text)
    qn = loader.load(MINI)
    assert meta["questionnaire"] == {"id": "mini", "version": "0.1.0", "sha256": qn.sha256, "title": qn.title}
    assert meta["template_format"] == 1
    assert [q["id"] for q in meta["questions"]] == [q.id for q in qn.questions]
    kinds = next(q for q in meta["questions"] if q["id"] == "data.kinds")
    assert [(c["id"], c["cell"]) for c in kinds["choices"]] == [("health", "E15"), ("finance", "E16"), ("none", "E17")]


def test_question_rows(template):
    ws = openpyxl.load_workbook(template)[QUESTIONS]
    questions, choices = locate(ws)
    assert questions == {"profile.name": 6, "profile.organisation": 7, "profile.owner": 8, "profile.phase": 9,
                         "profile.role": 10, "data.personal": 12, "data.dpia": 13, "data.kinds": 14,
                         "data.volume": 18, "data.note": 19, "delivery.skills": 21, "delivery.date": 22}
    assert choices == {("data.kinds", "Health"): 15, ("data.kinds", "Finance"): 16, ("data.kinds", "None of these"): 17}
    header = [c.value for c in ws[4]]
    assert header == ["Question ID", "Section", "Question", "Answer only if", "Answer", "Note (optional)",
                      "Allowed answers", "Required", "Help", "Sources"]
    row = [c.value for c in ws[13]]
    assert row[:4] == ["data.dpia", "Data", "DPIA done?", "Answer only if data.personal is Yes"]
    assert row[6:] == ["Yes, No or Don't know", "Required if it applies", "DPIA.", "A test source"]
    assert ws["G9"].value == "Alpha or Live"
    assert ws["G18"].value == "a number, at least 0"
    assert ws["G22"].value == "a date, dd/mm/yyyy"
    assert ws["G14"].value.startswith("Tick Yes on each choice that applies")
    assert ws["G17"].value == "Yes if it applies (only on its own)"
    assert ws["A5"].value == "1. Profile" and ws["A11"].value == "2. Data"
    assert ws["D3"].value.startswith("Date completed") and ws["E3"].number_format == "dd/mm/yyyy"
    assert ws["E22"].number_format == "dd/mm/yyyy"
    for r in range(1, ws.max_row + 1):  # nothing written is ever a formula
        for cell in ws[r]:
            assert cell.data_type != "f", cell.coordinate


def test_dropdowns_point_at_the_hidden_lists_sheet(template):
    wb = openpyxl.load_workbook(template)
    ws = wb[QUESTIONS]
    for dv in ws.data_validations.dataValidation:
        formula = dv.formula1 or ""
        assert not formula.startswith('"'), f"inline list in {dv.sqref}: {formula}"
        assert len(formula) <= 255
        if dv.type == "list":
            assert RANGE.match(formula), formula
    assert list_values(wb, validation_for(ws, "E12").formula1) == ["Yes", "No", "Don't know"]
    assert list_values(wb, validation_for(ws, "E9").formula1) == ["Alpha", "Live"]
    assert list_values(wb, validation_for(ws, "E10").formula1) == ["Supports staff", "Decides"]
    for coord in ("E15", "E16", "E17"):
        assert list_values(wb, validation_for(ws, coord).formula1) == ["Yes", "No"]
    assert validation_for(ws, "E18").type == "decimal"
    assert validation_for(ws, "E6").type == "textLength"


def test_protection(template):
    wb = openpyxl.load_workbook(template)
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
    ws = wb[QUESTIONS]
    unlocked = {c.coordinate for row in ws.iter_rows() for c in row if c.protection.locked is False}
    answers = {"E3", "E6", "E7", "E8", "E9", "E10", "E12", "E13", "E15", "E16", "E17", "E18", "E19", "E21", "E22"}
    notes = {f"F{r}" for r in (6, 7, 8, 9, 10, 12, 13, 14, 18, 19, 21, 22)}
    assert unlocked == answers | notes  # ids, text, help and the multi question's own answer cell stay locked
    assert ws["A12"].protection.locked and ws["C12"].protection.locked and ws["E14"].protection.locked


def test_instructions_explain_the_rules(template):
    ws = openpyxl.load_workbook(template)["Instructions"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "Don't know" in text and "scored cautiously" in text
    assert "one row per choice" in text
    assert "protected" in text
    assert "risk-cli import" in text
    assert "0.1.0" in text


def test_describe_reads_conditions_with_labels():
    qn = loader.load(MINI)
    parse = lambda raw: conditions.parse(raw, (), [])  # noqa: E731
    assert describe(qn, parse({"question": "data.personal", "in": ["yes", "dont_know"]})) == \
        "data.personal is Yes or Don't know"
    assert describe(qn, parse({"not": {"question": "data.dpia", "equals": "yes"}})) == "data.dpia is not Yes"
    assert describe(qn, parse({"question": "data.kinds", "includes_any": ["health", "finance"]})) == \
        "data.kinds includes Health or Finance"
    assert describe(qn, parse({"all": [{"question": "data.volume", "at_least": 100000},
                                       {"any": [{"question": "profile.role", "equals": "decides"},
                                                {"question": "data.note", "answered": True}]}]})) == \
        "data.volume is at least 100,000 and (profile.role is Decides or data.note is answered)"
    assert describe(qn, parse({"not": {"question": "data.kinds", "includes": "none"}})) == \
        "data.kinds does not include None of these"


def test_long_choice_lists_and_risky_text_stay_safe(tmp_path, run):
    text = MINI.read_text(encoding="utf-8")
    more = "".join(f"\n          - {{id: c{i}, label: \"A long choice label number {i}, with a comma\"}}" for i in range(30))
    text = text.replace("          - {id: decides, label: Decides}", "          - {id: decides, label: Decides}" + more)
    text = text.replace("        help: Role.", "        help: '=HYPERLINK(\"http://example.com\",\"click\")'")
    big = tmp_path / "big.yaml"
    big.write_text(text, encoding="utf-8")
    out = make_template(run, tmp_path / "big.xlsx", big)
    wb = openpyxl.load_workbook(out)
    ws = wb[QUESTIONS]
    dv = validation_for(ws, "E10")
    labels = list_values(wb, dv.formula1)
    assert len(labels) == 32 and len('"' + ",".join(labels) + '"') > 255
    assert ws["I10"].value == '=HYPERLINK("http://example.com","click")' and ws["I10"].data_type == "s"
    assert ws["G10"].value.startswith('Supports staff, Decides, "A long choice label number 0, with a comma", "A long')


def test_existing_file_is_not_replaced(tmp_path, run):
    out = tmp_path / "q.xlsx"
    out.write_bytes(b"keep me")
    result = run("template", "-q", MINI, "-o", out)
    assert result.exit_code == 2
    assert result.stderr == f"error: {out}: already exists; use --force to replace it\n"
    assert out.read_bytes() == b"keep me"
    assert run("template", "-q", MINI, "-o", out, "--force").exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "Instructions"


def test_unknown_questionnaire(tmp_path, run):
    result = run("template", "-q", tmp_path / "nope.yaml", "-o", tmp_path / "q.xlsx")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert not (tmp_path / "q.xlsx").exists()


@pytest.mark.skipif(not (ROOT / "questionnaires" / "uk-public-sector-ai-1.1.0.yaml").exists(),
                    reason="the bundled questionnaire is not written yet")
def test_bundled_questionnaire_template(tmp_path, run):
    out = make_template(run, tmp_path / "uk.xlsx", "uk-public-sector-ai")
    wb = openpyxl.load_workbook(out)
    for dv in wb[QUESTIONS].data_validations.dataValidation:
        assert not (dv.formula1 or "").startswith('"')
        assert len(dv.formula1 or "") <= 255


def test_print_setup_header_and_row_heights(template):
    """The shared xlsx helpers lay the template out: A4, one page wide, header row styled as in
    every workbook risk-cli writes, and rows tall enough for their wrapped text."""
    wb = openpyxl.load_workbook(template)
    for name, orientation in ((QUESTIONS, "landscape"), ("Instructions", "landscape")):
        ws = wb[name]
        assert ws.page_setup.orientation == orientation
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    ws = wb[QUESTIONS]
    assert ws.print_title_rows == "$4:$4"
    for cell in ws[4]:
        assert cell.font.bold and cell.font.color.rgb.endswith("FFFFFF") and cell.alignment.wrap_text
    assert ws.column_dimensions["C"].width == 48 and ws.column_dimensions["E"].width == 26
    assert ws.row_dimensions[5].height == 21  # a section banner
    assert ws.row_dimensions[13].height > 15  # "Answer only if data.personal is Yes" wraps in its column
    instructions = wb["Instructions"]
    assert instructions.column_dimensions["A"].width == 76
    long_rows = [r for r in range(1, instructions.max_row + 1)
                 if len(str(instructions.cell(row=r, column=1).value or "")) > 200]
    assert long_rows and all(instructions.row_dimensions[r].height > 40 for r in long_rows)
