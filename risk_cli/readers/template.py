"""Read a filled questionnaire template (see `template_xlsx`) back into answers, strictly.

Every problem is reported with its file, sheet!cell and question id, all at once. Nothing is
defaulted or dropped without saying so, a formula is never evaluated (it is an error naming
its cell), and the hidden metadata decides which cell answers which question: a template
whose metadata or rows were changed is refused rather than guessed at.

Two steps, so that every reader of answers keeps one contract:
- `read(path, wb)` turns cells into raw answers using the template's own copy of the
  questions (types, choice labels), so it needs no questionnaire. `inputs.load` calls it.
- `check(answers, qn, file)` maps those answers onto the questionnaire being used (the
  current version), reports answers that no longer map, and runs `answers.check`, with
  every problem placed at its cell. Every command that reads a template calls it (through
  `inputs.read_checked`).

template_xlsx (which imports openpyxl) is imported only inside the functions that read a
workbook, so this module costs nothing to a command that reads a YAML answers file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from risk_cli.model import answers as answers_mod
from risk_cli.readers import xlsx_guard
from risk_cli.model.answers import Answer, Answers, clean_text
from risk_cli.errors import Problem, RiskCliError, TemplateProblems
from risk_cli.model.questionnaire import QUESTION_TYPES, Choice, Question, Questionnaire

__all__ = ["TemplateAnswers", "TemplateProblems", "check", "is_template", "read", "read_metadata", "with_checks"]

_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
_CELL = re.compile(r"^[A-Z]{1,3}[1-9][0-9]{0,6}$")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00a0": " ", "\u201c": '"', "\u201d": '"'})


@dataclass
class TemplateAnswers(Answers):
    """Answers read from a template, with where each one came from."""

    sheet: str = ""  # the sheet the answers are on, as the template's metadata names it
    cells: dict[str, str] = field(default_factory=dict)  # question id -> answer cell (a range for ticks)
    note_cells: dict[str, str] = field(default_factory=dict)
    tick_cells: dict[tuple[str, str], str] = field(default_factory=dict)  # (question id, choice id) -> cell
    warnings: list[Problem] = field(default_factory=list)
    model: str = ""  # a format-2 template's model (points or rated); "" for format 1
    language: str = ""  # the language a format-2 template's labels are in

    def checked(self, qn: Questionnaire, file: str, complete: bool = True) -> tuple[Answers, list[Problem], list[Problem]]:
        """Mapped onto `qn` by question id, each problem at its cell (see `check`)."""
        return check(self, qn, file, complete=complete)


def is_template(wb: Any) -> bool:
    """True for a workbook made by `risk-cli template`, even one whose metadata was damaged."""
    from risk_cli.writers.template import HEADER_ROW, META, QUESTIONS

    if META in wb.sheetnames:
        return True
    if QUESTIONS in wb.sheetnames:
        try:
            return wb[QUESTIONS].cell(row=HEADER_ROW, column=1).value == "Question ID"
        except Exception:  # a damaged sheet is simply not recognised
            return False
    return False


# -- metadata -----------------------------------------------------------------------------

def _reissue(file: str, message: str, where: Optional[str] = None) -> TemplateProblems:
    from risk_cli.writers.template import META

    return TemplateProblems([Problem(file, f"{message}; the answers cannot be matched to questions safely. "
                                        "Fill in a fresh template from `risk-cli template`",
                                     where=META if where is None else where)])


def read_metadata(file: str, wb: Any) -> dict[str, Any]:
    """The template's metadata, refused with a clear error if missing, damaged or edited."""
    from risk_cli.writers.template import MARKER, META, TEMPLATE_FORMAT, checksum

    if META not in wb.sheetnames:
        raise _reissue(file, f"the template's hidden '{META}' sheet is missing", where="")
    rows = xlsx_guard.read_rows(file, wb[META], xlsx_guard.MAX_ROWS, max_col=2, values_only=True,
                                what="the template's metadata")
    if len(rows) < 3 or rows[0][0] != MARKER:
        raise _reissue(file, "the template's hidden metadata has been changed (its marker is missing)")
    if str(rows[0][1]) != str(TEMPLATE_FORMAT):
        raise TemplateProblems([Problem(file, f"template format {rows[0][1]!r} is not one this version of risk-cli "
                                           f"reads (it reads format {TEMPLATE_FORMAT}); update risk-cli", where=META)])
    chunks = []
    size = 0
    for value, _ in rows[2:]:
        if value is None:
            break
        if not isinstance(value, str):
            raise _reissue(file, "the template's hidden metadata has been changed (a cell is not text)")
        size += len(value)
        if size > xlsx_guard.MAX_TEXT:
            raise _reissue(file, "the template's hidden metadata is damaged (it is far too long)")
        chunks.append(value)
    text = "".join(chunks)
    if rows[1][0] != "sha256" or rows[1][1] != checksum(text):
        raise _reissue(file, "the template's hidden metadata has been changed (its checksum does not match)")
    try:
        meta = json.loads(text)
        _check_shape(meta)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise _reissue(file, "the template's hidden metadata is damaged") from None
    return meta


