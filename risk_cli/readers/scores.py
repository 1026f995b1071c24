"""People's edits to a register's likelihoods and impacts, compared with the answers' scores.

A register's score and rating cells are formulas of its likelihood and impact cells, so a risk
manager who changes a residual likelihood in Excel sees the score and colour follow. risk-cli
never takes a score from a spreadsheet: every command re-scores from the answers in the hidden
data sheet. What this module does is notice the edit, so it is not lost without a word: each
likelihood or impact cell that differs from the answers' score is one warning naming its cell,
such as "Risk register!L5: residual likelihood edited to 2; risk-cli scores 4 from the answers;
the answers decide". Import, portfolio and `assess --previous` report them.

`score_cells` takes a sheet's rows as plain values (openpyxl's values_only rows, or
python-calamine's), so it needs neither library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from risk_cli.errors import Problem
from risk_cli.model.scoring import Register
from risk_cli.writers.register_layout import REGISTER

ID_COLUMN = "Risk ID"
# The cells a person may edit that feed a score: (column, how a warning names it, ScoredRisk attribute)
SCORE_INPUTS = (
    ("Inherent likelihood", "inherent likelihood", "likelihood"),
    ("Inherent impact", "inherent impact", "impact"),
    ("Residual likelihood", "residual likelihood", "residual_likelihood"),
    ("Residual impact", "residual impact", "residual_impact"),
)


@dataclass(frozen=True)
class ScoreCell:
    """One likelihood or impact cell of the Risk register, as it was found."""

    risk_id: str
    column: str
    where: str  # "Risk register!L5"
    value: Any


def _key(text: Any) -> str:
    return " ".join(str(text).split()).casefold() if text is not None else ""


def _letters(column: int) -> str:
    """A column's letters from its number (1 is A, 27 AA), without importing openpyxl."""
    out = ""
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def _text_id(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def score_cells(rows: Iterable[Sequence[Any]], sheet: str = REGISTER) -> tuple[ScoreCell, ...]:
    """The likelihood and impact cells of every row with a risk id, found by header (row 1), so
    moved columns are fine; a sheet without a Risk ID column gives none."""
    it = iter(rows)
    header = next(it, ())
    wanted = {_key(name): name for name, _, _ in SCORE_INPUTS}
    columns: dict[str, int] = {}
    id_col = None
    for i, value in enumerate(header):
        key = _key(value)
        if key == _key(ID_COLUMN) and id_col is None:
            id_col = i
        elif key in wanted and wanted[key] not in columns:
            columns[wanted[key]] = i
    if id_col is None or not columns:
        return ()
    out: list[ScoreCell] = []
    for r, row in enumerate(it, start=2):
        rid = _text_id(row[id_col] if id_col < len(row) else None)
        if not rid:
            continue
        for column, i in columns.items():
            value = row[i] if i < len(row) else None
            out.append(ScoreCell(rid, column, f"{sheet}!{_letters(i + 1)}{r}", value))
    return tuple(out)


def _shown(value: Any) -> str:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return "cleared"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"edited to {value}"
    text = str(value)
    return f"edited to '{text if len(text) <= 40 else text[:37] + '...'}'"


def mismatches(name: str, cells: Iterable[ScoreCell], register: Register) -> list[Problem]:
    """A warning for each cell whose likelihood or impact is not the one `register` (scored from the
    answers) gives its risk. Rows of risks the answers do not raise (added by hand, no longer
    raised) are not risk-cli's scores, so they are passed over."""
    scored = {sr.risk.id: sr for sr in register.risks}
    labels = {column: (label, attr) for column, label, attr in SCORE_INPUTS}
    out: list[Problem] = []
    for cell in cells:
        sr = scored.get(cell.risk_id)
        if sr is None:
            continue
        label, attr = labels[cell.column]
        expected = getattr(sr, attr)
        value = cell.value
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value == expected:
            continue
        out.append(Problem(name, f"{label} {_shown(value)}; risk-cli scores {expected} from the answers; "
                                 "the answers decide", where=cell.where))
    return out
