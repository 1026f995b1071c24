"""`assess --previous`: people's edits to a register survive re-assessment, and changes are marked.

Scores in the mini questionnaire, worked out by hand:
  first answers (personal data, no DPIA, no skills, AI supports staff):
    AI-DAT-001 L4 I3 = 12 High, AI-OPS-001 L2 I3 = 6 Moderate, AI-DEL-001 L2 I2 = 4 Moderate
  second (no personal data, AI decides, skills in place):
    AI-DAT-001 not raised, AI-OPS-001 L4 I3 = 12 High (up), AI-DEL-001 residual L1 I1 = 1 Low (down)
  third (personal data again with a DPIA, AI decides, skills):
    AI-DAT-001 L2 I3 = 6, residual 3 Low (raised again), the other two unchanged
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
import pytest

from risk_cli.readers.register import HAND_ADDED
from risk_cli.writers.register import REGISTER_COLUMNS
from tests.conftest import MINI, mini_answers, own_formula, write_yaml

CHANGE = "Change since last assessment"


def answers(tmp_path: Path, name: str, assessed_on: str, **overrides) -> Path:
    doc = mini_answers(**overrides)
    doc["assessed_on"] = assessed_on
    return write_yaml(tmp_path / name, doc)


def first(tmp_path: Path) -> Path:
    return answers(tmp_path, "a1.yaml", "2026-11-27", data__dpia="no", delivery__skills="no")


def second(tmp_path: Path) -> Path:
    return answers(tmp_path, "a2.yaml", "2027-02-01", data__personal="no", data__dpia=None, data__kinds=None,
                   profile__role="decides", delivery__skills="yes")


def third(tmp_path: Path) -> Path:
    return answers(tmp_path, "a3.yaml", "2027-05-01", data__dpia="yes", profile__role="decides", delivery__skills="yes")


def assess(run, tmp_path: Path, answers_path: Path, out: str, *more: str):
    result = run("assess", "-q", MINI, "--answers", answers_path, "-o", tmp_path / out, *more)
    assert result.exit_code == 0, result.output
    return result


def header_index(ws) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[1] if cell.value is not None}


def find_row(ws, ident: str) -> int:
    return next(c.row for c in ws["A"] if c.value == ident)


def edit(ws, ident: str, column: str, value, as_text: bool = False) -> None:
    """Type into a cell as a person would (by the column's header, wherever it is)."""
    cols = header_index(ws)
    ident_col = cols.get("Risk ID") or cols["Action ID"]
    row = next(c.row for c in ws[openpyxl.utils.get_column_letter(ident_col)] if c.value == ident)
    cell = ws.cell(row, cols[column])
    cell.value = value  # ws.cell(r, c, None) would leave the cell as it was
    if as_text:
        cell.data_type = "s"  # what Excel stores when a person types '=... (text, not a formula)


def add_row(ws, cells: dict) -> None:
    cols = header_index(ws)
    row = ws.max_row + 1
    for column, value in cells.items():
        ws.cell(row, cols[column], value)


def rows(ws) -> list[dict]:
    data = list(ws.iter_rows(values_only=True))
    return [dict(zip(data[0], r)) for r in data[1:]]


def by_id(ws) -> dict[str, dict]:
    key = "Risk ID" if "Risk ID" in header_index(ws) else "Action ID"
    return {r[key]: r for r in rows(ws)}


def summary(wb) -> dict:
    ws = wb["Summary"]
    return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}


def no_formulas(path: Path) -> None:
    """No formula but risk-cli's own scores and ratings (tests.conftest.own_formula), no error value."""
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "e", f"{ws.title}!{cell.coordinate}"
                assert cell.data_type != "f" or own_formula(ws, cell), f"{ws.title}!{cell.coordinate}"


