"""What the review screen shows before the register is written, as data (issue 13, item 5).

The review lists the sections with how many of their questions are answered, and a section's
questions with their current answers, one short line each; after a change it says which questions
now apply and still need an answer. Pure functions of the questionnaire and the answers, so they
are tested without a terminal; `readers.terminal.review` draws them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from risk_cli.model.answers import Answer, Answers, resolve
from risk_cli.model.conditions import DONT_KNOW
from risk_cli.model.questionnaire import Question, Questionnaire

UNANSWERED = "(unanswered)"
NOTE_MARK = "✎"  # the answer has a note
DONT_KNOW_MARK = "?"  # the answer is (or includes) don't know
ELLIPSIS = "…"


@dataclass(frozen=True)
class SectionLine:
    """One section in the review's first list: its questions that apply, and how many are answered."""

    id: str
    number: int  # among all the questionnaire's sections, as the interview's progress line numbers them
    title: str
    answered: int
    unanswered: int

    def label(self) -> str:
        counts = f"{self.answered} answered" + (f", {self.unanswered} unanswered" if self.unanswered else "")
        return f"Section {self.number}: {self.title} ({counts})"


@dataclass(frozen=True)
class QuestionLine:
    """One question in a section's list, with its current answer in a few words."""

    id: str
    text: str
    answer: str  # the choice labels, the typed text or number, or UNANSWERED
    dont_know: bool
    has_note: bool

    def label(self, width: int) -> str:
        """`question: answer` on one line of at most `width` characters; don't know and a note marked."""
        marks = (f" {DONT_KNOW_MARK}" if self.dont_know else "") + (f" {NOTE_MARK}" if self.has_note else "")
        return _fit(self.text, self.answer, marks, width)


def applicable(qn: Questionnaire, answers: Answers) -> list[Question]:
    """The questions that apply to these answers, in questionnaire order."""
    visible = resolve(qn, {qid: a.value for qid, a in answers.values.items()})
    return [qn.by_id[qid] for qid in visible.asked]


def has_value(answer: Optional[Answer]) -> bool:
    return answer is not None and answer.value not in (None, "", [])


def seen(q: Question, answers: Answers) -> bool:
    """Asked already: answered, or an optional question deliberately left empty."""
    answer = answers.values.get(q.id)
    if answer is None:
        return False
    return not q.required or has_value(answer)


def sections(qn: Questionnaire, answers: Answers) -> list[SectionLine]:
    """The sections with at least one question that applies, in order, with their counts."""
    asked = applicable(qn, answers)
    lines = []
    for number, section in enumerate(qn.sections, start=1):
        mine = [q for q in asked if q.section == section.id]
        if mine:
            done = sum(1 for q in mine if has_value(answers.values.get(q.id)))
            lines.append(SectionLine(section.id, number, section.title, done, len(mine) - done))
    return lines


def questions(qn: Questionnaire, answers: Answers, section_id: str) -> list[QuestionLine]:
    """A section's questions that apply, each with its current answer."""
    return [question_line(q, answers.values.get(q.id)) for q in applicable(qn, answers) if q.section == section_id]


def question_line(q: Question, answer: Optional[Answer]) -> QuestionLine:
    value = answer.value if answer is not None else None
    return QuestionLine(q.id, q.text, show(q, value), _is_dont_know(value), bool(answer and answer.note))


def show(q: Question, value: Any) -> str:
    """An answer as a person reads it: choice labels rather than ids, the text on one line."""
    if value in (None, "", []):
        return UNANSWERED
    if q.choices:
        ids = value if isinstance(value, list) else [value]
        return ", ".join(c.label if (c := q.choice(str(i))) else str(i) for i in ids)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def still_to_ask(qn: Questionnaire, answers: Answers) -> list[Question]:
    """The questions that apply now but have never been asked: after a change in the review, those
    its new answer switched on (the questions it switched off keep their answers, unscored, in case
    the change is undone)."""
    return [q for q in applicable(qn, answers) if not seen(q, answers)]


def complete(qn: Questionnaire, answers: Answers) -> bool:
    """Every question that applies has been asked: the review can open straight away."""
    return not still_to_ask(qn, answers)


def one_line(text: str, width: int) -> str:
    """Text on one line of at most `width` characters, cut with an ellipsis if longer."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(width - 1, 0)].rstrip() + ELLIPSIS


def _fit(question: str, answer: str, marks: str, width: int) -> str:
    """`question  answer marks` within width: the answer and marks are kept whole where they fit,
    the question cut first, then the answer."""
    question, answer = " ".join(question.split()), " ".join(answer.split())
    whole = f"{question}  {answer}{marks}"
    if len(whole) <= width:
        return whole
    room = width - len(answer) - len(marks) - 2
    if room >= min(20, len(question)):
        return f"{one_line(question, room)}  {answer}{marks}"
    room = min(len(question), max(width // 2, 1))
    rest = width - room - 2 - len(marks)
    return f"{one_line(question, room)}  {one_line(answer, max(rest, 1))}{marks}"


def _is_dont_know(value: Any) -> bool:
    return value == DONT_KNOW or (isinstance(value, list) and DONT_KNOW in value)
