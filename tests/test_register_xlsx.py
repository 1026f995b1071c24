"""Every sheet of the register, read back after the real CLI wrote it."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import yaml

from tests.conftest import MINI, mini_answers, own_formula, write_yaml

FORMULA = '=HYPERLINK("http://example.com","x")'


@pytest.fixture
def workbook(tmp_path, run):
    doc = mini_answers(profile__name=FORMULA, profile__role="decides", data__dpia="dont_know",
                       data__kinds=["health"], delivery__skills="no")
    doc["answers"]["delivery.skills"] = {"answer": "no", "note": "@SUM(A1:A9) -2 +3\tand a tab"}
    doc["answers"]["data.note"] = "#N/A"
    answers = write_yaml(tmp_path / "a.yaml", doc)
    out = tmp_path / "register.xlsx"
    result = run("assess", "-q", MINI, "--answers", answers, "-o", out)
    assert result.exit_code == 0, result.output
    # the values as a spreadsheet program shows them before it recalculates: the score and
    # rating cells are formulas, each with its value cached (test_calculated_scores.py)
    return openpyxl.load_workbook(out, data_only=True)


def rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def by_header(ws):
    data = rows(ws)
    header = data[0]
    return [dict(zip(header, r)) for r in data[1:]]


def test_summary(workbook):
    ws = workbook["Summary"]
    cells = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    assert cells["Use case"] == FORMULA
    assert cells["Organisation"] == "Department for Tests"
    assert cells["Assessed on"] == dt.datetime(2026, 11, 27)
    assert cells["Tier"] == "Tier 3"
    assert cells["Who approves"] == "Assurance board"
    assert cells["Why this tier"] == "The AI decides without a person"
    values = [c for row in rows(ws) for c in row if c is not None]
    assert "Inherent risk heat map (number of risks)" in values
    assert "Residual risk heat map (number of risks)" in values
    assert "Residual risks above appetite" in values and "Mandatory checks" in values
    assert "Outstanding" in values  # the DPIA is not known to be done


def test_summary_counts_and_heat_map(workbook):
    ws = workbook["Summary"]
    data = rows(ws)
    start = next(i for i, r in enumerate(data) if r[0] == "Risks by rating")
    counts = {r[0]: (r[1], r[2]) for r in data[start + 2:start + 6]}
    # AI-DAT-001 L4 I4 = 16 extreme; AI-OPS-001 L4 I3 = 12 high; AI-DEL-001 L2 I2 = 4 moderate
    assert counts == {"Extreme": (1, 1), "High": (1, 1), "Moderate": (1, 1), "Low": (0, 0)}
    heat = next(i for i, r in enumerate(data) if r[0] == "Inherent risk heat map (number of risks)")
    grid = {data[heat + 2 + n][0]: data[heat + 2 + n][1:6] for n in range(5)}
    assert grid["4 Likely"] == [None, None, 1, 1, None]  # impact 3 and 4
    assert grid["2 Unlikely"] == [None, 1, None, None, None]


def test_risk_register_sheet(workbook):
    ws = workbook["Risk register"]
    assert ws.freeze_panes == "B2"
    assert "RiskRegister" in ws.tables
    register = {r["Risk ID"]: r for r in by_header(ws)}
    assert list(register) == ["AI-DAT-001", "AI-OPS-001", "AI-DEL-001"]
    dat = register["AI-DAT-001"]
    assert (dat["Inherent likelihood"], dat["Inherent impact"], dat["Inherent score"], dat["Inherent rating"]) == (4, 4, 16, "Extreme")
    assert (dat["Residual score"], dat["Residual rating"], dat["Within appetite"], dat["Treatment"]) == (16, "Extreme", "No", "Treat")
    assert dat["Description (cause, event, effect)"].startswith("Because")
    assert dat["Risk owner"] == "Jo Bloggs" and dat["Status"] == "Open"
    assert dat["Unknown answers to find out"] == "data.dpia"
    assert dat["Escalation level"] == "Department"
    dele = register["AI-DEL-001"]
    assert dele["NAO barrier"] == "Skills (NAO: about 70%)"
    validations = {tuple(dv.formula1.strip('"').split(",")) for dv in ws.data_validations.dataValidation}
    assert ("Tolerate", "Treat", "Transfer", "Terminate") in validations
    assert ("Open", "Closed", "Escalated", "Realised") in validations
    assert len(ws.conditional_formatting) >= 2


def test_actions_sheet(workbook):
    actions = by_header(workbook["Actions"])
    ids = [a["Action ID"] for a in actions]
    assert ids[:3] == ["AI-DAT-001-A1", "CHECK-dpia", "AI-OPS-001-A1"]
    assert "FIND-data.dpia" in ids
    first = actions[0]
    assert (first["Priority"], first["Treats risks"], first["Status"]) == ("Must", "AI-DAT-001", "Not started")
    assert first["Due date"] == dt.datetime(2026, 12, 27)


def test_responses_sheet_is_the_audit_trail(workbook):
    responses = {r["Question ID"]: r for r in by_header(workbook["Responses"])}
    assert responses["data.dpia"]["Status"] == "Don't know"
    assert responses["delivery.skills"]["Note"] == "@SUM(A1:A9) -2 +3\tand a tab"
    assert responses["data.kinds"]["Answer"] == "Health" and responses["data.kinds"]["Answer IDs"] == "health"
    assert responses["profile.name"]["Answer"] == FORMULA
    assert responses["data.note"]["Answer"] == "#N/A"


def test_about_sheet(workbook):
    ws = workbook["About"]
    cells = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert cells["Questionnaire id"] == "mini"
    assert cells["Questionnaire version"] == "0.1.0"
    assert len(cells["Questionnaire SHA-256"]) == 64


def test_hidden_data_sheet_holds_the_answers(workbook):
    ws = workbook["risk-cli data"]
    assert ws.sheet_state == "hidden"
    text = "".join(ws.cell(r, 1).value for r in range(2, ws.max_row + 1))
    doc = yaml.safe_load(text)
    assert doc["questionnaire"]["id"] == "mini"
    assert doc["profile"]["profile.name"] == FORMULA


def test_user_text_is_never_a_formula(tmp_path, workbook):
    path = tmp_path / "register.xlsx"
    raw = openpyxl.load_workbook(path)  # the same file the fixture wrote
    for ws in raw.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                # the only formulas: risk-cli's own scores and ratings, from the row's own cells
                assert cell.data_type != "f" or own_formula(ws, cell), f"{ws.title}!{cell.coordinate} is a formula"
                assert cell.data_type != "e", f"{ws.title}!{cell.coordinate} is an error value"
    summary = raw["Summary"]
    name_cell = next(c for c in summary["B"] if c.value == FORMULA)
    assert name_cell.data_type == "s" and name_cell.quotePrefix
