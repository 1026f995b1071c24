"""`risk-cli template` for format-2 questionnaires (the points and rated models)."""

from __future__ import annotations

import json

import openpyxl

from risk_cli.catalogue.versions import Versions
from tests.conftest import FIXTURES
from tests.format_2_fill import rows

BILINGUAL = FIXTURES / "points" / "bilingual-points.yaml"
RATED = "ai-data-protection-rated"


def _meta(path) -> dict:
    wb = openpyxl.load_workbook(path)
    ws = wb["risk-cli template"]
    assert ws.sheet_state == "veryHidden"
    text = "".join(r[0] for r in ws.iter_rows(min_row=3, max_col=1, values_only=True) if r[0])
    return json.loads(text)


def test_rated_template_has_instructions_questions_and_metadata(run, tmp_path):
    out = tmp_path / "rated.xlsx"
    result = run("template", "-q", RATED, "-o", out)
    assert result.exit_code == 0, result.output
    qn = Versions(RATED).format_2_named()
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Instructions", "Questions", "Lists", "risk-cli template"]
    instructions = " ".join(str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value)
    assert "rated model" in instructions and "must, should or could" in instructions
    assert "Protective marking: OFFICIAL" in instructions
    ws = wb["Questions"]
    questions, ticks = rows(ws)
    assert list(questions) == [q.id for s in qn.sections for q in qn.questions if q.id in s.question_ids] \
        or set(questions) == {q.id for q in qn.questions}
    for q in qn.questions:
        r = questions[q.id]
        assert ws.cell(row=r, column=3).value == q.text if isinstance(q.text, str) else True
        if q.type == "choice":
            dvs = [dv for dv in ws.data_validations.dataValidation if f"E{r}" in str(dv.sqref)]
            assert dvs and dvs[0].type == "list"
        if q.type == "multi":
            assert all((q.id, c.label if isinstance(c.label, str) else c.label["en"]) in ticks for c in q.choices)
    # a question with a condition says when it applies, in words
    conditional = [q for q in qn.questions if q.when is not None]
    assert conditional
    assert ws.cell(row=questions[conditional[0].id], column=4).value.startswith("Answer only if ")
    meta = _meta(out)
    assert meta["model"] == "rated" and meta["language"] == "en"
    assert meta["questionnaire"]["id"] == RATED and meta["questionnaire"]["version"] == qn.version
    # nothing from the questionnaire is a formula
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row)


def test_points_template_in_welsh(run, tmp_path):
    out = tmp_path / "cy.xlsx"
    result = run("template", "-q", BILINGUAL, "--lang", "cy", "-o", out)
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["Questions"]
    questions, ticks = rows(ws)
    assert ws.cell(row=questions["personal-data"], column=3).value == "A yw'r system yn defnyddio data personol?"
    assert ws.cell(row=questions["personal-data"], column=7).value == "Ydy or Nac ydy"
    assert ("languages", "Cymraeg") in ticks
    meta = _meta(out)
    assert meta["model"] == "points" and meta["language"] == "cy"
    assert {"id": "yes", "label": "Ydy"} in meta["questions"][0]["choices"]


def test_template_refuses_a_language_not_offered(run, tmp_path):
    result = run("template", "-q", BILINGUAL, "--lang", "fr", "-o", tmp_path / "fr.xlsx")
    assert result.exit_code != 0
    assert "fr" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "fr.xlsx").exists()


def test_template_format_2_never_overwrites_without_force(run, tmp_path):
    out = tmp_path / "t.xlsx"
    out.write_text("keep")
    result = run("template", "-q", RATED, "-o", out)
    assert result.exit_code != 0 and out.read_text() == "keep"
    assert run("template", "-q", RATED, "-o", out, "--force").exit_code == 0
