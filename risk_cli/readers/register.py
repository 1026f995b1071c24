"""Read back a register risk-cli wrote, after people have worked on it.

`read()` takes everything an assurance team typed into a register (owners, treatment, dates,
status, notes, extra columns and rows of their own) so that `assess --previous` carries it
into the next assessment (`compare()`), by risk id and action id. Columns are found by their
header, so reordered columns are fine; a missing column or a formula in a cell a person
fills is an error naming the sheet and cell, and so is text carried over that holds an
escape such as _x0041_ (see `answers.escape_problem`). The score and rating cells hold the
formulas risk-cli wrote; exactly those are accepted there, any other formula is an error.
Scores are never read: the previous scores are recomputed from the answers kept in the hidden
data sheet, and a likelihood or impact people edited is reported (readers.scores). Reading those answers
alone, as every command that takes a register as an input does, is `inputs.load` (or
`load_fast`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from risk_cli.model import answers as answers_mod
from risk_cli.model.answers import Answers
from risk_cli.errors import InputProblems, Problem
from risk_cli.readers.inputs import sheet_answers
from risk_cli.writers.register_layout import ACTIONS as ACTIONS_SHEET
from risk_cli.writers.register_layout import DATA as DATA_SHEET
from risk_cli.writers.register_layout import REGISTER as REGISTER_SHEET
from risk_cli.writers.register_layout import (
    ACTION_COLUMNS, CARRIED_RISK_COLUMNS, CHANGE, HUMAN_ACTION_COLUMNS, HUMAN_RISK_COLUMNS, REGISTER_COLUMNS,
)
from risk_cli.model.scoring import Register, ScoredRisk

# Columns kept on a risk that is no longer raised: what it was, and everything people typed.
KEPT_WHEN_CLOSED = ("Risk ID", "Category", "AI sub-category", "Title", "Description (cause, event, effect)",
                    "NAO barrier", "Framework references", "Date raised")
HAND_ADDED = "Added by hand: kept as typed; not scored by risk-cli"


@dataclass(frozen=True)
class Row:
    """One row of the Risk register or Actions sheet, every column by its header."""

    id: str
    row: int  # the spreadsheet row, for messages
    cells: dict[str, Any]
    formulas: dict[str, str] = field(default_factory=dict)  # header -> cell, for any formula found
    # header -> the problem, for text holding an _xHHHH_ escape: refused only where it is carried
    escaped: dict[str, Problem] = field(default_factory=dict)
    # header -> the problem, for a formula in a score or rating column that is not risk-cli's own:
    # refused on a row risk-cli wrote (a row added by hand refuses every formula it holds)
    foreign: dict[str, Problem] = field(default_factory=dict)


@dataclass(frozen=True)
class Previous:
    """What a previous register holds: its answers and the rows people may have edited."""

    path: str
    answers: Answers  # from the hidden data sheet, not yet checked
    risks: tuple[Row, ...]
    actions: tuple[Row, ...]
    extra_risk_columns: tuple[str, ...]  # columns people added, carried over as they are
    extra_action_columns: tuple[str, ...]
    # the Risk register's likelihood and impact cells, to compare with the rescored answers
    score_cells: tuple[Any, ...] = ()

    @property
    def questionnaire(self) -> str:
        return f"{self.answers.questionnaire_id} {self.answers.questionnaire_version}"


@dataclass(frozen=True)
class RiskChange:
    """How one risk moved since the previous register, so a reassessment can say what is new,
    changed or no longer raised."""

    id: str
    kind: str  # new, changed, unchanged, no longer raised
    old_residual: Optional[int]
    new_residual: Optional[int]


@dataclass
class Carry:
    """The next register's rows with a previous register's edits merged in (see register_xlsx)."""

    previous: Previous
    previous_assessed_on: str
    questionnaire_changed: bool
    new_questionnaire: str
    risk_rows: list[dict[str, Any]]
    action_rows: list[dict[str, Any]]
    changes: list[RiskChange]
    edits_carried: int
    warnings: list[Problem] = field(default_factory=list)

    @property
    def extra_risk_columns(self) -> tuple[str, ...]:
        return self.previous.extra_risk_columns

    @property
    def extra_action_columns(self) -> tuple[str, ...]:
        return self.previous.extra_action_columns

    def counts(self) -> dict[str, int]:
        found = Counter(c.kind for c in self.changes)
        return {kind: found.get(kind, 0) for kind in ("new", "changed", "unchanged", "no longer raised")}

    def counts_text(self) -> str:
        return ", ".join(f"{n} {kind}" for kind, n in self.counts().items())

    def summary_line(self) -> str:
        return (f"Compared with {self.previous.path} (assessed {self.previous_assessed_on}): {self.counts_text()}; "
                f"{self.edits_carried} edited cell(s) carried over")

    def summary_rows(self) -> list[tuple[str, Any]]:
        """Rows for the register's Summary sheet."""
        when = dt.date.fromisoformat(self.previous_assessed_on) if _is_iso(self.previous_assessed_on) else self.previous_assessed_on
        rows: list[tuple[str, Any]] = [("Previous assessment", when), ("Risks since then", self.counts_text())]
        if self.questionnaire_changed:
            rows.append(("Questionnaire since then", f"updated from {self.previous.questionnaire} to {self.new_questionnaire}: "
                                                     "a score can change with the questionnaire as well as the answers"))
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.previous.path, "assessed_on": self.previous_assessed_on,
                "questionnaire": {"id": self.previous.answers.questionnaire_id,
                                  "version": self.previous.answers.questionnaire_version},
                "questionnaire_changed": self.questionnaire_changed, "counts": self.counts(),
                "edits_carried": self.edits_carried,
                "risks": [{"id": c.id, "change": c.kind, "old_residual": c.old_residual, "new_residual": c.new_residual}
                          for c in self.changes]}