def _check_shape(meta: Any) -> None:
    """Raise if the metadata lacks anything `read` relies on (so a damaged file is never a crash)."""
    def need(ok: bool) -> None:
        if not ok:
            raise ValueError("bad metadata")

    ref = meta["questionnaire"]
    need(all(isinstance(ref[k], str) for k in ("id", "version", "sha256")))
    for key in ("sheet", "date_cell", "id_column", "text_column", "answer_column", "note_column"):
        need(isinstance(meta.get(key), str) and bool(meta[key]))
    need(isinstance(meta.get("header_row"), int))
    need(isinstance(meta["questions"], list))
    for entry in meta["questions"]:
        need(isinstance(entry["id"], str) and entry["type"] in QUESTION_TYPES and isinstance(entry["row"], int))
        need(all(_CELL.match(str(entry[k])) for k in ("answer", "note")))
        for c in entry.get("choices", []):
            need(isinstance(c["id"], str) and isinstance(c["label"], str))
            if entry["type"] == "multi":
                need(isinstance(c["row"], int) and bool(_CELL.match(str(c["cell"]))))
    need(bool(_CELL.match(meta["date_cell"])))


# -- cell values ---------------------------------------------------------------------------

def _key(text: str) -> str:
    """How typed choices are matched: trimmed, any case, curly quotes and odd spaces forgiven."""
    text = " ".join(text.translate(_QUOTES).split())
    if len(text) > 1 and text[0] == text[-1] == '"':  # copied from a quoted list of labels
        text = text[1:-1].strip()
    return text.casefold()


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):  # a datetime too
        return f"the date {value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return f'"{text}"'
    return str(value)


def _formula(cell: Any) -> Optional[str]:
    """The formula text if the cell holds one (never evaluated); None for any typed value."""
    if cell.data_type != "f":
        return None
    value = cell.value
    text = value if isinstance(value, str) else getattr(value, "text", None) or "an array formula"
    return text if len(text) <= 40 else text[:37] + "..."


def _date(value: Any) -> Optional[str]:
    """An ISO date from a date cell or text in dd/mm/yyyy or yyyy-mm-dd form; None if not a date."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        m = _UK_DATE.match(text)
        try:
            if m:
                return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
            if _ISO_DATE.match(text):
                return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class _Reader:
    """Collects every problem in one template before anything is decided."""

    file: str
    sheet: str
    cells: dict[str, Any]
    errors: list[Problem] = field(default_factory=list)

    def where(self, coord: str) -> str:
        return f"{self.sheet}!{coord}"

    def error(self, coord: str, message: str) -> None:
        self.errors.append(Problem(self.file, message, where=self.where(coord)))

    def get(self, coord: str) -> Any:
        return self.cells.get(coord)

    def plain(self, coord: str, what: str) -> tuple[Any, bool]:
        """A cell's value, or report a formula or error value in it. Returns (value, ok)."""
        cell = self.get(coord)
        if cell is None:
            return None, True
        formula = _formula(cell)
        if formula is not None:
            self.error(coord, f"a formula ({formula}) is not allowed in {what}; type the value itself "
                              "(formulas are never calculated on import)")
            return None, False
        if isinstance(cell, _OutOfRangeDate):
            self.error(coord, f"the date is out of range (the cell is formatted as a date, but {cell.serial} is no "
                              f"date a spreadsheet can show) in {what}; type the date itself")
            return None, False
        if cell.data_type == "e":
            self.error(coord, f"the spreadsheet error {cell.value} is not allowed in {what}; type the value itself")
            return None, False
        return cell.value, True


