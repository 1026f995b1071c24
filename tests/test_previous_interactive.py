"""`assess --previous OLD.xlsx` in a terminal, driven end to end through the real prompts.

In a terminal the previous register's answers are the defaults of every question, and once
the questions are answered people's edits to the old register carry over by risk and action id.
The CLI runs in-process (the `run` fixture) with its keys sent through prompt_toolkit's pipe
input (`drive`, from test_prompting). `workflows.assess.interview_terminal` is the one place the CLI
asks whether it is in a terminal; under CliRunner stdin is never a terminal, so the tests say
it is. Everything else is real: the questionary widgets, the register written and read back.

Scores in the mini questionnaire, worked out by hand (see tests/test_roundtrip.py):
  old answers (personal data with a DPIA, finance data, AI supports staff, skills in place):
    AI-DAT-001 L2 I3 = 6, residual L1 I3 = 3 Low; AI-OPS-001 L2 I3 = 6 Moderate, residual the same;
    AI-DEL-001 L2 I2 = 4, residual L1 I1 = 1 Low
  DPIA changed to no: AI-DAT-001 L4 I3 = 12 High, no control, so residual 12 High; the rest as before
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from risk_cli.model import answers as answers_mod
from risk_cli.workflows import assess as assessment
from risk_cli.readers.inputs import load as load_input
from risk_cli.writers.register_layout import ACTIONS, CHANGE, REGISTER
from tests.conftest import MINI, mini_answers, write_yaml
from tests.test_prompting import DOWN, ENTER, SPACE, drive
from tests.test_roundtrip import by_id, edit, summary

UP = "\x1b[A"
WRITE = ENTER  # at the review after the last question: "Write the register", the default
NOTE = "Signed off by the DPO in May"
# What a person typed into the old register, by sheet, id and column.
RISK_EDITS = {
    ("AI-DAT-001", "Risk owner"): "Sam Patel",
    ("AI-DAT-001", "Treatment"): "Transfer",
    ("AI-OPS-001", "Notes"): "Board asked for a review panel",
}
ACTION_EDITS = {
    ("AI-OPS-001-A1", "Status"): "In progress",
    ("AI-OPS-001-A1", "Action owner"): "Head of operations",
}


def old_answers(**overrides: Any) -> dict:
    """The previous assessment's answers document, dated today so every date in both registers
    (raised, reviewed, due) is the same whenever the tests run."""
    doc = mini_answers(**{"data__dpia": {"answer": "yes", "note": NOTE}, **overrides})
    doc["assessed_on"] = dt.date.today().isoformat()
    return doc


def plain(doc: dict) -> dict[str, Any]:
    """An answers document's values by question id, notes left out."""
    values = {**doc["profile"], **doc["answers"]}
    return {k: v["answer"] if isinstance(v, dict) else v for k, v in values.items()}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A terminal session in an empty folder, so a file written by default lands where a test sees it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(assessment, "interview_terminal", lambda: "stdout")
    return tmp_path


def old_register(tmp_path: Path, run, doc: dict) -> Path:
    """Write the previous register without prompts, then edit it as an assurance team would."""
    answers = write_yaml(tmp_path / "old-answers.yaml", doc)
    path = tmp_path / "old.xlsx"
    result = run("assess", "-q", MINI, "--answers", answers, "--no-input", "-o", path)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(path)
    for (ident, column), value in RISK_EDITS.items():
        if ident in by_id(wb[REGISTER]):
            edit(wb[REGISTER], ident, column, value)
    for (ident, column), value in ACTION_EDITS.items():
        edit(wb[ACTIONS], ident, column, value)
    wb.save(path)
    return path


def assess_in_terminal(run, keys: str, *args: Any):
    """`risk-cli assess ARGS` answered with `keys`, as a person at the keyboard would."""
    return drive(keys, lambda: run("assess", "-q", MINI, *args))


def sheet(path: Path, name: str) -> dict[str, dict]:
    return by_id(openpyxl.load_workbook(path, data_only=True)[name])  # scores: the cached values of their formulas


