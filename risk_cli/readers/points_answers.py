"""Answers to a points questionnaire (format 2): read from a YAML file, checked question by
question with the line of each problem, and saved again after every interview answer.

The file is the format-1 answers file's shape: `questionnaire: {id, version}` and `answers:`
mapping each question id to a choice id (a `choice` question), a list of choice ids (`multi`)
or text (`text`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from risk_cli import safe_yaml
from risk_cli.errors import InputProblems, Problem
from risk_cli.model.points import PointsQuestionnaire

KEYS = ("questionnaire", "language", "answers", "assessed_on")


def read(path: str, qn: PointsQuestionnaire) -> dict[str, Any]:
    """The answers in `path`, checked against `qn`; every problem raised at once."""
    return read_with_language(path, qn)[0]


def read_with_language(path: str, qn: PointsQuestionnaire) -> tuple[dict[str, Any], Optional[str]]:
    """The answers and the language they were given in (`language:`, None when not recorded); a
    language the questionnaire does not offer is a problem at its key."""
    return from_document(safe_yaml.load(path), qn)


def from_document(doc: safe_yaml.Document, qn: PointsQuestionnaire) -> tuple[dict[str, Any], Optional[str]]:
    """`read_with_language` on a file already parsed (an answers file, or a workbook's data sheet)."""
    problems: list[Problem] = []
    data = doc.data
    if not isinstance(data, dict):
        raise InputProblems([doc.problem((), "an answers file is a mapping with 'answers'")])
    for key in data:
        if key not in KEYS:
            problems.append(doc.problem((key,), f"unknown key '{key}' (allowed: {', '.join(KEYS)})"))
    named = data.get("questionnaire")
    if isinstance(named, dict) and named.get("id") not in (None, qn.id):
        # answers to another questionnaire: each of them would be a problem too, so this one says it
        raise InputProblems([doc.problem(("questionnaire", "id"),
                                         f"these answers are for {named.get('id')!r}, not {qn.id!r}")])
    language = data.get("language")
    if "language" in data and (not isinstance(language, str) or language not in qn.languages):
        problems.append(doc.problem(("language",), f"language {language!r} is not offered by {qn.id} "
                                                   f"(offers {', '.join(qn.languages)})"))
        language = None
    raw = data.get("answers", {})
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        problems.append(doc.problem(("answers",), "'answers' must map question ids to answers"))
        raw = {}
    values: dict[str, Any] = {}
    for qid, value in raw.items():
        message = check(qn, qid, value)
        if message:
            problems.append(doc.problem(("answers", qid), message))
        elif value is not None:
            values[str(qid)] = list(value) if isinstance(value, list) else value
    if problems:
        raise InputProblems(problems)
    return values, language


def check(qn: PointsQuestionnaire, qid: Any, value: Any) -> str:
    """What is wrong with one answer ("" when nothing)."""
    q = qn.question(str(qid))
    if q is None:
        return f"unknown question '{qid}'"
    if value is None:
        return ""
    if q.type == "text":
        return "" if isinstance(value, (str, int, float)) and not isinstance(value, bool) else "a text answer"
    ids = value if q.type == "multi" else [value]
    if q.type == "multi" and not isinstance(value, list):
        return "a multi question takes a list of choice ids"
    known = [c.id for c in q.choices]
    for v in ids:
        if not isinstance(v, str) or v not in known:
            return f"'{v}' is not a choice of {q.id} (choices: {', '.join(known)})"
    if q.type == "multi" and len(set(ids)) != len(ids):
        return "a choice is given twice"
    return ""


def save(path: Path, qn: PointsQuestionnaire, values: dict[str, Any], lang: Optional[str] = None) -> None:
    from risk_cli.fileio import atomic_write_text

    atomic_write_text(path, to_yaml(qn, values, lang))


def to_yaml(qn: PointsQuestionnaire, values: dict[str, Any], lang: Optional[str] = None,
            assessed_on: str = "") -> str:
    """The answers file's text (also kept in a format-2 workbook's hidden data sheet)."""
    from risk_cli.model.points import answers_yaml

    return answers_yaml(qn, values, lang, assessed_on)