def _snapshot(entry: dict[str, Any]) -> Question:
    """The question as the template showed it, so cells can be read without the questionnaire.
    Its min and max only word messages as the template's Allowed answers column did: ranges
    are checked by `check()`, against the questionnaire in use."""
    choices = tuple(Choice(c["id"], c["label"], exclusive=bool(c.get("exclusive"))) for c in entry.get("choices", []))
    return Question(entry["id"], entry["type"], entry.get("text", ""), "", (), "", 0, choices,
                    min=entry.get("min"), max=entry.get("max"))


def _allowed(q: Question) -> str:
    from risk_cli.writers.template import allowed_text

    return allowed_text(q)


def _labels(q: Question) -> str:
    from risk_cli.writers.template import label_text

    return ", ".join(label_text(c.label) for c in q.choices)


def _choice_value(r: _Reader, coord: str, q: Question, value: Any) -> Optional[str]:
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
        r.error(coord, f"{_show(value)} is not an allowed answer to {q.id} (allowed: {_allowed(q)})")
        return None
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    key = _key(text)
    for c in q.choices:  # a label first: it is what the dropdown shows
        if _key(c.label) == key:
            return c.id
    for c in q.choices:
        if _key(c.id) == key:
            return c.id
    r.error(coord, f"{_show(value)} is not an allowed answer to {q.id} (allowed: {_allowed(q)})")
    return None


def _bad_value(q: Question, value: Any) -> str:
    return f"{_show(value)} is not an allowed answer to {q.id} (allowed: {_allowed(q)})"


def _scalar_value(r: _Reader, coord: str, q: Question, value: Any) -> Any:
    """A number, date or text answer from its cell: converted only (a number's range is `check()`'s)."""
    if isinstance(value, bool):
        r.error(coord, _bad_value(q, value))
        return None
    if q.type == "number":
        if isinstance(value, dt.date):
            r.error(coord, _bad_value(q, value))
            return None
        number, message = answers_mod.to_number(value.strip() if isinstance(value, str) else value)
        if message:
            r.error(coord, _bad_value(q, value))
            return None
        return int(number) if isinstance(number, float) and number.is_integer() else number
    if q.type == "date":
        iso = _date(value)
        if iso is None:
            r.error(coord, _bad_value(q, value))
        return iso
    return _text(r, coord, value, f"the answer to {q.id}")


def _text(r: _Reader, coord: str, value: Any, what: str) -> Optional[str]:
    """What was typed, as text: a number or date the spreadsheet converted is written back
    plainly (a date and time keeps its time: nothing typed is dropped)."""
    if isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    text, message = clean_text(text, what)
    if message:
        r.error(coord, message)
        return None
    return text


def _note_value(r: _Reader, coord: str, qid: str) -> str:
    value, ok = r.plain(coord, f"the note to {qid}")
    if not ok or _blank(value):
        return ""
    if isinstance(value, bool):
        r.error(coord, f"{_show(value)} is not a note; type the note as text (note to {qid})")
        return ""
    return _text(r, coord, value, f"the note to {qid}") or ""


def _ticks(r: _Reader, q: Question, entry: dict[str, Any], result: TemplateAnswers) -> Optional[list[str]]:
    from risk_cli.writers.template import TICK_NO, TICK_YES

    ticked: list[tuple[str, str]] = []  # (choice id, cell)
    ok = True
    for c in entry.get("choices", []):
        coord = c["cell"]
        result.tick_cells[(q.id, c["id"])] = coord
        value, plain_ok = r.plain(coord, f"the tick for \"{c['label']}\" in {q.id}")
        ok = ok and plain_ok
        if not plain_ok or _blank(value):
            continue
        key = _key(str(value)) if isinstance(value, str) else None
        if key == _key(TICK_YES):
            ticked.append((c["id"], coord))
        elif key != _key(TICK_NO):
            r.error(coord, f"{_show(value)} is not an allowed tick for \"{c['label']}\" in {q.id} "
                           f"(allowed: {TICK_YES}, {TICK_NO}, or leave it blank)")
            ok = False
    alone = [(cid, coord) for cid, coord in ticked if q.choice(cid) is not None and q.choice(cid).exclusive]
    if alone and len(ticked) > 1:
        for cid, coord in alone:
            others = ", ".join(f"{q.choice(o).label} ({oc})" for o, oc in ticked if o != cid)  # type: ignore[union-attr]
            r.error(coord, f"\"{q.choice(cid).label}\" cannot be combined with other choices in {q.id} "  # type: ignore[union-attr]
                           f"(also ticked: {others})")
        ok = False
    if not ok:
        return None
    return [cid for cid, _ in ticked]


