"""`risk-cli import` of filled format-2 templates (points and rated models)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from risk_cli import safe_yaml
from risk_cli.catalogue.versions import Versions
from risk_cli.readers import inputs
from tests.conftest import FIXTURES
from tests.format_2_fill import fill, labels_for, rows

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_outputs" / "benefit-triage-dp-answers.yaml"
BILINGUAL = FIXTURES / "points" / "bilingual-points.yaml"
RATED = "ai-data-protection-rated"


def _template(run, tmp_path, q=RATED, *extra) -> Path:
    out = tmp_path / "template.xlsx"
    result = run("template", "-q", q, *extra, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def _cells(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def test_round_trip_matches_assess_answers(run, tmp_path):
    qn = Versions(RATED).format_2_named()
    values = safe_yaml.load(SAMPLE).data["answers"]
    filled = fill(_template(run, tmp_path), tmp_path / "benefit.xlsx", labels_for(qn, values), completed=None)
    result = run("import", filled, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output + result.stderr
    answers = tmp_path / "out" / "benefit-answers.yaml"
    register = tmp_path / "out" / "benefit-register.xlsx"
    imported = safe_yaml.load(answers).data
    assert imported["questionnaire"]["id"] == RATED
    assert imported["answers"] == values
    # the workbook equals the one assess writes from the same answers
    direct = tmp_path / "direct.xlsx"
    assessed = run("assess", "-q", RATED, "--answers", answers, "--no-input", "-o", direct)
    assert assessed.exit_code == 0, assessed.output + assessed.stderr
    assert _cells(register) == _cells(direct)
    # and assess of the sample itself gives the same answers
    sample_out = tmp_path / "sample.xlsx"
    assert run("assess", "-q", RATED, "--answers", SAMPLE, "--no-input", "-o", sample_out).exit_code == 0
    mine, theirs = _cells(register), _cells(sample_out)
    assert mine["Risks"] == theirs["Risks"] and mine["Summary"] == theirs["Summary"]


def test_read_checked_gives_format_2_for_a_template(run, tmp_path):
    qn = Versions(RATED).format_2_named()
    values = safe_yaml.load(SAMPLE).data["answers"]
    filled = fill(_template(run, tmp_path), tmp_path / "t.xlsx", labels_for(qn, values))
    checked = inputs.read_checked(filled, Versions())
    assert checked.ok, checked.errors
    assert checked.kind == "template" and checked.format_2 is not None
    assert checked.format_2.values == values and checked.format_2.assessed_on == "2026-11-27"


def test_welsh_template_is_read_in_welsh(run, tmp_path):
    template = _template(run, tmp_path, BILINGUAL, "--lang", "cy")
    filled = fill(template, tmp_path / "cy.xlsx", {"personal-data": "Ydy", "languages": ["Cymraeg", "Saesneg"],
                                                    "checked": "Nac oes", "notes": "Dim"})
    result = run("import", filled, "-o", tmp_path / "out")
    assert result.exit_code == 2 and "give its YAML file with -q FILE" in result.stderr  # not bundled
    result = run("import", filled, "-q", BILINGUAL, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output + result.stderr
    data = safe_yaml.load(tmp_path / "out" / "cy-answers.yaml").data
    assert data["language"] == "cy"
    assert data["answers"] == {"personal-data": "yes", "languages": ["english", "welsh"], "checked": "no",
                               "notes": "Dim"}
    wb = openpyxl.load_workbook(tmp_path / "out" / "cy-register.xlsx")
    assert "Asesiad effaith" in str(wb.worksheets[0]["A1"].value)
    # an answer not among the Welsh labels (nor a choice id) is refused, quoting the Welsh labels
    bad = fill(template, tmp_path / "en.xlsx", {"personal-data": "Oui"})
    result = run("import", bad, "-q", BILINGUAL, "-o", tmp_path / "out2")
    assert result.exit_code == 2  # README "Exit codes": the only input was bad
    questions, _ = rows(openpyxl.load_workbook(bad)["Questions"])
    assert f"en.xlsx: Questions!E{questions['personal-data']}: \"Oui\" is not an allowed answer to personal-data" \
        in result.stderr
    assert "Ydy or Nac ydy" in result.stderr
    assert not (tmp_path / "out2").exists()


def test_a_choice_not_in_the_list_names_file_sheet_cell_and_question(run, tmp_path):
    filled = fill(_template(run, tmp_path), tmp_path / "bad.xlsx", {"personal-data": "Maybe"})
    result = run("import", filled, "-o", tmp_path / "out")
    assert result.exit_code == 2  # README "Exit codes": the only input was bad
    questions, _ = rows(openpyxl.load_workbook(filled)["Questions"])
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1
    assert f"bad.xlsx: Questions!E{questions['personal-data']}" in lines[0] and "personal-data" in lines[0]
    assert "Traceback" not in result.output


def test_a_formula_in_an_answer_cell_is_rejected_with_its_cell(run, tmp_path):
    template = _template(run, tmp_path)
    questions, _ = rows(openpyxl.load_workbook(template)["Questions"])
    cell = f"E{questions['personal-data']}"
    filled = fill(template, tmp_path / "f.xlsx", {}, cells={cell: '=HYPERLINK("http://x","yes")'})
    result = run("import", filled, "-o", tmp_path / "out")
    assert result.exit_code == 2  # README "Exit codes": the only input was bad
    assert f"f.xlsx: Questions!{cell}: a formula" in result.stderr
    assert not (tmp_path / "out").exists()


def test_text_starting_with_equals_stays_text(run, tmp_path):
    template = _template(run, tmp_path, BILINGUAL)
    wb = openpyxl.load_workbook(template)
    ws = wb["Questions"]
    questions, _ = rows(ws)
    cell = ws.cell(row=questions["notes"], column=5)
    cell.value, cell.data_type = "=1+1", "s"
    wb.save(tmp_path / "eq.xlsx")
    result = run("import", tmp_path / "eq.xlsx", "-q", BILINGUAL, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert safe_yaml.load(tmp_path / "out" / "eq-answers.yaml").data["answers"]["notes"] == "=1+1"
    ws = openpyxl.load_workbook(tmp_path / "out" / "eq-register.xlsx")["Answers"]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_tampered_metadata_is_one_line(run, tmp_path):
    template = _template(run, tmp_path)
    wb = openpyxl.load_workbook(template)
    meta = wb["risk-cli template"]
    meta["A3"] = meta["A3"].value.replace('"rated"', '"points"')
    wb.save(tmp_path / "tampered.xlsx")
    result = run("import", tmp_path / "tampered.xlsx", "-o", tmp_path / "out")
    assert result.exit_code == 2  # README "Exit codes": the only input was bad
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "risk-cli template" in lines[0] and "checksum" in lines[0]


def test_missing_questions_sheet_is_one_line(run, tmp_path):
    template = _template(run, tmp_path)
    wb = openpyxl.load_workbook(template)
    wb.security = None
    del wb["Questions"]
    wb.save(tmp_path / "noq.xlsx")
    result = run("import", tmp_path / "noq.xlsx", "-o", tmp_path / "out")
    assert result.exit_code == 2  # README "Exit codes": the only input was bad
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "noq.xlsx" in lines[0] and "'Questions' sheet is missing" in lines[0]
    assert "Traceback" not in result.output


def test_dry_run_writes_nothing_and_force_replaces(run, tmp_path):
    qn = Versions(RATED).format_2_named()
    values = safe_yaml.load(SAMPLE).data["answers"]
    filled = fill(_template(run, tmp_path), tmp_path / "t.xlsx", labels_for(qn, values))
    out = tmp_path / "out"
    result = run("import", filled, "-o", out, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "would write" in result.output + result.stderr and not out.exists()
    assert run("import", filled, "-o", out).exit_code == 0
    again = run("import", filled, "-o", out)
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert run("import", filled, "-o", out, "--force").exit_code == 0


def test_points_round_trip_matches_assess(run, tmp_path):
    template = _template(run, tmp_path, BILINGUAL)
    filled = fill(template, tmp_path / "p.xlsx", {"personal-data": "Yes", "languages": ["Welsh"], "checked": "Yes"})
    result = run("import", filled, "-q", BILINGUAL, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    answers = tmp_path / "out" / "p-answers.yaml"
    assert safe_yaml.load(answers).data["answers"] == {"personal-data": "yes", "languages": ["welsh"], "checked": "yes"}
    direct = tmp_path / "direct.xlsx"
    assert run("assess", "-q", BILINGUAL, "--answers", answers, "--no-input", "-o", direct).exit_code == 0
    assert _cells(tmp_path / "out" / "p-register.xlsx") == _cells(direct)


def test_a_note_is_named_as_not_kept(run, tmp_path):
    template = _template(run, tmp_path, BILINGUAL)
    questions, _ = rows(openpyxl.load_workbook(template)["Questions"])
    cell = f"F{questions['checked']}"
    filled = fill(template, tmp_path / "n.xlsx", {"checked": "No"}, cells={cell: "asked the team"})
    result = run("import", filled, "-q", BILINGUAL, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert f"warning: {filled}: Questions!{cell}: the note to checked is not kept" in result.stderr


def test_moved_rows_are_refused_at_their_cell(run, tmp_path):
    template = _template(run, tmp_path)
    wb = openpyxl.load_workbook(template)
    ws = wb["Questions"]
    questions, _ = rows(ws)
    r = questions["personal-data"]
    ws.cell(row=r, column=1).value = "lawful-basis"
    wb.save(tmp_path / "moved.xlsx")
    result = run("import", tmp_path / "moved.xlsx", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"moved.xlsx: Questions!A{r}: expected the question id of personal-data" in result.stderr
    assert not (tmp_path / "out").exists()


def test_assess_reads_a_filled_format_2_template(run, tmp_path):
    qn = Versions(RATED).format_2_named()
    values = safe_yaml.load(SAMPLE).data["answers"]
    filled = fill(_template(run, tmp_path), tmp_path / "t.xlsx", labels_for(qn, values))
    # without -q: the questionnaire the template's metadata names (was: an internal error)
    result = run("assess", "--answers", filled, "--no-input", "-o", tmp_path / "a.xlsx")
    assert result.exit_code == 0, result.stderr
    result = run("assess", "-q", RATED, "--answers", filled, "--no-input", "-o", tmp_path / "b.xlsx")
    assert result.exit_code == 0, result.stderr
    direct = tmp_path / "direct.xlsx"
    assert run("assess", "-q", RATED, "--answers", SAMPLE, "--no-input", "-o", direct).exit_code == 0
    assert _cells(tmp_path / "b.xlsx")["Risks"] == _cells(direct)["Risks"] == _cells(tmp_path / "a.xlsx")["Risks"]
