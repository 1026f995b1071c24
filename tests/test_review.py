"""The review before the register is written (issue 13, item 5).

After the last question the answers are listed by section; any question can be asked again, a
change is saved at once and any question it brings in is asked, then "Write the register" (the
first entry and the default) writes, or "Save and quit" keeps the answers without a register.
`assess --resume FILE --review` opens on the review when FILE is complete.

The CLI runs in-process with keys sent through prompt_toolkit's pipe input (`drive`, from
test_prompting), as in test_previous_interactive; the review's content is also checked as the
pure functions of model.review, without a terminal.

Keys at the review of mini.yaml: the first list is Write (the pointer starts there), Profile,
Data, Delivery, Save and quit; a section's list is its questions that apply, then "Back to the
sections".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from risk_cli.catalogue.loader import load
from risk_cli.model import answers as answers_mod
from risk_cli.model import review
from risk_cli.model.answers import Answer, Answers
from risk_cli.readers.inputs import load as load_input
from risk_cli.workflows import assess as assessment
from risk_cli.writers.register_layout import REGISTER
from tests.conftest import MINI, mini_answers, write_yaml
from tests.test_prompting import CLEAR, DATA_YES, DELIVERY, DOWN, ENTER, FULL, PROFILE, SPACE, down, drive
from tests.test_roundtrip import by_id

UP = "\x1b[A"
EVERYTHING = PROFILE + DATA_YES + DELIVERY  # the twelve answers of FULL
WRITE = ENTER  # at the review's first list: the default entry
DATA, QUIT = down(2) + ENTER, down(4) + ENTER
# Data, with personal data: personal, dpia, kinds, volume, note, then back to the sections
DATA_BACK = down(5) + ENTER


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(assessment, "interview_terminal", lambda: "stdout")
    return tmp_path


def interview(run, keys: str, *args: Any):
    return drive(keys, lambda: run("assess", "-q", MINI, *args))


def register_rows(path: Path) -> dict[str, dict]:
    return by_id(openpyxl.load_workbook(path, data_only=True)[REGISTER])  # scores are formulas: their cached values


def scored_without_prompts(run, answers: Path, out: str) -> dict[str, dict]:
    """The register risk-cli writes for an answers file with no terminal: what the interview must match."""
    result = run("assess", "-q", MINI, "--answers", answers, "--no-input", "-o", out)
    assert result.exit_code == 0, result.output
    return register_rows(Path(out))


def asked(stdout: str) -> int:
    """How many questions the interview asked: one progress line each."""
    return sum(1 for line in stdout.splitlines() if line.startswith("Section ") and " · question " in line)


def test_write_the_register_is_the_default_and_asks_nothing_more(workdir, run):
    result = interview(run, EVERYTHING + WRITE, "--save", "saved.yaml", "-o", "new.xlsx")
    assert result.exit_code == 0, result.output
    assert asked(result.stdout) == 12  # no extra question
    assert answers_mod.load(workdir / "saved.yaml").plain() == FULL
    assert register_rows(workdir / "new.xlsx") == scored_without_prompts(run, workdir / "saved.yaml", "same.xlsx")


def test_changing_one_answer_from_the_review_changes_the_file_and_the_register(workdir, run):
    # Data section, its second question (DPIA: no, the pointer on it), Up to Yes; then back and write.
    keys = EVERYTHING + DATA + DOWN + ENTER + UP + ENTER + DATA_BACK + WRITE
    result = interview(run, keys, "--save", "saved.yaml", "-o", "new.xlsx")
    assert result.exit_code == 0, result.output
    assert "Changing: Section 2 of 3: Data" in result.stdout
    assert answers_mod.load(workdir / "saved.yaml").plain() == {**FULL, "data.dpia": "yes"}
    assert load_input(workdir / "new.xlsx").answers.value("data.dpia") == "yes"  # the register's own copy
    assert asked(result.stdout) == 12  # only the one question again, which has no progress line
    rows = register_rows(workdir / "new.xlsx")
    assert rows == scored_without_prompts(run, workdir / "saved.yaml", "same.xlsx")
    # the DPIA is a control of the data risk: with it done the residual score falls
    before = interview(run, EVERYTHING + WRITE, "--save", "before.yaml", "-o", "before.xlsx")
    assert before.exit_code == 0, before.output
    was = register_rows(workdir / "before.xlsx")
    assert rows["AI-DAT-001"]["Residual score"] < was["AI-DAT-001"]["Residual score"]


def test_a_change_that_brings_in_questions_asks_them(workdir, run):
    # Personal data: no, so DPIA and kinds are not asked; then volume, note, delivery.
    no_personal = PROFILE + DOWN + ENTER + "1,000\r" "\r" + DELIVERY
    # Review: Data, personal data (first, pointer on No), Up to Yes; then the new questions:
    # DPIA (Enter: Yes) and kinds (Space ticks Health); back to the sections, write.
    keys = no_personal + DATA + ENTER + UP + ENTER + ENTER + SPACE + ENTER + DATA_BACK + WRITE
    result = interview(run, keys, "--save", "saved.yaml", "-o", "new.xlsx")
    assert result.exit_code == 0, result.output
    assert "That answer brings in 2 more question(s)." in result.stdout
    assert result.stdout.count("New question: Section 2 of 3: Data") == 2
    saved = answers_mod.load(workdir / "saved.yaml").plain()
    assert saved == {**FULL, "data.dpia": "yes", "data.kinds": ["health"]}
    rows = register_rows(workdir / "new.xlsx")
    assert "AI-DAT-001" in rows  # the personal data risk, raised by the change
    assert rows == scored_without_prompts(run, workdir / "saved.yaml", "same.xlsx")


def test_resume_with_review_opens_on_the_review(workdir, run):
    answers = write_yaml(workdir / "answers.yaml", mini_answers())
    expected = scored_without_prompts(run, answers, "expected.xlsx")
    # Profile (Down, Enter), its first question (the name), typed anew; back to the sections, write.
    keys = DOWN + ENTER + ENTER + CLEAR + "Letter drafter\r" + down(5) + ENTER + WRITE
    result = interview(run, keys, "--resume", "answers.yaml", "--review", "-o", "new.xlsx")
    assert result.exit_code == 0, result.output
    assert "Every question in answers.yaml is answered" in result.stdout
    assert asked(result.stdout) == 0  # straight to the review
    assert answers_mod.load(answers).value("profile.name") == "Letter drafter"
    rows = register_rows(workdir / "new.xlsx")
    assert {r["Risk ID"] for r in rows.values()} == set(expected)
    assert load_input(workdir / "new.xlsx").answers.value("profile.name") == "Letter drafter"
    assert rows == scored_without_prompts(run, answers, "again.xlsx")


def test_resume_of_a_complete_file_without_review_writes_straight_away(workdir, run):
    answers = write_yaml(workdir / "answers.yaml", mini_answers())
    result = interview(run, "", "--resume", answers, "-o", "new.xlsx")  # no keys: nothing is asked
    assert result.exit_code == 0, result.output
    assert register_rows(workdir / "new.xlsx") == scored_without_prompts(run, answers, "same.xlsx")


def test_save_and_quit_writes_no_register_and_keeps_the_answers(workdir, run):
    result = interview(run, EVERYTHING + QUIT, "--save", "saved.yaml", "-o", "new.xlsx")
    assert result.exit_code == 130, result.output  # as Ctrl-C: stopped, answers kept
    assert not list(workdir.glob("*.xlsx"))
    assert result.stderr.strip() == ("Stopped. Your answers so far are saved in saved.yaml; "
                                     "continue with: risk-cli assess --resume saved.yaml --review")
    assert answers_mod.load(workdir / "saved.yaml").plain() == FULL
    again = run("assess", "-q", MINI, "--answers", "saved.yaml", "--no-input", "-o", "later.xlsx")
    assert again.exit_code == 0, again.output  # complete: it scores as it is


def test_review_needs_resume(workdir, run):
    result = run("assess", "-q", MINI, "--review")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --review reviews a saved answers file: give --resume FILE with it"


# -- what the review shows: model.review, no terminal ---------------------------------------

@pytest.fixture(scope="module")
def qn():
    return load(MINI)


def answers_of(qn, values: dict[str, Any], notes: dict[str, str] | None = None) -> Answers:
    answers = Answers.new(qn)
    answers.values = {k: Answer(v, (notes or {}).get(k, "")) for k, v in values.items()}
    return answers


def test_sections_count_answered_and_unanswered(qn):
    answers = answers_of(qn, {**FULL, "delivery.date": None})
    assert [s.label() for s in review.sections(qn, answers)] == [
        "Section 1: Profile (4 answered, 1 unanswered)",  # the owner was left empty
        "Section 2: Data (4 answered, 1 unanswered)",
        "Section 3: Delivery (1 answered, 1 unanswered)",
    ]
    assert review.complete(qn, answers)  # the empty ones are optional, left empty on purpose


def test_question_lines_show_labels_and_mark_dont_know_and_notes(qn):
    answers = answers_of(qn, FULL, notes={"data.kinds": "from the DPIA"})
    lines = {line.id: line for line in review.questions(qn, answers, "data")}
    assert list(lines) == ["data.personal", "data.dpia", "data.kinds", "data.volume", "data.note"]
    assert lines["data.kinds"].label(60) == "Which kinds?  Health, Finance ✎"
    assert lines["data.volume"].label(60) == "Records?  1000"
    assert lines["data.note"].label(60) == "Anything else?  (unanswered)"
    skills = review.questions(qn, answers, "delivery")[0]
    assert skills.label(60) == "Have the skills?  Don't know ?"
    long = review.question_line(qn.by_id["data.note"], Answer("word " * 40))
    assert len(long.label(40)) <= 40 and long.label(40).endswith("…")


def test_still_to_ask_after_a_change(qn):
    answers = answers_of(qn, {**FULL, "data.personal": "no", "data.dpia": None, "data.kinds": None})
    del answers.values["data.dpia"], answers.values["data.kinds"]
    assert review.still_to_ask(qn, answers) == []
    answers.values["data.personal"] = Answer("yes")
    assert [q.id for q in review.still_to_ask(qn, answers)] == ["data.dpia", "data.kinds"]