# -- reading a previous register ------------------------------------------------------------

def read(path: Path | str) -> Previous:
    """Everything a previous register holds that the next one needs; InputProblems if unusable."""
    from risk_cli.readers import template as template_import
    from risk_cli.readers import xlsx_guard

    name = str(path)
    wb = xlsx_guard.open_workbook(path)
    try:
        missing = [s for s in (REGISTER_SHEET, ACTIONS_SHEET, DATA_SHEET) if s not in wb.sheetnames]
        if missing and template_import.is_template(wb):
            raise InputProblems([Problem(name, "is a questionnaire template, not a register: give the register "
                                               "risk-cli wrote for the previous assessment")])
        if missing:
            sheets = " or ".join(f"'{s}'" for s in missing)
            raise InputProblems([Problem(name, f"has no {sheets} sheet, so it is not a register risk-cli can compare "
                                               "with (was the sheet renamed or deleted?)")])
        answers = sheet_answers(name, wb[DATA_SHEET])
        problems: list[Problem] = []
        risks, risk_extra = _table(name, wb[REGISTER_SHEET], [c for c, _ in REGISTER_COLUMNS], "Risk ID",
                                   HUMAN_RISK_COLUMNS, problems, carried=CARRIED_RISK_COLUMNS,
                                   own_formula=_own_formula)
        actions, action_extra = _table(name, wb[ACTIONS_SHEET], [c for c, _ in ACTION_COLUMNS], "Action ID",
                                       HUMAN_ACTION_COLUMNS, problems)
        from risk_cli.readers.inputs import register_score_cells

        scores = register_score_cells(name, wb) if not problems else ()
    finally:
        wb.close()
    if problems:
        raise InputProblems(problems)
    return Previous(name, answers, tuple(risks), tuple(actions), tuple(risk_extra), tuple(action_extra), scores)


def _key(text: Any) -> str:
    """Text compared as people see it: spacing and case ignored (headers, organisation and name)."""
    return " ".join(str(text).split()).casefold() if text is not None else ""