@pytest.fixture
def edited(tmp_path, run) -> Path:
    """The first register, after an assurance team has worked on it."""
    assess(run, tmp_path, first(tmp_path), "r1.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "r1.xlsx")
    ws = wb["Risk register"]
    edit(ws, "AI-DAT-001", "Risk owner", "Sam Patel")
    edit(ws, "AI-DAT-001", "Notes", "Board wants the DPIA by March")
    edit(ws, "AI-DAT-001", "Target date", dt.datetime(2027, 3, 31))
    edit(ws, "AI-DAT-001", "Status", "Escalated")
    edit(ws, "AI-OPS-001", "Treatment", "Transfer")
    edit(ws, "AI-OPS-001", "Escalation level", "Department")
    edit(ws, "AI-DEL-001", "Action owner", "Head of profession")
    edit(ws, "AI-DEL-001", "Notes", "=not a formula, a note", as_text=True)
    edit(ws, "AI-DEL-001", "Risk owner", None)  # cleared on purpose
    ws.cell(1, ws.max_column + 1, "Board comments")
    edit(ws, "AI-OPS-001", "Board comments", "Discussed 12 Jan")
    add_row(ws, {"Risk ID": "LOCAL-001", "Title": "Our own risk", "Residual score": 99, "Notes": "kept"})
    wa = wb["Actions"]
    edit(wa, "AI-DAT-001-A1", "Action owner", "DPO")
    edit(wa, "AI-DAT-001-A1", "Status", "In progress")
    edit(wa, "AI-OPS-001-A1", "Due date", dt.datetime(2027, 6, 30))
    edit(wa, "AI-OPS-001-A1", "Status", "Done")
    edit(wa, "AI-OPS-001-A1", "Notes", "Reviewer in post")
    add_row(wa, {"Action ID": "LOCAL-A1", "Action": "Tell the press office", "Status": "Not started"})
    path = tmp_path / "r1-edited.xlsx"
    wb.save(path)
    return path


def test_edits_carry_over_and_changes_are_marked(tmp_path, run, edited):
    result = assess(run, tmp_path, second(tmp_path), "r2.xlsx", "--previous", edited)
    assert (f"Compared with {edited} (assessed 2026-11-27): 0 new, 2 changed, 0 unchanged, 1 no longer raised; "
            "17 edited cell(s) carried over") in result.stderr
    wb = openpyxl.load_workbook(tmp_path / "r2.xlsx", data_only=True)
    ws = wb["Risk register"]
    risks = by_id(ws)
    assert list(risks) == ["AI-OPS-001", "AI-DEL-001", "AI-DAT-001", "LOCAL-001"]  # live, then kept rows

    ops = risks["AI-OPS-001"]
    assert (ops["Residual score"], ops["Residual rating"], ops["Within appetite"]) == (12, "High", "No")  # recomputed
    assert (ops["Treatment"], ops["Escalation level"], ops["Status"]) == ("Transfer", "Department", "Open")
    assert ops["Board comments"] == "Discussed 12 Jan"
    assert ops["Trend"] == "Up"
    assert ops[CHANGE] == "Residual 6 (Moderate) \u2192 12 (High); inherent 6 (Moderate) \u2192 12 (High)"
    assert ops["Risk owner"] == "Jo Bloggs"  # untouched: still risk-cli's value
    assert ops["Date raised"] == dt.datetime(2026, 11, 27) and ops["Last reviewed"] == dt.datetime(2027, 2, 1)

    dele = risks["AI-DEL-001"]
    assert dele["Action owner"] == "Head of profession"
    assert dele["Notes"] == "=not a formula, a note"
    assert dele["Risk owner"] is None  # the person cleared it; it stays cleared
    assert (dele["Trend"], dele[CHANGE]) == ("Down", "Residual 4 (Moderate) \u2192 1 (Low)")
    assert dele["Treatment"] == "Tolerate"

    dat = risks["AI-DAT-001"]
    assert (dat["Status"], dat["Trend"]) == ("Closed", "Down")
    assert dat[CHANGE] == "No longer raised: residual was 12 (High); status was Escalated"
    assert (dat["Risk owner"], dat["Notes"]) == ("Sam Patel", "Board wants the DPIA by March")
    assert dat["Target date"] == dt.datetime(2027, 3, 31)
    assert dat["Residual score"] is None and dat["Title"] == "Unlawful processing"
    assert dat["Treatment"] is None and dat["Escalation level"] is None  # risk-cli's values, not a person's

    local = risks["LOCAL-001"]
    assert (local["Title"], local["Residual score"], local["Notes"], local[CHANGE]) == ("Our own risk", 99, "kept", HAND_ADDED)

    notes_cell = ws.cell(find_row(ws, "AI-DEL-001"), header_index(ws)["Notes"])
    assert notes_cell.data_type == "s" and notes_cell.quotePrefix

    actions = by_id(wb["Actions"])
    assert list(actions) == ["AI-OPS-001-A1", "AI-DEL-001-A1", "AI-DAT-001-A1", "CHECK-dpia", "AI-DAT-001-A2", "LOCAL-A1"]
    ops_a = actions["AI-OPS-001-A1"]
    assert (ops_a["Due date"], ops_a["Status"], ops_a["Notes"], ops_a[CHANGE]) == (
        dt.datetime(2027, 6, 30), "Done", "Reviewer in post", "Still needed")
    assert actions["AI-DEL-001-A1"]["Due date"] == dt.datetime(2027, 5, 2)  # untouched: 90 days from the new date
    dat_a = actions["AI-DAT-001-A1"]
    assert (dat_a["Action owner"], dat_a["Status"], dat_a["Due date"]) == ("DPO", "Not needed", None)
    assert dat_a[CHANGE] == "No longer needed by the answers; status was In progress"
    assert actions["LOCAL-A1"]["Action"] == "Tell the press office" and actions["LOCAL-A1"][CHANGE] == HAND_ADDED

    facts = summary(wb)
    assert facts["Previous assessment"] == dt.datetime(2026, 11, 27)
    assert facts["Risks since then"] == "0 new, 2 changed, 0 unchanged, 1 no longer raised"
    assert "Questionnaire since then" not in facts
    no_formulas(tmp_path / "r2.xlsx")


def test_edits_survive_a_second_reassessment_and_a_risk_raised_again(tmp_path, run, edited):
    assess(run, tmp_path, second(tmp_path), "r2.xlsx", "--previous", edited)
    result = assess(run, tmp_path, third(tmp_path), "r3.xlsx", "--previous", tmp_path / "r2.xlsx")
    assert "1 new, 0 changed, 2 unchanged, 0 no longer raised" in result.stderr
    wb = openpyxl.load_workbook(tmp_path / "r3.xlsx", data_only=True)
    risks = by_id(wb["Risk register"])
    assert list(risks) == ["AI-DAT-001", "AI-OPS-001", "AI-DEL-001", "LOCAL-001"]
    dat = risks["AI-DAT-001"]
    assert (dat["Trend"], dat[CHANGE]) == ("New", "Raised again: not raised at the previous assessment")
    assert (dat["Risk owner"], dat["Notes"], dat["Status"]) == ("Sam Patel", "Board wants the DPIA by March", "Open")
    assert dat["Date raised"] == dt.datetime(2026, 11, 27)
    assert (dat["Residual score"], dat["Residual rating"]) == (3, "Low")
    assert (dat["Treatment"], dat["Escalation level"]) == ("Tolerate", "Project")  # follow the new scores
    ops = risks["AI-OPS-001"]
    assert (ops["Trend"], ops[CHANGE]) == ("Same", "Unchanged: residual 12 (High)")
    assert (ops["Treatment"], ops["Board comments"]) == ("Transfer", "Discussed 12 Jan")
    assert risks["AI-DEL-001"]["Notes"] == "=not a formula, a note"
    assert risks["LOCAL-001"]["Residual score"] == 99
    actions = by_id(wb["Actions"])
    assert actions["AI-OPS-001-A1"]["Status"] == "Done"
    assert actions["LOCAL-A1"]["Action"] == "Tell the press office"
    no_formulas(tmp_path / "r3.xlsx")


def test_untouched_cells_follow_the_new_scores(tmp_path, run):
    assess(run, tmp_path, first(tmp_path), "r1.xlsx")
    doc = answers(tmp_path, "a2.yaml", "2027-02-01", data__dpia="no", delivery__skills="no", profile__role="decides")
    result = assess(run, tmp_path, doc, "r2.xlsx", "--previous", tmp_path / "r1.xlsx", "--format", "json")
    assert "0 new, 1 changed, 2 unchanged, 0 no longer raised; 0 edited cell(s) carried over" in result.stderr
    ops = by_id(openpyxl.load_workbook(tmp_path / "r2.xlsx")["Risk register"])["AI-OPS-001"]
    assert (ops["Treatment"], ops["Escalation level"]) == ("Treat", "Directorate")  # now above appetite
    data = json.loads(result.stdout)["previous"]
    assert data["counts"] == {"new": 0, "changed": 1, "unchanged": 2, "no longer raised": 0}
    assert {"id": "AI-OPS-001", "change": "changed", "old_residual": 6, "new_residual": 12} in data["risks"]


def test_a_risk_that_is_new(tmp_path, run):
    assess(run, tmp_path, answers(tmp_path, "a0.yaml", "2026-10-01", data__personal="no", data__dpia=None,
                                  data__kinds=None, delivery__skills="no"), "r0.xlsx")
    result = assess(run, tmp_path, first(tmp_path), "r1.xlsx", "--previous", tmp_path / "r0.xlsx")
    assert "1 new, 0 changed, 2 unchanged, 0 no longer raised" in result.stderr
    dat = by_id(openpyxl.load_workbook(tmp_path / "r1.xlsx")["Risk register"])["AI-DAT-001"]
    assert (dat["Trend"], dat[CHANGE], dat["Date raised"]) == ("New", "New", dt.datetime(2026, 11, 27))


def moved_references(formula: str, width: int) -> str:
    """`formula` with each cell reference outside its string literals moved to the reversed column."""
    if not formula.startswith("="):
        return formula
    letter, number = openpyxl.utils.get_column_letter, openpyxl.utils.column_index_from_string
    parts = re.split(r'("(?:[^"]|"")*")', formula)
    for i in range(0, len(parts), 2):
        parts[i] = re.sub(r"\b([A-Z]{1,3})([0-9]+)\b", lambda m: f"{letter(width + 1 - number(m.group(1)))}{m.group(2)}",
                          parts[i])
    return "".join(parts)


def test_reordered_columns_are_fine(tmp_path, run):
    assess(run, tmp_path, first(tmp_path), "r1.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "r1.xlsx")
    for name, table in (("Risk register", "RiskRegister"), ("Actions", "Actions")):
        ws = wb[name]
        del ws.tables[table]
        data = [list(r) for r in ws.iter_rows(values_only=True)]
        width = len(data[0])
        for r, row in enumerate(data, start=1):
            for c, value in enumerate(reversed(row), start=1):  # every column in the opposite order
                # a formula's references follow the columns they name, as Excel moves them
                ws.cell(r, c).value = moved_references(value, width) if isinstance(value, str) else value
    edit(wb["Risk register"], "AI-OPS-001", "Notes", "moved columns")
    edit(wb["Actions"], "AI-DEL-001-A1", "Action owner", "Ali")
    wb.save(tmp_path / "moved.xlsx")
    assess(run, tmp_path, second(tmp_path), "r2.xlsx", "--previous", tmp_path / "moved.xlsx")
    out = openpyxl.load_workbook(tmp_path / "r2.xlsx")
    assert by_id(out["Risk register"])["AI-OPS-001"]["Notes"] == "moved columns"
    assert by_id(out["Actions"])["AI-DEL-001-A1"]["Action owner"] == "Ali"
    assert [c.value for c in out["Risk register"][1]][:3] == ["Risk ID", "Category", "AI sub-category"]


def column_letter(name: str) -> str:
    index = [n for n, _ in REGISTER_COLUMNS].index(name) + 1
    return openpyxl.utils.get_column_letter(index)


def test_formula_in_a_human_cell_is_refused_with_its_cell(tmp_path, run):
    assess(run, tmp_path, first(tmp_path), "r1.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "r1.xlsx")
    ws = wb["Risk register"]
    edit(ws, "AI-OPS-001", "Notes", "=1+1")  # openpyxl stores this as a formula, as Excel would
    wb["Actions"]["G3"] = '=HYPERLINK("http://example.com")'
    wb.save(tmp_path / "bad.xlsx")
    out = tmp_path / "r2.xlsx"
    result = run("assess", "-q", MINI, "--answers", second(tmp_path), "--previous", tmp_path / "bad.xlsx", "-o", out)
    assert result.exit_code == 2
    row = find_row(ws, "AI-OPS-001")
    lines = result.stderr.splitlines()
    assert (f"error: {tmp_path / 'bad.xlsx'}: Risk register!{column_letter('Notes')}{row}: holds a formula (=1+1) in the "
            "'Notes' column; risk-cli never evaluates formulas: type the value itself") in lines
    assert any(line.startswith(f"error: {tmp_path / 'bad.xlsx'}: Actions!G3: holds a formula") for line in lines)
    assert "Traceback" not in result.output
    assert not out.exists()


def test_missing_column_sheet_and_repeated_id(tmp_path, run):
    assess(run, tmp_path, first(tmp_path), "r1.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "r1.xlsx")
    ws = wb["Risk register"]
    ws.cell(1, header_index(ws)["Risk owner"], "Owner")  # renamed
    ws.cell(4, 1, "AI-DAT-001")  # a row's id typed over with another's
    wb.save(tmp_path / "bad.xlsx")
    result = run("assess", "-q", MINI, "--answers", second(tmp_path), "--previous", tmp_path / "bad.xlsx")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    bad = tmp_path / "bad.xlsx"
    assert (f"error: {bad}: Risk register!1:1: missing column 'Risk owner': risk-cli needs it to carry people's edits "
            "over (columns may be moved, but not renamed or deleted)") in lines
    assert f"error: {bad}: Risk register!A4: Risk ID AI-DAT-001 appears twice (also row 2); keep one row per id" in lines

    del wb["Actions"]
    wb.save(tmp_path / "no-actions.xlsx")
    result = run("assess", "-q", MINI, "--answers", second(tmp_path), "--previous", tmp_path / "no-actions.xlsx")
    assert result.exit_code == 2
    assert (f"error: {tmp_path / 'no-actions.xlsx'}: has no 'Actions' sheet, so it is not a register risk-cli can "
            "compare with (was the sheet renamed or deleted?)") in result.stderr.splitlines()


def test_previous_must_be_a_readable_register(tmp_path, run):
    fake = tmp_path / "old.xlsx"
    fake.write_text("name,owner\n")
    result = run("assess", "-q", MINI, "--answers", second(tmp_path), "--previous", fake)
    assert result.exit_code == 2
    assert result.stderr == f"error: {fake}: is not an .xlsx workbook (a text or CSV file)\n"


def test_newer_questionnaire_version_is_flagged(tmp_path, run):
    assess(run, tmp_path, first(tmp_path), "r1.xlsx")
    newer = tmp_path / "mini-0.2.0.yaml"
    newer.write_text(MINI.read_text(encoding="utf-8").replace("version: 0.1.0", "version: 0.2.0"), encoding="utf-8")
    doc = mini_answers(data__dpia="no", delivery__skills="no", profile__role="decides")
    doc["questionnaire"]["version"] = "0.2.0"
    doc["assessed_on"] = "2027-02-01"
    path = write_yaml(tmp_path / "a2.yaml", doc)
    result = run("assess", "-q", newer, "--answers", path, "--previous", tmp_path / "r1.xlsx", "-o", tmp_path / "r2.xlsx")
    assert result.exit_code == 0, result.output
    old = tmp_path / "r1.xlsx"
    assert (f"warning: {old}: was assessed against mini 0.1.0; this assessment uses mini 0.2.0: a risk's score can "
            "change with the questionnaire as well as with the answers") in result.stderr
    assert "the previous scores were recomputed from its answers with mini 0.2.0" in result.stderr
    assert "0 new, 1 changed, 2 unchanged" in result.stderr
    facts = summary(openpyxl.load_workbook(tmp_path / "r2.xlsx"))
    assert facts["Questionnaire since then"].startswith("updated from mini 0.1.0 to mini 0.2.0")


def test_register_of_another_questionnaire_is_refused(tmp_path, run):
    other = tmp_path / "other.yaml"
    other.write_text(MINI.read_text(encoding="utf-8").replace("id: mini", "id: other"), encoding="utf-8")
    doc = mini_answers()
    doc["questionnaire"]["id"] = "other"
    first_path = write_yaml(tmp_path / "o.yaml", doc)
    assert run("assess", "-q", other, "--answers", first_path, "-o", tmp_path / "other.xlsx").exit_code == 0
    result = run("assess", "-q", MINI, "--answers", second(tmp_path), "--previous", tmp_path / "other.xlsx")
    assert result.exit_code == 2
    assert ("is a register for questionnaire 'other', but these answers are for 'mini'; only registers of the same "
            "questionnaire can be compared") in result.stderr


def test_formula_in_a_row_added_by_hand_is_refused(tmp_path, run):
    assess(run, tmp_path, first(tmp_path), "r1.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "r1.xlsx")
    ws = wb["Risk register"]
    add_row(ws, {"Risk ID": "LOCAL-001", "Title": "Our own", "Residual score": "=3*4"})
    wb.save(tmp_path / "bad.xlsx")
    result = run("assess", "-q", MINI, "--answers", second(tmp_path), "--previous", tmp_path / "bad.xlsx")
    assert result.exit_code == 2
    assert (f"error: {tmp_path / 'bad.xlsx'}: Risk register!{column_letter('Residual score')}5: holds a formula in the "
            "'Residual score' column of a row added by hand; risk-cli never evaluates formulas: type the value itself"
            ) in result.stderr.splitlines()


def test_formula_in_date_raised_is_refused(tmp_path, run):
    """Date raised carries over as people leave it, so a formula there is refused like one in a human cell."""
    assess(run, tmp_path, first(tmp_path), "r1.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "r1.xlsx")
    ws = wb["Risk register"]
    edit(ws, "AI-OPS-001", "Date raised", "=TODAY()")
    wb.save(tmp_path / "bad.xlsx")
    out = tmp_path / "r2.xlsx"
    result = run("assess", "-q", MINI, "--answers", second(tmp_path), "--previous", tmp_path / "bad.xlsx", "-o", out)
    assert result.exit_code == 2
    row = find_row(ws, "AI-OPS-001")
    assert result.stderr.splitlines() == [
        f"error: {tmp_path / 'bad.xlsx'}: Risk register!{column_letter('Date raised')}{row}: holds a formula (=TODAY()) "
        "in the 'Date raised' column; risk-cli never evaluates formulas: type the value itself"]
    assert "Traceback" not in result.output
    assert not out.exists()


def test_answers_that_no_longer_fit_a_newer_version_are_counted(tmp_path, run):
    """The previous version is not available: its answers are re-checked against the new one and
    the one that no longer fits (phase 'alpha', now 'beta') is left out and counted."""
    assess(run, tmp_path, first(tmp_path), "r1.xlsx")
    newer = tmp_path / "mini-0.2.0.yaml"
    text = MINI.read_text(encoding="utf-8").replace("version: 0.1.0", "version: 0.2.0")
    newer.write_text(text.replace("{id: alpha, label: Alpha}", "{id: beta, label: Beta}"), encoding="utf-8")
    doc = mini_answers(data__dpia="no", delivery__skills="no", profile__phase="beta")
    doc["questionnaire"]["version"] = "0.2.0"
    doc["assessed_on"] = "2027-02-01"
    path = write_yaml(tmp_path / "a2.yaml", doc)
    result = run("assess", "-q", newer, "--answers", path, "--previous", tmp_path / "r1.xlsx", "-o", tmp_path / "r2.xlsx")
    assert result.exit_code == 0, result.output
    assert (f"warning: {tmp_path / 'r1.xlsx'}: mini 0.1.0 is not available here, so the previous scores were recomputed "
            "from its answers with mini 0.2.0; 1 previous answer(s) no longer fit and were left out"
            ) in result.stderr.splitlines()
    assert "0 new, 0 changed, 3 unchanged" in result.stderr
    risks = by_id(openpyxl.load_workbook(tmp_path / "r2.xlsx", data_only=True)["Risk register"])
    assert set(risks) == {"AI-DAT-001", "AI-OPS-001", "AI-DEL-001"}