def test_enter_keeps_every_previous_answer_and_carries_the_edits(workdir, run):
    doc = old_answers()
    old = old_register(workdir, run, doc)
    result = assess_in_terminal(run, ENTER * 12 + WRITE, "--previous", old, "-o", "new.xlsx", "--save", "saved.yaml")
    assert result.exit_code == 0, result.output
    assert "Section 1 of 3: Profile · question 1, about 11 to go" in result.stdout  # the real prompts ran
    assert f"  Note: {NOTE}" in result.stdout  # the previous note is shown with its question

    # Each prompt offered the previous answer: Enter alone gave back exactly the old answers.
    saved = answers_mod.load(workdir / "saved.yaml")
    assert saved.plain() == plain(doc)
    assert saved.values["data.dpia"].note == NOTE
    assert load_input(workdir / "new.xlsx").answers.plain() == plain(doc)

    assert (f"Compared with {old} (assessed {doc['assessed_on']}): 0 new, 0 changed, 3 unchanged, "
            "0 no longer raised; 5 edited cell(s) carried over") in result.stderr.splitlines()
    after = sheet(workdir / "new.xlsx", REGISTER)
    assert list(after) == ["AI-DAT-001", "AI-OPS-001", "AI-DEL-001"]
    for rid, row in after.items():
        assert (row["Trend"], row[CHANGE]) == ("Same", f"Unchanged: residual {row['Residual score']} "
                                                       f"({row['Residual rating']})")
    # Same answers, same scores (the same formulas: `old`, saved by openpyxl, has no cached values);
    # and the edits are there, as typed.
    before, after = (by_id(openpyxl.load_workbook(path)[REGISTER]) for path in (old, workdir / "new.xlsx"))
    for rid, row in after.items():
        assert {k: v for k, v in row.items() if k not in ("Trend", CHANGE)} == \
               {k: v for k, v in before[rid].items() if k not in ("Trend", CHANGE)}
    for (rid, column), value in RISK_EDITS.items():
        assert after[rid][column] == value
    actions = sheet(workdir / "new.xlsx", ACTIONS)
    for (aid, column), value in ACTION_EDITS.items():
        assert actions[aid][column] == value
    assert {a[CHANGE] for a in actions.values()} == {"Still needed"}
    assert summary(openpyxl.load_workbook(workdir / "new.xlsx"))["Risks since then"] == \
        "0 new, 0 changed, 3 unchanged, 0 no longer raised"


def test_one_changed_answer_changes_one_risk(workdir, run):
    old = old_register(workdir, run, old_answers())
    # Profile and personal data kept; DPIA: yes -> no (Down); the rest kept.
    keys = ENTER * 6 + DOWN + ENTER + ENTER * 5 + WRITE
    result = assess_in_terminal(run, keys, "--previous", old, "-o", "new.xlsx", "--save", "saved.yaml")
    assert result.exit_code == 0, result.output
    assert answers_mod.load(workdir / "saved.yaml").plain() == plain(old_answers(data__dpia="no"))
    assert "0 new, 1 changed, 2 unchanged, 0 no longer raised" in result.stderr

    risks = sheet(workdir / "new.xlsx", REGISTER)
    dat = risks["AI-DAT-001"]
    assert (dat["Residual score"], dat["Trend"]) == (12, "Up")
    assert dat[CHANGE] == "Residual 3 (Low) \u2192 12 (High); inherent 6 (Moderate) \u2192 12 (High)"
    assert (dat["Risk owner"], dat["Treatment"]) == ("Sam Patel", "Transfer")  # the person's choices stand
    assert dat["Within appetite"] == "No"
    for rid in ("AI-OPS-001", "AI-DEL-001"):
        assert risks[rid]["Trend"] == "Same" and risks[rid][CHANGE].startswith("Unchanged")
    assert risks["AI-OPS-001"]["Notes"] == RISK_EDITS[("AI-OPS-001", "Notes")]
    actions = sheet(workdir / "new.xlsx", ACTIONS)
    assert actions["AI-DAT-001-A1"][CHANGE] == "New"  # "Do a DPIA" is needed now
    assert actions["AI-OPS-001-A1"]["Status"] == "In progress"


