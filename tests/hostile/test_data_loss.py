"""`assess --resume` and `--save` in a terminal never write answers over a file people need.

Answers are saved as YAML after every question. Resuming a register or a filled template used to
replace the workbook with YAML and exit 0, losing every edit in it; `--save` onto an existing file
other than the one resumed replaced it without --force. Each is now refused in one line, exit 2,
before anything is written. Driven through the real prompts (prompt_toolkit pipe input, as in
tests/test_previous_interactive.py) with the CLI run in-process by CliRunner.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from risk_cli.model import answers as answers_mod
from risk_cli.workflows import assess as assessment
from tests.conftest import MINI, mini_answers, write_yaml
from tests.test_prompting import ENTER, drive
from tests.template_fill import fill, make_template


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(assessment, "interview_terminal", lambda: "stdout")
    return tmp_path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def partial(path: Path) -> Path:
    """An interrupted interview: the delivery answers are missing."""
    return write_yaml(path, mini_answers(delivery__skills=None, delivery__date=None))


def in_terminal(run, keys: str, *args):
    return drive(keys, lambda: run("assess", "-q", MINI, *args))


def edited_register(run, folder: Path) -> Path:
    """A register with a person's edit in it (a risk owner typed into the Risk register sheet)."""
    answers = write_yaml(folder / "answers.yaml", mini_answers())
    path = folder / "register.xlsx"
    assert run("assess", "-q", MINI, "--answers", answers, "--no-input", "-o", path).exit_code == 0
    wb = openpyxl.load_workbook(path)
    wb["Risk register"]["A30"] = "edited by a person"
    wb.save(path)
    return path


def refused(result, path: Path, before: str, text: str) -> None:
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("error: ") and text in errors[0], result.stderr
    assert "Traceback" not in result.output
    assert digest(path) == before  # nothing was written over it


def test_resume_a_register_is_refused_and_the_register_kept(workdir, run):
    register = edited_register(run, workdir)
    before = digest(register)
    result = in_terminal(run, ENTER * 12, "--resume", register, "-o", "new.xlsx")
    refused(result, register, before, "is a risk register, not a risk-cli answers file")
    assert "--answers" in result.stderr  # says what to do instead
    assert openpyxl.load_workbook(register)["Risk register"]["A30"].value == "edited by a person"
    assert not (workdir / "new.xlsx").exists()


def test_resume_a_filled_template_is_refused_and_the_template_kept(workdir, run):
    template = fill(make_template(run, workdir / "blank.xlsx"), workdir / "filled.xlsx")
    before = digest(template)
    result = in_terminal(run, ENTER * 12, "--resume", template, "-o", "new.xlsx")
    refused(result, template, before, "is a questionnaire template, not a risk-cli answers file")


def test_save_over_another_existing_answers_file_needs_force(workdir, run):
    resumed = partial(workdir / "partial.yaml")
    other = write_yaml(workdir / "other.yaml", mini_answers(profile__name="Another use case"))
    before = digest(other)
    result = in_terminal(run, ENTER * 2, "--resume", resumed, "--save", other, "-o", "new.xlsx")
    refused(result, other, before, "already exists and is not the file resumed; use --force")
    # with --force it is replaced by the resumed answers, finished
    result = in_terminal(run, ENTER * 3, "--resume", resumed, "--save", other, "-o", "new.xlsx", "--force")  # and the review
    assert result.exit_code == 0, result.output
    assert answers_mod.load(other).plain()["profile.name"] == "Reply drafter"


def test_save_over_a_register_is_refused_even_with_force(workdir, run):
    resumed = partial(workdir / "partial.yaml")
    register = edited_register(run, workdir)
    before = digest(register)
    for extra in ((), ("--force",)):
        result = in_terminal(run, ENTER * 2, "--resume", resumed, "--save", register, "-o", "new.xlsx", *extra)
        refused(result, register, before, "--save writes an answers file; give it a .yaml name")


def test_save_over_a_yaml_that_is_not_answers_is_refused_even_with_force(workdir, run):
    resumed = partial(workdir / "partial.yaml")
    questionnaire = workdir / "questionnaire.yaml"
    questionnaire.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    before = digest(questionnaire)
    result = in_terminal(run, ENTER * 2, "--resume", resumed, "--save", questionnaire, "-o", "new.xlsx", "--force")
    refused(result, questionnaire, before, "is not a risk-cli answers file; --save will not replace it")


def test_resume_an_answers_file_still_continues_it(workdir, run):
    resumed = partial(workdir / "partial.yaml")
    result = in_terminal(run, ENTER * 3, "--resume", resumed, "-o", "new.xlsx")  # two answers, then the review
    assert result.exit_code == 0, result.output
    assert "delivery.skills" in answers_mod.load(resumed).plain()
    assert (workdir / "new.xlsx").exists()