def _own_formula(header: str, formula: str, row: int, columns: dict[str, int]) -> Optional[bool]:
    """For a formula in the Risk register: True when it is exactly the score or rating formula
    risk-cli writes in that cell (writers.register.is_own_formula, with this sheet's columns, so
    moved columns are fine), False for any other formula in a score or rating column, and None
    for a formula in any other column (see _table)."""
    from openpyxl.utils import get_column_letter as letter

    from risk_cli.writers.register import SCORED_COLUMNS, is_own_formula

    for likelihood, impact, score, rating in SCORED_COLUMNS:
        if header not in (score, rating):
            continue
        if not all(name in columns for name in (likelihood, impact, score)):
            return False
        li, im, sc = (f"{letter(columns[name])}{row}" for name in (likelihood, impact, score))
        return is_own_formula(formula, li, im, sc, rating=header == rating)
    return None


def _table(name: str, ws: Any, known: list[str], id_column: str, human: Iterable[str],
           problems: list[Problem], carried: Iterable[str] = (),
           own_formula: Optional[Any] = None) -> tuple[list[Row], list[str]]:
    """Rows of a sheet by header; reports missing columns, formulas in typed cells, repeated ids.

    `human` columns must be there; `carried` ones (risk-cli's values, carried over as a person
    left them) may be missing, but like every cell that carries over they may not hold a formula.
    `own_formula` (see _own_formula) tells risk-cli's own formulas, which are passed over like
    any value risk-cli recomputes, from any other formula in their columns, which is refused.
    """
    from openpyxl.utils import get_column_letter as letter

    from risk_cli.readers import xlsx_guard

    sheet = ws.title
    rows = iter(xlsx_guard.read_rows(name, ws, xlsx_guard.MAX_ROWS, what="a register"))
    header_cells = next(rows, ())
    canonical = {_key(h): h for h in known}
    headers: list[Optional[str]] = []
    extra: list[str] = []
    seen: dict[str, str] = {}
    for i, cell in enumerate(header_cells):
        raw = cell.value
        if raw is None or str(raw).strip() == "":
            headers.append(None)
            continue
        text = canonical.get(_key(raw), " ".join(str(raw).split()))
        where = f"{sheet}!{letter(i + 1)}1"
        if text in seen:
            problems.append(Problem(name, f"the column '{text}' appears twice (also {seen[text]})", where=where))
            headers.append(None)
            continue
        seen[text] = where
        headers.append(text)
        if text not in known:
            extra.append(text)  # carried into the next register, header and all
            escaped = answers_mod.escape_problem(text, "the column header")
            if escaped:
                problems.append(Problem(name, escaped, where=where))
    required = [id_column] + list(human)
    for column in required:
        if column not in seen:
            problems.append(Problem(name, f"missing column '{column}': risk-cli needs it to carry people's edits over "
                                          "(columns may be moved, but not renamed or deleted)", where=f"{sheet}!1:1"))
    checked = set(required) | set(carried) | set(extra)
    columns = {header: i for i, header in enumerate(headers, start=1) if header is not None}
    out: list[Row] = []
    ids: dict[str, int] = {}
    for r, cells in enumerate(rows, start=2):
        values: dict[str, Any] = {}
        formulas: dict[str, str] = {}
        escapes: dict[str, Problem] = {}
        foreign: dict[str, Problem] = {}
        blank_headed: list[int] = []
        for i, cell in enumerate(cells):
            value = getattr(cell, "value", None)
            if value is None or (isinstance(value, str) and value == ""):
                continue
            header = headers[i] if i < len(headers) else None
            if header is None:
                blank_headed.append(i)
                continue
            if getattr(cell, "data_type", None) == "f":
                own = own_formula(header, str(value), r, columns) if own_formula is not None else None
                if own:
                    continue  # risk-cli's own score or rating: recomputed, never read
                formulas[header] = f"{sheet}!{letter(i + 1)}{r}"
                if own is False:
                    foreign[header] = Problem(name, f"holds a formula ({_short(str(value))}) in the '{header}' column "
                                                    "that is not the one risk-cli writes there; risk-cli never evaluates "
                                                    "formulas: scores come from the answers", where=formulas[header])
                elif header in checked:
                    problems.append(Problem(name, f"holds a formula ({_short(str(value))}) in the '{header}' column; "
                                                  "risk-cli never evaluates formulas: type the value itself",
                                            where=formulas[header]))
                continue
            values[header] = _cell_value(value)
            escaped = answers_mod.escape_problem(value, f"the '{header}' cell") if isinstance(value, str) else None
            if escaped:
                escapes[header] = Problem(name, escaped, where=f"{sheet}!{letter(i + 1)}{r}")
        if not values and not formulas:
            continue
        for i in blank_headed:
            problems.append(Problem(name, "holds a value in a column with no header; give the column a header "
                                          "so it can be carried over", where=f"{sheet}!{letter(i + 1)}{r}"))
        ident = values.get(id_column)
        ident = "" if ident is None else (str(int(ident)) if isinstance(ident, float) and ident.is_integer() else str(ident).strip())
        if ident:
            if ident in ids:
                problems.append(Problem(name, f"{id_column} {ident} appears twice (also row {ids[ident]}); "
                                              "keep one row per id", where=f"{sheet}!{letter(headers.index(id_column) + 1)}{r}"))
                continue
            ids[ident] = r
        out.append(Row(ident, r, values, formulas, escapes, foreign))
    return out, extra