TEMPLATE_SLACK = 1_000  # rows read below a template's last question, to catch answers typed there


def _index(file: str, ws: Any, max_col: int, last_row: int) -> dict[str, Any]:
    """Every non-empty cell up to `max_col`, by coordinate, read once and no further than
    `last_row` plus some slack: a sheet that goes on further is refused, not read for ever."""
    limit = min(last_row + TEMPLATE_SLACK, xlsx_guard.MAX_ROWS)
    cells: dict[str, Any] = {}
    bad_dates: dict[str, str] = {}
    for row in xlsx_guard.read_rows(file, ws, limit, max_col=max_col, what="a questionnaire template",
                                    bad_dates=bad_dates):
        for cell in row:
            if getattr(cell, "value", None) is not None and hasattr(cell, "coordinate"):
                cells[cell.coordinate] = cell
    for coord, serial in bad_dates.items():
        if coord in cells:
            cells[coord] = _OutOfRangeDate(coord, serial, cells[coord].row, cells[coord].column)
    return cells


@dataclass(frozen=True)
class _OutOfRangeDate:
    """A cell formatted as a date whose number no date can be (openpyxl reads it as #VALUE!)."""

    coordinate: str
    serial: str
    row: int
    column: int
    value: str = "#VALUE!"
    data_type: str = "date out of range"


