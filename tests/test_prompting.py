"""The interactive questionnaire, driven through the real questionary widgets.

Keys go into a prompt_toolkit pipe input; prompt_toolkit keeps unread keys as typeahead
for the next prompt, so a whole session can be sent at once. Each run happens in a thread
joined with a timeout: a prompt still waiting for keys fails the test instead of hanging.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Callable

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from risk_cli.model.answers import Answer, Answers
from risk_cli.catalogue.loader import load
from risk_cli.readers.terminal import ask, confirm

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"
TIMEOUT = 10  # seconds; a run normally takes well under one

DOWN, ENTER, SPACE, CTRL_C, CLEAR = "\x1b[B", "\r", " ", "\x03", "\x15"  # Ctrl-U clears a line


def down(n: int) -> str:
    return DOWN * n


@pytest.fixture(scope="module")
def qn():
    return load(MINI)


def drive(keys: str, fn: Callable[[], Any]) -> Any:
    """Run fn with keys as the terminal input; re-raise what it raised; fail if it hangs."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
                inp.send_text(keys)
                outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(TIMEOUT)
    if thread.is_alive():
        pytest.fail(f"a prompt was still waiting for input after {TIMEOUT}s (the keys ran out)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


class Session:
    """One call of ask(), recording what it echoed and every save."""

    def __init__(self, qn, answers: Answers | None = None, **options: Any) -> None:
        self.qn = qn
        self.answers = answers if answers is not None else Answers.new(qn)
        self.options = options
        self.lines: list[str] = []
        self.saves: list[dict[str, Answer]] = []

    def save(self, answers: Answers) -> None:
        assert answers is self.answers
        self.saves.append({k: Answer(a.value, a.note) for k, a in answers.values.items()})

    def run(self, keys: str) -> Answers:
        return drive(keys, lambda: ask(self.qn, self.answers, self.save, echo=self.lines.append, **self.options))

    def interrupted(self, keys: str) -> Answers:
        """Run keys then Ctrl-C, which must come out of ask() as KeyboardInterrupt."""
        with pytest.raises(KeyboardInterrupt):
            self.run(keys + CTRL_C)
        return self.answers

    @property
    def headers(self) -> list[str]:
        return [line for line in self.lines if line.startswith("Section ")]

    def values(self) -> dict[str, Any]:
        return {k: a.value for k, a in self.answers.values.items()}


# Profile: name, organisation, owner skipped, phase live, role supports.
PROFILE = "Proj\r" "Org\r" "\r" + DOWN + ENTER + ENTER
# Data with personal = yes: dpia no, kinds health + finance, volume "1,000", note skipped.
DATA_YES = ENTER + DOWN + ENTER + SPACE + DOWN + SPACE + ENTER + "1,000\r" "\r"
# Delivery: skills don't know, date.
DELIVERY = down(2) + ENTER + "2025-01-02\r"

FULL = {
    "profile.name": "Proj", "profile.organisation": "Org", "profile.owner": None,
    "profile.phase": "live", "profile.role": "supports", "data.personal": "yes",
    "data.dpia": "no", "data.kinds": ["health", "finance"], "data.volume": 1000,
    "data.note": None, "delivery.skills": "dont_know", "delivery.date": "2025-01-02",
}


def where(header: str) -> str:
    """A progress line's question number and the questions asked at that point, as "N of TOTAL":
    "question 5, about 7 to go" is 5 of 12; "question 12, the last one" is 12 of 12."""
    found = re.search(r"question (\d+), (?:about (\d+) to go|the last one)$", header)
    assert found, header
    number, left = int(found[1]), int(found[2] or 0)
    return f"{number} of {number + left}"


def previous(qn, values: dict[str, Any]) -> Answers:
    answers = Answers.new(qn)
    answers.values = {k: Answer(v) for k, v in values.items()}
    return answers


def test_whole_questionnaire_stores_ids_and_types(qn):
    s = Session(qn)
    result = s.run(PROFILE + DATA_YES + DELIVERY)
    assert result is s.answers
    assert s.values() == FULL
    assert isinstance(s.values()["data.volume"], int)
    assert list(s.values()) == [q.id for q in qn.questions]  # asked in questionnaire order
    # saved after every answer, each save holding one answer more
    assert [len(v) for v in s.saves] == list(range(1, 13))
    assert s.headers[0] == "Section 1 of 3: Profile · question 1, about 11 to go"
    assert s.headers[-1] == "Section 3 of 3: Delivery · question 12, the last one"
    assert "  The name." in s.lines and "  Source: A test source" in s.lines
    assert all(len(line) <= 80 for text in s.lines for line in text.splitlines())


def test_condition_skips_questions_when_personal_is_no(qn):
    s = Session(qn)
    s.run(PROFILE + DOWN + ENTER + "\r\r" + DELIVERY)
    assert s.values()["data.personal"] == "no"
    assert "data.dpia" not in s.values() and "data.kinds" not in s.values()
    assert s.headers[-1] == "Section 3 of 3: Delivery · question 10, the last one"
    assert len(s.saves) == 10


def test_back_entry_returns_and_changes_an_answer(qn):
    s = Session(qn)
    # at data.personal: Back (yes, no, don't know, note, back) -> role (supports): Back
    # (supports, decides, note, back) -> phase shown with live selected: choose alpha (up).
    keys = PROFILE + down(4) + ENTER + down(3) + ENTER + "\x1b[A" + ENTER
    s.interrupted(keys + ENTER)  # role: keep supports, then Ctrl-C at data.personal
    assert s.values()["profile.phase"] == "alpha"
    assert s.values()["profile.role"] == "supports"
    names = [where(h) for h in s.headers]
    assert names == ["1 of 12", "2 of 12", "3 of 12", "4 of 12", "5 of 12", "6 of 12",
                     "5 of 12", "4 of 12", "5 of 12", "6 of 12"]
    assert len(s.saves) == 7  # five answers, then phase and role again


def test_changing_an_earlier_answer_keeps_later_answers(qn):
    s = Session(qn)
    # personal yes, dpia yes; at kinds tick Back (health, finance, none, note, back);
    # at dpia Back; at personal choose no; dpia and kinds no longer apply.
    keys = PROFILE + ENTER + ENTER + down(4) + SPACE + ENTER + down(4) + ENTER + DOWN + ENTER
    s.run(keys + "\r\r" + DELIVERY)
    assert s.values()["data.personal"] == "no"
    assert s.values()["data.dpia"] == "yes"  # kept, though no longer asked
    assert "data.kinds" not in s.values()
    assert where(s.headers[-1]) == "10 of 10"


def test_less_than_goes_back_from_a_text_question(qn):
    s = Session(qn)
    # Empty and "<" are refused on the first question (required, nothing before it);
    # then name, "<" at organisation, a new name.
    s.interrupted("\r<\r\x7fProj\r" "<\r" + CLEAR + "New\r" "Org\r")
    assert s.values() == {"profile.name": "New", "profile.organisation": "Org"}
    assert [where(h) for h in s.headers] == ["1 of 12", "2 of 12", "1 of 12", "2 of 12", "3 of 12"]


def test_resume_starts_at_first_unanswered_question(qn):
    done = {k: v for k, v in FULL.items() if k.startswith("profile.")}
    done["data.personal"] = "no"
    s = Session(qn, previous(qn, done), resume=True)
    s.run("42\r" "\r" + DELIVERY)
    assert s.headers[0] == "Section 2 of 3: Data · question 7, about 3 to go"
    assert s.values()["data.volume"] == 42 and s.values()["profile.name"] == "Proj"
    assert len(s.saves) == 4


def test_resume_fills_only_the_gaps(qn):
    gappy = {k: v for k, v in FULL.items() if k != "data.volume"}
    s = Session(qn, previous(qn, gappy), resume=True)
    s.run("5\r")  # volume is asked; the answered questions after it are not
    assert [where(h) for h in s.headers] == ["9 of 12"]
    assert s.values() == {**FULL, "data.volume": 5}


def test_resume_with_everything_answered_asks_nothing(qn):
    s = Session(qn, previous(qn, FULL), resume=True)
    assert s.run("").values.keys() == FULL.keys()
    assert s.saves == [] and s.headers == []


def test_defaults_are_preselected(qn):
    old = previous(qn, {**FULL, "profile.owner": "Sam", "data.note": "Some text",
                        "data.volume": 2.5, "profile.role": "decides"})
    old.values["data.dpia"].note = "Signed off in May"
    s = Session(qn, defaults=old)
    s.run(ENTER * 12)  # Enter keeps every previous answer
    assert s.values() == {k: a.value for k, a in old.values.items()}
    assert s.answers.values["data.dpia"].note == "Signed off in May"
    assert "  Note: Signed off in May" in s.lines
    assert s.answers is not old and len(s.saves) == 12


def test_invalid_number_prompts_again(qn):
    done = {k: v for k, v in FULL.items() if list(FULL).index(k) < 8}
    s = Session(qn, previous(qn, done), resume=True)
    s.interrupted("abc\r" + CLEAR + "-5\r" + CLEAR + "7.5\r")
    assert s.values()["data.volume"] == 7.5
    assert sum(where(h) == "9 of 12" for h in s.headers) == 1  # one prompt, re-validated
    assert len(s.saves) == 1


def test_exclusive_choice_cannot_be_combined(qn):
    done = {k: v for k, v in FULL.items() if list(FULL).index(k) < 7}
    s = Session(qn, previous(qn, done), resume=True)
    # Enter with nothing ticked is refused (required); health + none is refused;
    # unticking none is accepted.
    s.interrupted(ENTER + SPACE + down(2) + SPACE + ENTER + SPACE + ENTER)
    assert s.values()["data.kinds"] == ["health"]
    assert len(s.saves) == 1


def test_exclusive_choice_alone_is_accepted(qn):
    done = {k: v for k, v in FULL.items() if list(FULL).index(k) < 7}
    s = Session(qn, previous(qn, done), resume=True)
    s.interrupted(down(2) + SPACE + ENTER)
    assert s.values()["data.kinds"] == ["none"]


def test_note_entry_adds_a_note_and_asks_again(qn):
    s = Session(qn)
    # phase: (alpha, live, note, back) -> note -> type it -> asked again: choose live
    keys = "Proj\r" "Org\r" "\r" + down(2) + ENTER + "Pilot only\r" + DOWN + ENTER
    # role: Back to phase (note kept and shown), choose alpha; role supports
    keys += down(3) + ENTER + "\x1b[A" + ENTER + ENTER
    s.interrupted(keys)
    assert s.answers.values["profile.phase"] == Answer("alpha", "Pilot only")
    assert "  Note: Pilot only" in s.lines
    assert s.saves[3]["profile.phase"] == Answer("live", "Pilot only")


def test_ctrl_c_propagates_and_keeps_saved_answers(qn):
    s = Session(qn)
    answers = s.interrupted("Proj\r" "Or")
    assert answers.values == {"profile.name": Answer("Proj")}
    assert len(s.saves) == 1


def test_confirm():
    assert drive("y", lambda: confirm("Overwrite?")) is True
    assert drive("\r", lambda: confirm("Overwrite?")) is False
    assert drive("\r", lambda: confirm("Overwrite?", default=True)) is True
    with pytest.raises(KeyboardInterrupt):
        drive(CTRL_C, lambda: confirm("Overwrite?"))


def test_importing_does_not_load_questionary():
    code = "import sys, risk_cli.readers.terminal; sys.exit('questionary' in sys.modules or 'prompt_toolkit' in sys.modules)"
    root = Path(__file__).resolve().parents[1]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0