def test_no_longer_raised_risk_keeps_its_row_and_edits(workdir, run):
    old = old_register(workdir, run, old_answers())
    # Personal data: yes -> no (Down); DPIA and kinds are no longer asked.
    keys = ENTER * 5 + DOWN + ENTER + ENTER * 4 + WRITE
    result = assess_in_terminal(run, keys, "--previous", old, "-o", "new.xlsx", "--save", "saved.yaml")
    assert result.exit_code == 0, result.output
    saved = answers_mod.load(workdir / "saved.yaml").plain()
    assert saved["data.personal"] == "no" and "data.dpia" not in saved and "data.kinds" not in saved
    assert "0 new, 0 changed, 2 unchanged, 1 no longer raised" in result.stderr

    risks = sheet(workdir / "new.xlsx", REGISTER)
    assert list(risks) == ["AI-OPS-001", "AI-DEL-001", "AI-DAT-001"]  # the closed row moves to the end
    dat = risks["AI-DAT-001"]
    assert (dat["Status"], dat["Trend"], dat[CHANGE]) == ("Closed", "Down", "No longer raised: residual was 3 (Low)")
    assert (dat["Risk owner"], dat["Treatment"]) == ("Sam Patel", "Transfer")


def test_risk_raised_for_the_first_time_is_new(workdir, run):
    old = old_register(workdir, run, old_answers(data__personal="no", data__dpia=None, data__kinds=None))
    # Personal data: no -> yes (Up); DPIA and kinds had no previous answer: yes, and tick health.
    keys = ENTER * 5 + UP + ENTER + ENTER + SPACE + ENTER + ENTER * 4 + WRITE
    result = assess_in_terminal(run, keys, "--previous", old, "-o", "new.xlsx", "--save", "saved.yaml")
    assert result.exit_code == 0, result.output
    saved = answers_mod.load(workdir / "saved.yaml").plain()
    assert (saved["data.personal"], saved["data.dpia"], saved["data.kinds"]) == ("yes", "yes", ["health"])
    assert "1 new, 0 changed, 2 unchanged, 0 no longer raised" in result.stderr
    risks = sheet(workdir / "new.xlsx", REGISTER)
    assert (risks["AI-DAT-001"]["Trend"], risks["AI-DAT-001"][CHANGE]) == ("New", "New")
    assert risks["AI-OPS-001"]["Notes"] == RISK_EDITS[("AI-OPS-001", "Notes")]


def test_newer_questionnaire_version_offers_the_answers_that_still_fit(workdir, run):
    """Re-assessing after the questionnaire was updated is when last time's answers matter most:
    they are the defaults where they still fit the new version, as `--previous` compares across
    versions without a terminal. (They used to be refused outright: 'answers are for mini version
    0.1.0; this questionnaire is version 0.2.0'.)"""
    doc = old_answers()
    old = old_register(workdir, run, doc)
    newer = workdir / "mini-0.2.0.yaml"
    text = MINI.read_text(encoding="utf-8").replace("version: 0.1.0", "version: 0.2.0")
    newer.write_text(text.replace("{id: alpha, label: Alpha}", "{id: beta, label: Beta}"), encoding="utf-8")
    result = drive(ENTER * 12 + WRITE, lambda: run("assess", "-q", newer, "--previous", old, "-o", "new.xlsx",
                                           "--save", "saved.yaml"))
    assert result.exit_code == 0, result.output
    assert (f"{old} was answered for mini 0.1.0; its answers are the defaults where they still fit mini 0.2.0 "
            "(no longer fit: profile.phase)") in result.stdout
    saved = answers_mod.load(workdir / "saved.yaml")
    assert saved.questionnaire_version == "0.2.0"
    assert saved.plain() == {**plain(doc), "profile.phase": "beta"}  # phase had no default: its first choice
    assert saved.values["data.dpia"].note == NOTE
    assert "0 new, 0 changed, 3 unchanged" in result.stderr
    assert sheet(workdir / "new.xlsx", REGISTER)["AI-DAT-001"]["Risk owner"] == "Sam Patel"


def _truncated(tmp_path: Path, run) -> Path:
    path = old_register(tmp_path, run, old_answers())
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _plain_workbook(tmp_path: Path, run) -> Path:
    path = tmp_path / "old.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Risk", "Owner"])
    wb.save(path)
    return path