def read(path: Path | str, wb: Any) -> TemplateAnswers:
    """Raw answers from a filled template (open it with data_only=False); every problem at once.

    Everything the metadata names (sheet, columns, rows, cells) is there: read_metadata checks."""
    from risk_cli.writers.template import TICK_YES

    file = str(path)
    meta = read_metadata(file, wb)
    sheet = meta["sheet"]
    if sheet not in wb.sheetnames:
        raise _reissue(file, f"the '{sheet}' sheet is missing", where="")
    cols = [meta[k] for k in ("id_column", "text_column", "answer_column", "note_column")]
    id_col, text_col, answer_col, note_col = cols
    last_row = max([meta["header_row"]]
                   + [entry["row"] for entry in meta["questions"]]
                   + [c["row"] for entry in meta["questions"] for c in entry.get("choices", []) if "row" in c])
    cells = _index(file, wb[sheet], max(xlsx_guard.column_number(c) for c in cols), last_row)
    r = _Reader(file, sheet, cells)
    ref = meta["questionnaire"]
    result = TemplateAnswers(ref["id"], ref["version"], ref["sha256"], sheet=sheet)
    if isinstance(meta.get("model"), str) and isinstance(meta.get("language"), str):  # writers.template_format_2
        result.model, result.language = meta["model"], meta["language"]

    # the rows must still be where the template put them, or answers would land on the wrong question
    for entry in meta["questions"]:
        rows = [(entry["row"], None)] + [(c["row"], c) for c in entry.get("choices", []) if "row" in c]
        for row, choice in rows:
            found = _cell_value(cells, f"{id_col}{row}")
            shown = _cell_value(cells, f"{text_col}{row}")
            if found != entry["id"] or (choice is not None and shown != choice["label"]):
                what = entry["id"] if choice is None else f"{entry['id']} choice \"{choice['label']}\""
                seen = f"'{found}'" if found is not None else "nothing"
                r.error(f"{id_col}{row}", f"expected the question id of {what} in this row, found {seen}; rows have "
                                          "been moved, inserted, deleted or sorted, so answers cannot be matched to "
                                          "questions safely. Undo the change, or copy the answers into a fresh template")
                raise TemplateProblems(r.errors)

    # Date completed
    date_coord = meta["date_cell"]
    date_value, ok = r.plain(date_coord, "Date completed")
    if ok and not _blank(date_value):
        iso = _date(date_value)
        if iso is None:
            r.error(date_coord, f"{_show(date_value)} is not a date for \"Date completed\" (allowed: a date, dd/mm/yyyy)")
        elif not answers_mod.assessed_in_range(iso):
            first, last = answers_mod.FIRST_ASSESSED, answers_mod.LAST_ASSESSED
            r.error(date_coord, f"{_show(date_value)} is out of range for \"Date completed\" (allowed: a date from "
                                f"{first:%d/%m/%Y} to {last:%d/%m/%Y})")
        else:
            result.assessed_on = iso
    elif ok:
        today = dt.date.today().isoformat()
        result.assessed_on = today
        result.warnings.append(Problem(file, f"\"Date completed\" is blank; the register is dated today ({today})",
                                       where=r.where(date_coord)))

    used: set[str] = {date_coord}
    bad: set[str] = set()  # questions whose cells had problems: not also reported as missing
    for entry in meta["questions"]:
        before = len(r.errors)
        q = _snapshot(entry)
        answer_coord, note_coord = entry["answer"], entry["note"]
        used.update((answer_coord, note_coord))
        result.note_cells[q.id] = note_coord
        value: Any = None
        if q.type == "multi":
            ticks = [c["cell"] for c in entry.get("choices", [])]
            used.update(ticks)
            result.cells[q.id] = f"{ticks[0]}:{ticks[-1]}" if ticks else answer_coord
            stray = _cell_value(cells, answer_coord)
            if not _blank(stray):
                r.error(answer_coord, f"{_show(stray)} is in the question row of {q.id}, where it would be lost; "
                                      f"answer by choosing {TICK_YES} in the rows below it ({result.cells[q.id]})")
            picked = _ticks(r, q, entry, result)
            value = picked or None
        else:
            result.cells[q.id] = answer_coord
            raw, ok = r.plain(answer_coord, f"the answer to {q.id}")
            if ok and not _blank(raw):
                if q.type in ("choice", "yesno"):
                    value = _choice_value(r, answer_coord, q, raw)
                else:
                    value = _scalar_value(r, answer_coord, q, raw)
        note = _note_value(r, note_coord, q.id)
        if len(r.errors) > before:
            bad.add(q.id)
        if value is not None or note:
            result.values[q.id] = Answer(value, note)

    # anything typed into the answer or note columns outside an answer cell would be lost: say so
    first = meta["header_row"] + 1
    for coord, cell in sorted(cells.items(), key=lambda kv: (kv[1].row, kv[1].column)):
        letter = coord.rstrip("0123456789")
        if letter in (answer_col, note_col) and coord not in used and cell.row >= first and not _blank(cell.value):
            r.error(coord, f"{_show(cell.value) if _formula(cell) is None else 'a formula'} is outside the answer and "
                           "note cells, where it would be lost; move it into the Note cell of its question")
    if r.errors:
        raise TemplateProblems(r.errors, answers=result, bad=frozenset(bad))
    return result


def _cell_value(cells: dict[str, Any], coord: str) -> Any:
    cell = cells.get(coord)
    return None if cell is None else cell.value


# -- onto the questionnaire in use ---------------------------------------------------------