def _cell_value(value: Any) -> Any:
    """A cell as the next register writes it: whole-day datetimes become dates."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else value
    return value


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


# -- comparing with the new assessment ------------------------------------------------------

def check_comparable(previous: Previous, questionnaire_id: str) -> None:
    """Only registers of the same questionnaire can be compared (versions may differ); checked
    before any question is asked, so a wrong file costs nobody an interview."""
    found = previous.answers.questionnaire_id
    if found != questionnaire_id:
        raise InputProblems([Problem(previous.path, f"is a register for questionnaire '{found}', but these answers "
                                                    f"are for '{questionnaire_id}'; only registers of the same "
                                                    "questionnaire can be compared")])


def rescore(previous: Previous, register: Register) -> tuple[Register, list[Problem]]:
    """The previous assessment, recomputed from its answers (its spreadsheet scores are never read)."""
    from risk_cli.catalogue.versions import Versions
    from risk_cli.readers.inputs import checked
    from risk_cli.errors import RiskCliError
    from risk_cli.model.scoring import assess

    qn = register.questionnaire
    old = previous.answers
    name = previous.path
    check_comparable(previous, qn.id)
    warnings: list[Problem] = []
    old_qn = qn if old.questionnaire_version == qn.version else None
    if old_qn is None:
        warnings.append(Problem(name, f"was assessed against {previous.questionnaire}; this assessment uses {qn.label}: "
                                      "a risk's score can change with the questionnaire as well as with the answers"))
        try:
            old_qn = Versions().exact(qn.id, old.questionnaire_version)  # as it was scored
        except RiskCliError:
            old_qn = None
    where = f"{name} [{DATA_SHEET}]"
    if old_qn is not None:
        clean, _ = checked(old_qn, old, where, complete=False)
        return assess(old_qn, clean), warnings
    # That version is not available: recompute from the answers that still fit this version.
    # check() keeps exactly those; what it reports about the others is what "no longer fit" means.
    as_now = Answers(qn.id, qn.version, qn.sha256, old.values, old.assessed_on, old.appetite, old.appetite_source)
    clean, _, _ = answers_mod.check(qn, as_now, where, complete=False)
    lost = len(old.values) - len(clean.values)
    warnings.append(Problem(name, f"{previous.questionnaire} is not available here, so the previous scores were "
                                  f"recomputed from its answers with {qn.label}"
                                  + (f"; {lost} previous answer(s) no longer fit and were left out" if lost else "")))
    return assess(qn, clean), warnings


def _norm(value: Any) -> Any:
    """A cell's value for comparing with risk-cli's own: blank is "", 3.0 is 3, midnight is a date."""
    if value is None:
        return ""
    value = _cell_value(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _edited(value: Any, default: Any) -> bool:
    return _norm(value) != _norm(default)


def _risk_change(before: Optional[ScoredRisk], sr: ScoredRisk, had_row: bool) -> tuple[RiskChange, str, str]:
    """(change, trend, text for the 'Change since last assessment' column)."""
    rid = sr.risk.id
    now = f"{sr.residual_score} ({sr.residual_rating.label})"
    if before is None:
        text = "Raised again: not raised at the previous assessment" if had_row else "New"
        return RiskChange(rid, "new", None, sr.residual_score), "New", text
    was = f"{before.residual_score} ({before.residual_rating.label})"
    same_residual = (before.residual_likelihood, before.residual_impact) == (sr.residual_likelihood, sr.residual_impact)
    same_inherent = (before.likelihood, before.impact) == (sr.likelihood, sr.impact)
    change = RiskChange(rid, "unchanged" if same_residual and same_inherent else "changed", before.residual_score,
                        sr.residual_score)
    if change.kind == "unchanged":
        return change, "Same", f"Unchanged: residual {now}"
    if same_residual:
        parts = [f"Residual unchanged at {now}"]
    elif before.residual_score == sr.residual_score:
        parts = [f"Residual {was} \u2192 {now} (likelihood {before.residual_likelihood} \u2192 {sr.residual_likelihood}, "
                 f"impact {before.residual_impact} \u2192 {sr.residual_impact})"]
    else:
        parts = [f"Residual {was} \u2192 {now}"]
    if not same_inherent:
        parts.append(f"inherent {before.score} ({before.rating.label}) \u2192 {sr.score} ({sr.rating.label})")
    trend = "Up" if sr.residual_score > before.residual_score else "Down" if sr.residual_score < before.residual_score else "Same"
    return change, trend, "; ".join(parts)


def _keep_only_edits(cells: dict[str, Any], defaults: dict[str, Any], human: Iterable[str]) -> int:
    """On a row no longer raised, blank the cells still at risk-cli's value; count the people's edits kept.

    So the row holds exactly what people typed, and if the risk is raised again those
    edits come back while everything else follows the new assessment.
    """
    kept = 0
    for column in human:
        if column in cells and _edited(cells[column], defaults.get(column)):
            kept += 1
        else:
            cells.pop(column, None)
    return kept


_TOOL_ACTION = re.compile(r"^(FIND-|CHECK-).+|^(?P<risk>.+)-A\d+$")


def _tool_action(action_id: str, risk_ids: set[str]) -> bool:
    m = _TOOL_ACTION.match(action_id)
    return bool(m) and (m.group("risk") is None or m.group("risk") in risk_ids)


def _carry_cells(cells: dict[str, Any], row: Row, defaults: dict[str, Any], human: Iterable[str],
                 extra: Iterable[str]) -> int:
    """Put a person's edits from a previous `row` into `cells` (risk-cli's new values); returns how many.

    A human cell carries over when it differs from `defaults` (what risk-cli wrote there
    before); the columns people added carry over as they are.
    """
    n = 0
    for column in human:
        if column in row.cells and _edited(row.cells[column], defaults.get(column)):
            cells[column] = row.cells[column]
            n += 1
        elif column not in row.cells and defaults.get(column) not in (None, "") and column in cells:
            cells[column] = ""  # a person cleared a cell risk-cli had filled: keep it cleared
            n += 1
    for column in extra:
        if column in row.cells:
            cells[column] = row.cells[column]
            n += 1
    return n


def _kept_escapes(row: Row, cells: dict[str, Any], problems: list[Problem]) -> None:
    """Refuse the text from `row` that the next register keeps (`cells`) when it holds an escape
    such as _x0041_: written again, Excel would show another character. Text the next register
    does not keep (a cell risk-cli recomputes) is no problem, so it is not refused."""
    for column, problem in row.escaped.items():
        if column in cells and cells[column] == row.cells[column]:
            problems.append(problem)


def _hand_added_formulas(name: str, row: Row, problems: list[Problem]) -> None:
    """A row added by hand is kept whole, so a formula in any of its cells is a problem."""
    for column, where in row.formulas.items():
        problems.append(Problem(name, f"holds a formula in the '{column}' column of a row added by hand; "
                                      "risk-cli never evaluates formulas: type the value itself", where=where))


def compare(previous: Previous, register: Register, old: Register,
            warnings: Optional[list[Problem]] = None) -> Carry:
    """Merge a previous register's edits into the rows of `register` and mark what changed.

    A cell a person filled carries over when it differs from what risk-cli wrote in the
    previous register (recomputed from its answers); cells still at risk-cli's value are
    recomputed, so a risk that now breaches its appetite gets the new suggestion.
    """
    from risk_cli.writers.register import as_date, risk_row

    warnings = list(warnings or [])
    problems: list[Problem] = []
    name = previous.path
    today = as_date(register.assessed_on)
    known_risks = {r.id for r in register.questionnaire.risks} | {r.id for r in old.questionnaire.risks}
    old_scored = {sr.risk.id: sr for sr in old.risks}
    old_rows = {row.id: row for row in previous.risks if row.id}
    new_ids = {sr.risk.id for sr in register.risks}
    edits = 0
    risk_rows: list[dict[str, Any]] = []
    changes: list[RiskChange] = []
    for sr in register.risks:
        cells = risk_row(register, sr)
        row = old_rows.get(sr.risk.id)
        before = old_scored.get(sr.risk.id)
        if row is not None:
            problems.extend(row.foreign.values())
            defaults = risk_row(old, before) if before is not None else {"Status": "Closed"}
            edits += _carry_cells(cells, row, defaults, HUMAN_RISK_COLUMNS, previous.extra_risk_columns)
            for column in CARRIED_RISK_COLUMNS:
                if row.cells.get(column) not in (None, ""):
                    cells[column] = row.cells[column]
            _kept_escapes(row, cells, problems)
        elif before is not None:
            cells["Date raised"] = as_date(old.assessed_on)
            warnings.append(Problem(name, f"risk {sr.risk.id} was raised at the previous assessment but its row has been "
                                          "deleted; it is listed again", where=REGISTER_SHEET))
        change, cells["Trend"], cells[CHANGE] = _risk_change(before, sr, row is not None)
        changes.append(change)
        risk_rows.append(cells)

    keep = set(KEPT_WHEN_CLOSED) | set(HUMAN_RISK_COLUMNS) | set(previous.extra_risk_columns)
    for row in previous.risks:
        if row.id and row.id in new_ids:
            continue
        if not row.id or row.id not in known_risks:
            _hand_added_formulas(name, row, problems)
            cells = {**row.cells, CHANGE: HAND_ADDED}
            _kept_escapes(row, cells, problems)
            risk_rows.append(cells)
            edits += 1
            continue
        problems.extend(row.foreign.values())
        cells = {column: value for column, value in row.cells.items() if column in keep}
        cells["Last reviewed"] = today
        before = old_scored.get(row.id)
        if before is not None:  # raised last time, not now
            status = row.cells.get("Status")
            text = f"No longer raised: residual was {before.residual_score} ({before.residual_rating.label})"
            if _norm(status) not in ("", "Open", "Closed"):
                text += f"; status was {status}"
            edits += _keep_only_edits(cells, risk_row(old, before), HUMAN_RISK_COLUMNS)
            _kept_escapes(row, cells, problems)  # before the status is replaced: the text keeps it
            cells["Status"], cells["Trend"], cells[CHANGE] = "Closed", "Down", text
            changes.append(RiskChange(row.id, "no longer raised", before.residual_score, None))
        else:  # already no longer raised at the previous assessment: kept as it was
            cells[CHANGE] = row.cells.get(CHANGE) or "Not raised"
            _kept_escapes(row, cells, problems)
        risk_rows.append(cells)

    action_rows, action_edits = _actions(previous, register, old, known_risks, problems)
    if problems:
        raise InputProblems(problems)
    return Carry(previous, old.assessed_on, previous.answers.questionnaire_version != register.questionnaire.version,
                 register.questionnaire.label, risk_rows, action_rows, changes, edits + action_edits, warnings)


def _actions(previous: Previous, register: Register, old: Register, known_risks: set[str],
             problems: list[Problem]) -> tuple[list[dict[str, Any]], int]:
    """The Actions rows, merged as `compare` merges the risks; formulas found go to `problems`."""
    from risk_cli.writers.register import action_row

    name = previous.path
    old_actions = {a.id: a for a in old.actions}
    old_rows = {row.id: row for row in previous.actions if row.id}
    new_ids = {a.id for a in register.actions}
    rows: list[dict[str, Any]] = []
    edits = 0
    # Registers written before actions named their owners left every owner cell empty: that is
    # risk-cli's old default, not a person clearing each one, so the owners are filled in now.
    unowned = all(not row.cells.get("Action owner") for row in previous.actions if row.id)
    for action in register.actions:
        cells = action_row(register, action)
        row = old_rows.get(action.id)
        before = old_actions.get(action.id)
        if row is not None:
            defaults = action_row(old, before) if before is not None else {"Status": "Not needed"}
            if unowned:
                defaults["Action owner"] = ""
            edits += _carry_cells(cells, row, defaults, HUMAN_ACTION_COLUMNS, previous.extra_action_columns)
            _kept_escapes(row, cells, problems)
        cells[CHANGE] = "New" if before is None and row is None else "Needed again" if before is None else "Still needed"
        rows.append(cells)
    for row in previous.actions:
        if row.id and row.id in new_ids:
            continue
        cells = dict(row.cells)
        if not row.id or not _tool_action(row.id, known_risks):
            _hand_added_formulas(name, row, problems)
            cells[CHANGE] = HAND_ADDED
            _kept_escapes(row, cells, problems)
            edits += 1
        elif row.id in old_actions:
            status = row.cells.get("Status")
            text = "No longer needed by the answers"
            if _norm(status) not in ("", "Not started", "Done", "Not needed"):
                text += f"; status was {status}"
            edits += _keep_only_edits(cells, action_row(old, old_actions[row.id]), HUMAN_ACTION_COLUMNS)
            _kept_escapes(row, cells, problems)  # before the status is replaced: the text keeps it
            cells["Status"] = "Done" if _norm(status) == "Done" else "Not needed"
            cells[CHANGE] = text
        else:  # already not needed at the previous assessment: kept as it was
            _kept_escapes(row, cells, problems)
        rows.append(cells)
    return rows, edits


def carry_over(path: Path | str, register: Register, previous: Previous) -> Carry:
    """Recompute a previous register (see `read`) and merge its edits into `register`.

    `path` names the previous register in the warnings about it, as the user gave it.
    """
    from risk_cli.readers.scores import mismatches

    name = str(path)
    old, warnings = rescore(previous, register)
    if old.questionnaire.version == previous.answers.questionnaire_version:  # scored as the register was
        warnings.extend(mismatches(name, previous.score_cells, old))
    if register.assessed_on < old.assessed_on:
        warnings.append(Problem(name, f"was assessed on {old.assessed_on}, after these answers "
                                      f"({register.assessed_on}); is it the right previous register?"))
    for part in ("organisation", "name"):
        was, now = old.profile(part), register.profile(part)
        if _key(was) != _key(now):
            warnings.append(Problem(name, f"is for {part} '{was}', these answers for '{now}'; "
                                          "edits are carried over by risk id all the same"))
    return compare(previous, register, old, warnings)


def _is_iso(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return True
