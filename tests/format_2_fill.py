"""Helpers for tests that fill in a format-2 questionnaire template as a person would (openpyxl):
rows are found by the question id in column A and the choice label in column C."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Optional

import openpyxl

from risk_cli.model.text import in_language
from tests.template_fill import locate

COMPLETED = dt.date(2026, 11, 27)


def rows(ws: Any) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Question rows by id, and tick rows by (id, label)."""
    return locate(ws, format_2=True)


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
