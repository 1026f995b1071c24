"""Helpers for tests that fill in a format-2 questionnaire template as a person would (openpyxl):
rows are found by the question id in column A and the choice label in column C."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Optional

import openpyxl

from risk_cli.model.text import in_language

COMPLETED = dt.date(2026, 11, 27)


def rows(ws: Any) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Question rows by id, and tick rows by (id, label)."""
    questions: dict[str, int] = {}
    ticks: dict[tuple[str, str], int] = {}
    for row in range(5, ws.max_row + 1):
        qid = ws.cell(row=row, column=1).value
        if not isinstance(qid, str) or ws.cell(row=row, column=2).value is None:
            continue
        if qid in questions:
            ticks[(qid, ws.cell(row=row, column=3).value)] = row
        else:
            questions[qid] = row
    return questions, ticks


def labels_for(qn: Any, values: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    """Answers by choice id as a person would type them: the labels, in `lang`."""
    out: dict[str, Any] = {}
    for qid, value in values.items():
        q = qn.question(qid)
        if q.type == "text":
            out[qid] = value
        elif q.type == "multi":
            out[qid] = [in_language(q.choice(v).label, lang) for v in value]
        else:
            out[qid] = in_language(q.choice(value).label, lang)
    return out


def fill(template: Path, out: Path, answers: dict[str, Any], completed: Any = COMPLETED,
         cells: Optional[dict[str, Any]] = None) -> Path:
    """Answers by question id (a multi question: the labels to tick); `cells` written as openpyxl
    stores them (a string starting with '=' becomes a formula)."""
    wb = openpyxl.load_workbook(template)
    ws = wb["Questions"]
    questions, ticks = rows(ws)
    if completed is not None:
        ws["E3"] = completed
    for qid, value in answers.items():
        if isinstance(value, list):
            for label in value:
                ws.cell(row=ticks[(qid, label)], column=5).value = "Yes"
        else:
            ws.cell(row=questions[qid], column=5).value = value
    for coord, value in (cells or {}).items():
        ws[coord] = value
    wb.save(out)
    return out
