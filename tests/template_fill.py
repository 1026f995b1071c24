"""Helpers for tests that fill in a questionnaire template the way a person would (with openpyxl)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Optional

import openpyxl

from tests.conftest import MINI

QID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")

# mini_answers() as a person fills it in: labels, real numbers and dates
MINI_FILLED: dict[str, Any] = {
    "profile.name": "Reply drafter",
    "profile.organisation": "Department for Tests",
    "profile.owner": "Jo Bloggs",
    "profile.phase": "Alpha",
    "profile.role": "Supports staff",
    "data.personal": "Yes",
    "data.dpia": "Yes",
    "data.kinds": ["Finance"],
    "data.volume": 5000,
    "data.note": "nothing else",
    "delivery.skills": "Yes",
    "delivery.date": dt.date(2027, 1, 31),
}
COMPLETED = dt.date(2026, 11, 27)


def make_template(run, path: Path, questionnaire: Path | str = MINI) -> Path:
    result = run("template", "-q", questionnaire, "-o", path)
    assert result.exit_code == 0, result.output
    return path


def locate(ws: Any, format_2: bool = False) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Question rows by id, and choice (tick) rows by (id, label), found the way a reader would: a
    format-1 id is dotted; a format-2 id may be any word, so there a row with text in column B counts."""
    questions: dict[str, int] = {}
    choices: dict[tuple[str, str], int] = {}
    for row in range(5, ws.max_row + 1):
        qid = ws.cell(row=row, column=1).value
        if not isinstance(qid, str):
            continue
        is_question = ws.cell(row=row, column=2).value is not None if format_2 else QID.match(qid)
        if not is_question:
            continue
        if qid in questions:
            choices[(qid, ws.cell(row=row, column=3).value)] = row
        else:
            questions[qid] = row
    return questions, choices


def fill(template: Path, out: Path, answers: Optional[dict[str, Any]] = None, notes: Optional[dict[str, Any]] = None,
         completed: Any = COMPLETED, cells: Optional[dict[str, Any]] = None, text_cells: Optional[dict[str, str]] = None) -> Path:
    """Fill a template: answers by question id (multi: a list of labels to tick), notes, and raw cells.

    `cells` are written as openpyxl would store them (a string starting with '=' becomes a
    formula); `text_cells` are typed as text, the way Excel stores '=1+1 or a text-formatted cell.
    """
    wb = openpyxl.load_workbook(template)
    ws = wb["Questions"]
    questions, choices = locate(ws)
    ws["E3"] = completed
    for qid, value in (answers if answers is not None else MINI_FILLED).items():
        if isinstance(value, list):
            for label in value:
                ws.cell(row=choices[(qid, label)], column=5, value="Yes")
        else:
            ws.cell(row=questions[qid], column=5, value=value)
    for qid, note in (notes or {}).items():
        ws.cell(row=questions[qid], column=6, value=note)
    for coord, value in (cells or {}).items():
        ws[coord] = value
    for coord, value in (text_cells or {}).items():
        ws[coord] = value
        ws[coord].data_type = "s"
    wb.save(out)
    return out