def _template(tmp_path: Path, run) -> Path:
    path = tmp_path / "old.xlsx"
    assert run("template", "-q", MINI, "-o", path).exit_code == 0
    return path


def _hidden_answers_edited(tmp_path: Path, run) -> Path:
    path = old_register(tmp_path, run, old_answers())
    wb = openpyxl.load_workbook(path)
    cell = wb["risk-cli data"]["A2"]
    cell.value = cell.value.replace("data.personal: 'yes'", "data.personal: maybe")
    wb.save(path)
    return path


@pytest.mark.parametrize("make, message", [
    (_truncated, "is not a readable .xlsx workbook (damaged or truncated"),
    (_plain_workbook, "has no 'Risk register' or 'Actions' or 'risk-cli data' sheet"),
    (_template, "is a questionnaire template, not a register"),
    (_hidden_answers_edited, "data.personal: 'maybe' is not an allowed answer"),
], ids=["truncated", "not-a-register", "template", "hidden-answers-edited"])
def test_unusable_previous_register_fails_before_any_question(workdir, run, make, message):
    old = make(workdir, run)
    assert zipfile.is_zipfile(old) == (make is not _truncated)
    files = sorted(workdir.iterdir())
    # Keys enough to answer every question: if any prompt were shown, the run would go on.
    result = assess_in_terminal(run, ENTER * 12, "--previous", old, "-o", "new.xlsx")
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {old}: ") and message in lines[0], lines
    assert "questions in" not in result.stdout and "Section" not in result.stdout  # nothing was asked
    assert "Traceback" not in result.output
    assert sorted(workdir.iterdir()) == files  # no register, no risk-answers.yaml


def test_register_of_another_questionnaire_is_refused_before_any_question(workdir, run):
    """With --answers giving the defaults, a previous register of another questionnaire is refused
    before the first question, as a damaged one is: a wrong file costs nobody an interview."""
    other = workdir / "other.yaml"
    other.write_text(MINI.read_text(encoding="utf-8").replace("id: mini", "id: other"), encoding="utf-8")
    doc = old_answers()
    doc["questionnaire"]["id"] = "other"
    assert run("assess", "-q", other, "--answers", write_yaml(workdir / "o.yaml", doc), "--no-input",
               "-o", "old.xlsx").exit_code == 0
    answers = write_yaml(workdir / "new-answers.yaml", old_answers())
    result = assess_in_terminal(run, ENTER * 12, "--answers", answers, "--previous", "old.xlsx", "-o", "new.xlsx")
    assert result.exit_code == 2
    assert "is a register for questionnaire 'other', but these answers are for 'mini'" in result.stderr
    assert "Section" not in result.stdout


def test_without_q_the_interview_uses_the_newest_bundled_version(workdir, run, monkeypatch):
    """A yearly re-assessment in a terminal asks today's questions: with no -q, last time's
    answers (here a register of mini 0.1.0) are the defaults for the newest bundled version."""
    from risk_cli.catalogue import bundled, cache

    shelf = workdir / "shelf"
    shelf.mkdir()
    text = MINI.read_text(encoding="utf-8")
    (shelf / "mini-0.1.0.yaml").write_text(text, encoding="utf-8")
    newer = text.replace("version: 0.1.0", "version: 0.2.0").replace("{id: alpha, label: Alpha}",
                                                                          "{id: beta, label: Beta}")
    (shelf / "mini-0.2.0.yaml").write_text(newer, encoding="utf-8")
    monkeypatch.setattr(bundled, "bundled_dir", lambda: shelf)
    monkeypatch.setattr(cache, "_MEMORY", {})
    old = old_register(workdir, run, old_answers())
    result = drive(ENTER * 12 + WRITE, lambda: run("assess", "--previous", old, "-o", "new.xlsx", "--save", "saved.yaml"))
    assert result.exit_code == 0, result.output
    assert "its answers are the defaults where they still fit mini 0.2.0 (no longer fit: profile.phase)" in result.stdout
    assert answers_mod.load(workdir / "saved.yaml").questionnaire_version == "0.2.0"
    # without a terminal the same answers are scored against exactly the version they name
    again = run("assess", "--answers", old, "--no-input", "--format", "json")
    assert again.exit_code == 0, again.output
    assert '"version": "0.1.0"' in again.stdout