def check(raw: TemplateAnswers, qn: Questionnaire, file: str, skip: frozenset[str] = frozenset(),
          complete: bool = True) -> tuple[Answers, list[Problem], list[Problem]]:
    """Map a template's answers onto `qn` and validate them: (answers, errors, warnings), all with cells.

    A template made for another version (or edited content) of the same questionnaire is
    matched by question id; each answer that no longer maps is an error at its cell.
    Questions in `skip` already have an error at their cells, so none is added for them.
    `complete` requires every question that applies and is required to be answered.
    A number is checked against the range `qn` gives it here (the template may show an older one).
    """
    errors: list[Problem] = []
    warnings: list[Problem] = list(raw.warnings)
    sheet = raw.sheet

    def at(coord: str) -> str:
        return f"{sheet}!{coord}"

    if raw.questionnaire_id != qn.id:
        errors.append(Problem(file, f"the template is for questionnaire '{raw.questionnaire_id}', not '{qn.id}'"))
        return raw, errors, warnings
    mapped: dict[str, Answer] = {}
    unmapped: set[str] = set(skip)  # already reported: not reported again as missing
    if raw.questionnaire_version != qn.version or raw.questionnaire_sha256 != qn.sha256:
        if raw.questionnaire_version != qn.version:
            why = f"the template was made for {qn.id} version {raw.questionnaire_version}; importing into version {qn.version}"
        else:
            why = (f"the template was made for different content of {qn.id} {qn.version} (sha256 "
                   f"{raw.questionnaire_sha256[:12]}..., now {qn.sha256[:12]}...)")
        warnings.append(Problem(file, f"{why}: answers are matched by question id, and any that no longer map are "
                                      "reported"))
        for qid, answer in raw.values.items():
            q = qn.by_id.get(qid)
            cell = raw.cells.get(qid, "")
            if q is None:
                if answer.value is not None:
                    errors.append(Problem(file, f"{qid} is no longer a question in {qn.label}; this answer cannot be "
                                                "imported (clear it, or fill in a fresh template)", where=at(cell)))
                if answer.note:
                    errors.append(Problem(file, f"{qid} is no longer a question in {qn.label}; this note cannot be "
                                                "imported", where=at(raw.note_cells.get(qid, cell))))
                continue
            value = answer.value
            if value is not None and q.type in ("choice", "yesno", "multi"):
                picked = value if isinstance(value, list) else [value]
                gone = [v for v in picked if not isinstance(v, str) or v not in q.choice_ids]
                for v in gone:
                    place = raw.tick_cells.get((qid, v), cell)
                    errors.append(Problem(file, f"choice '{v}' is no longer an answer to {qid} in {qn.label} "
                                                f"(choices now: {_labels(q)})", where=at(place)))
                if gone:
                    unmapped.add(qid)
                    continue
            mapped[qid] = answer
    else:
        mapped = dict(raw.values)
    for qid, answer in list(mapped.items()):  # reported as the cell was read, not by question id
        q = qn.by_id.get(qid)
        if q is not None and q.type == "number" and answer.value is not None:
            _, message = answers_mod.normalise(q, answer.value)
            if message:
                errors.append(Problem(file, _bad_value(q, answer.value), where=at(raw.cells.get(qid, ""))))
                unmapped.add(qid)
                del mapped[qid]
    candidate = Answers(qn.id, qn.version, qn.sha256, mapped, raw.assessed_on)
    clean, found, warned = answers_mod.check(qn, candidate, file, complete=complete)
    for p in found:
        if p.where not in unmapped:
            errors.append(_placed(p, raw, sheet))
    for p in warned:
        warnings.append(_placed(p, raw, sheet))
    errors.sort(key=_reading_order)
    return clean, errors, warnings


def with_checks(exc: TemplateProblems, resolve: Callable[[TemplateAnswers], Questionnaire],
                file: str, complete: bool = True) -> TemplateProblems:
    """The cell problems `read()` found plus what `check()` finds in the answers read cleanly
    (missing answers above all), so a team fixing a template sees every problem at once.
    `resolve` picks the questionnaire, as the command would; if it cannot, the cell problems stand."""
    if exc.answers is None or exc.answers.model:  # a format-2 template's problems are all in its cells
        return exc
    try:
        qn = resolve(exc.answers)
    except RiskCliError:
        return exc
    _, errors, _ = check(exc.answers, qn, file, skip=exc.bad, complete=complete)
    seen = {str(p) for p in exc.problems}
    extra = [p for p in errors if str(p) not in seen]
    if not extra:
        return exc
    return TemplateProblems(sorted(list(exc.problems) + extra, key=_reading_order))


def _reading_order(p: Problem) -> tuple[int, int, int]:
    """Top to bottom, left to right, as a person works through the sheet; problems with no cell last."""
    m = re.search(r"!([A-Z]{1,3})([0-9]+)", p.where)
    if m is None:
        return (1, 0, 0)
    return (0, int(m.group(2)), xlsx_guard.column_number(m.group(1)))


def _placed(p: Problem, raw: TemplateAnswers, sheet: str) -> Problem:
    """A problem `answers.check` reported by question id, moved to the question's answer cell."""
    cell = raw.cells.get(p.where)
    if cell is None:
        if p.message.startswith("missing answer") and raw.questionnaire_version:
            return Problem(p.file, f"{p.message} (a question this template does not have: answer it in a fresh "
                                   "template or an answers file)", where=p.where)
        return p
    return Problem(p.file, f"{p.where}: {p.message}", where=f"{sheet}!{cell}")
