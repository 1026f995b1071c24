"""`risk-cli import --allow-incomplete`: a partly filled template becomes a PROVISIONAL register.

A strict import (the default) refuses a template with a required answer blank. With
--allow-incomplete each blank required answer is scored cautiously, exactly as "Don't know"
(or, for a choice without that option, as the interview scores a question left unanswered),
the register says PROVISIONAL and lists the questions, and the answers file records them, so a
strict re-read refuses it. Every other problem still refuses the input.
"""

from __future__ import annotations

import json

import openpyxl
import pytest
import yaml

from tests.conftest import MINI
from tests.template_fill import MINI_FILLED, fill, make_template

BLANK = ("data.dpia", "delivery.skills")  # required yes/no questions: "Don't know" is a choice


@pytest.fixture
def template(tmp_path, run):
    return make_template(run, tmp_path / "questionnaire.xlsx")


def filled(template, path, **answers):
    values = dict(MINI_FILLED)
    for qid, value in answers.items():
        qid = qid.replace("__", ".")
        if value is None:
            values.pop(qid)
        else:
            values[qid] = value
    return fill(template, path, values)


def partial(template, tmp_path, **extra):
    return filled(template, tmp_path / "team-a.xlsx", data__dpia=None, delivery__skills=None, **extra)


def sheet_text(ws) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def scores(run, answers_path, *extra):
    result = run("assess", "-q", MINI, "--answers", answers_path, "--no-input", "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return data, {r["id"]: (r["inherent"], r["residual"]) for r in data["risks"]}


def test_strict_import_refuses_a_partly_filled_template(run, template, tmp_path):
    src = partial(template, tmp_path)
    out = tmp_path / "out"
    result = run("import", "-q", MINI, src, "-o", out)
    assert result.exit_code == 2
    assert sum("missing answer (required)" in line for line in result.stderr.splitlines()) == len(BLANK)
    assert not out.exists()


def test_allow_incomplete_writes_a_provisional_register_listing_the_blanks(run, template, tmp_path):
    src = partial(template, tmp_path)
    out = tmp_path / "out"
    result = run("import", "-q", MINI, src, "-o", out, "--allow-incomplete")
    assert result.exit_code == 0, result.output
    assert "PROVISIONAL, 2 required questions not answered" in result.stdout
    answers_path, register_path = out / "team-a-answers.yaml", out / "team-a-register.xlsx"
    assert answers_path.exists() and register_path.exists()

    wb = openpyxl.load_workbook(register_path)
    assert wb["Summary"]["A1"].value.startswith("PROVISIONAL: 2 questions not answered")
    assert wb["About"]["A1"].value.startswith("PROVISIONAL: 2 questions not answered")
    assert wb.sheetnames[1] == "Not answered"
    listed = [row for row in wb["Not answered"].iter_rows(min_row=2, values_only=True)]
    assert [row[0] for row in listed] == list(BLANK)
    assert [row[2] for row in listed] == ["DPIA done?", "Have the skills?"]

    # the answers file records them: strict readers refuse it, --allow-incomplete takes it
    text = answers_path.read_text()
    assert "PROVISIONAL: 2 required questions are not answered" in text
    doc = yaml.safe_load(text)
    assert doc["answers"]["data.dpia"] is None and doc["answers"]["delivery.skills"] is None
    strict = run("assess", "-q", MINI, "--answers", answers_path, "--no-input", "--format", "json")
    assert strict.exit_code != 0 and "missing answer (required)" in strict.stderr
    again = run("import", "-q", MINI, answers_path, "-o", tmp_path / "again")
    assert again.exit_code == 2 and not (tmp_path / "again").exists()
    data, provisional = scores(run, answers_path, "--allow-incomplete")
    assert data["provisional"] is True and data["missing_required"] == list(BLANK)

    # scored as "Don't know" would be
    known = filled(template, tmp_path / "team-b.xlsx", data__dpia="Don't know", delivery__skills="Don't know")
    done = run("import", "-q", MINI, known, "-o", tmp_path / "b")
    assert done.exit_code == 0, done.output
    data_b, dont_know = scores(run, tmp_path / "b" / "team-b-answers.yaml")
    assert provisional == dont_know
    assert data["tier"] == data_b["tier"]
    assert data_b["provisional"] is False


def test_import_json_carries_provisional_and_the_unanswered_ids(run, template, tmp_path):
    src = partial(template, tmp_path)
    result = run("import", "-q", MINI, src, "-o", tmp_path / "out", "--allow-incomplete", "--format", "json")
    assert result.exit_code == 0, result.output
    item = json.loads(result.stdout)["items"][0]
    assert item["provisional"] is True
    assert item["missing_required"] == list(BLANK)
    assert set(BLANK) <= set(item["unanswered"])


def test_a_choice_without_dont_know_left_blank_is_scored_cautiously(run, template, tmp_path):
    src = filled(template, tmp_path / "team-c.xlsx", profile__role=None)
    result = run("import", "-q", MINI, src, "-o", tmp_path / "out", "--allow-incomplete", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["items"][0]["missing_required"] == ["profile.role"]
    wb = openpyxl.load_workbook(tmp_path / "out" / "team-c-register.xlsx")
    assert "profile.role" in sheet_text(wb["Not answered"])


def test_allow_incomplete_still_refuses_every_other_problem(run, template, tmp_path):
    src = partial(template, tmp_path, data__personal="Perhaps")
    out = tmp_path / "out"
    result = run("import", "-q", MINI, src, "-o", out, "--allow-incomplete")
    assert result.exit_code == 2
    assert any("Perhaps" in line for line in result.stderr.splitlines())
    assert not any("missing answer" in line for line in result.stderr.splitlines())
    assert not out.exists()


def test_a_complete_template_with_allow_incomplete_is_not_provisional(run, template, tmp_path):
    src = filled(template, tmp_path / "team-d.xlsx")
    out = tmp_path / "out"
    result = run("import", "-q", MINI, src, "-o", out, "--allow-incomplete", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["items"][0]["provisional"] is False
    wb = openpyxl.load_workbook(out / "team-d-register.xlsx")
    assert "Not answered" not in wb.sheetnames
    assert not any("PROVISIONAL" in t for name in ("Summary", "About") for t in sheet_text(wb[name]))
    assert "PROVISIONAL" not in (out / "team-d-answers.yaml").read_text()
