"""Read any input risk-cli accepts into answers (an answers file, a register it wrote, or a
filled questionnaire template) and check them against the questionnaire they are for.

Batch, import, portfolio and `assess --answers` all start here, so an input means the same
to every command: `read_checked()` reads one input, picks its questionnaire, and checks it,
with every problem placed where it is (a template's at its cell).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Optional

from risk_cli.model import answers as answers_mod
from risk_cli import safe_yaml
from risk_cli.model.answers import Appetite, Answers
from risk_cli.errors import InputProblems, Problem, RiskCliError, TemplateProblems
from risk_cli.model.questionnaire import Questionnaire
from risk_cli.writers.register_layout import ATRS_RECORD_SUFFIX, DATA, REGISTER

if TYPE_CHECKING:
    from risk_cli.readers.scores import ScoreCell

if TYPE_CHECKING:
    from risk_cli.catalogue.versions import Versions
    from risk_cli.readers.format_2_inputs import Format2Answers

YAML_SUFFIXES = (".yaml", ".yml")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
DATA_SHEET = DATA  # the register's hidden sheet of answers


@dataclass
class Loaded:
    """Answers read from one input, not yet checked against a questionnaire."""

    path: Path
    kind: str  # "answers", "register" or "template"
    answers: Optional[Answers]  # None: answers for a format-2 questionnaire, in `document`
    # a register's likelihood and impact cells as found, to compare with the answers' scores
    # (readers.scores.mismatches); never used to score
    score_cells: tuple["ScoreCell", ...] = ()
    # the answers file as parsed (a YAML input, or a workbook's data sheet): format-2 answers are
    # checked from it once their questionnaire is chosen (readers.format_2_inputs)
    document: Optional[safe_yaml.Document] = None
    warnings: list[Problem] = field(default_factory=list)  # a format-2 template's (readers.template_format_2)

    def format_1(self) -> Answers:
        """The answers, for a command that reads only format-1 ones; InputProblems otherwise."""
        if self.answers is None:
            raise InputProblems([Problem(str(self.path), "holds answers to a format-2 (points or rated) "
                                         "questionnaire, which this command does not read", where="questionnaire")])
        return self.answers


def expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Files named, plus the answers files and workbooks inside folders named (sorted, recursive).
    In a folder, ATRS records risk-cli wrote (`<name>-atrs.xlsx`, beside the registers) are outputs,
    not inputs, and are passed over."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in YAML_SUFFIXES + XLSX_SUFFIXES
                           and not f.name.startswith((".", "~$")) and not f.name.lower().endswith(ATRS_RECORD_SUFFIX))
            if not found:
                problems.append(Problem(str(p), "folder holds no answers files (.yaml) or workbooks (.xlsx)"))
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            problems.append(Problem(str(p), "no such file or folder"))
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, problems


# -- reading ----------------------------------------------------------------------------------

def load(path: Path | str, format_2: bool = False) -> Loaded:
    """Read one input by its kind; raises InputProblems naming the file and place. `format_2`:
    the run's -q is a format-2 questionnaire, so answers are read as its answers."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return from_document(p, "answers", safe_yaml.load(p), format_2)
    if suffix in XLSX_SUFFIXES:
        return load_workbook(p, format_2=format_2)
    raise InputProblems([Problem(str(p), f"is not an answers file (.yaml) or a workbook (.xlsx); cannot read '{p.suffix or 'no extension'}' files")])


def load_workbook(path: Path, checked: bool = False, format_2: bool = False) -> Loaded:
    """A register's or a filled template's answers. `checked`: the caller has just run
    xlsx_guard.check on this file, so it is not scanned a second time."""
    from risk_cli.readers import xlsx_guard

    wb = xlsx_guard.open_workbook(path, checked=checked)
    try:
        if DATA_SHEET in wb.sheetnames:
            doc = sheet_document(str(path), wb[DATA_SHEET])
            return from_document(path, "register", doc, format_2, register_score_cells(str(path), wb))
        from risk_cli.readers import template as template_import

        if template_import.is_template(wb):
            raw = template_import.read(path, wb)
            if raw.model:  # a format-2 template: its answers wait for their questionnaire, as an answers file's do
                from risk_cli.readers import template_format_2

                doc, warnings = template_format_2.document(raw, str(path))
                return Loaded(path, "template", None, document=doc, warnings=warnings)
            return Loaded(path, "template", raw)
        raise InputProblems([Problem(str(path), "is not a risk-cli register or questionnaire template "
                                                "(no 'risk-cli data' sheet and no template metadata)")])
    finally:
        wb.close()


def load_fast(path: Path | str, format_2: bool = False) -> Loaded:
    """Like `load`, but a register's answers are read from its data sheet alone, quickly:
    python-calamine (a required dependency) reads it far faster than openpyxl, and the
    portfolio reads thousands of registers (figures in benchmarks/README.md).

    Anything that is not a register risk-cli wrote (answers files, templates, stray files)
    goes to the ordinary readers, which say what it is or what is wrong with it.
    """
    p = Path(path)
    if p.suffix.lower() not in XLSX_SUFFIXES:
        return load(p, format_2)
    from python_calamine import CalamineWorkbook

    from risk_cli.readers import xlsx_guard

    xlsx_guard.check(p)
    # calamine builds the sheet's whole grid in memory: a cell at XFD1048576 would ask for
    # billions of cells, so only a sheet shaped like the one risk-cli writes goes to it
    # (compact_sheet is also False when there is no data sheet)
    if not xlsx_guard.compact_sheet(p, DATA_SHEET, xlsx_guard.MAX_ROWS, max_col=3):
        return load_workbook(p, checked=True, format_2=format_2)
    # the Risk register holds risk-cli's score formulas, whose cached values calamine would read:
    # only its likelihood, impact and id cells are taken, and only to warn (readers.scores)
    register_ok = xlsx_guard.compact_sheet(p, REGISTER, xlsx_guard.MAX_ROWS, xlsx_guard.MAX_COLUMNS, formulas=True)
    try:
        wb = CalamineWorkbook.from_path(str(p))
        try:
            rows = wb.get_sheet_by_name(DATA_SHEET).to_python(skip_empty_area=False)
            register_rows = wb.get_sheet_by_name(REGISTER).to_python(skip_empty_area=False) if register_ok else []
        finally:
            wb.close()
    except Exception:  # calamine could not read it: openpyxl either can, or says exactly what is wrong
        return load_workbook(p, checked=True, format_2=format_2)
    from risk_cli.readers.scores import score_cells

    return from_document(p, "register", data_document(str(p), (row[0] if row else None for row in rows[1:])),
                         format_2, score_cells(register_rows))


def register_score_cells(name: str, wb: Any) -> tuple["ScoreCell", ...]:
    """The likelihood and impact cells of a register's Risk register sheet (readers.scores), read
    within bounds; none when the sheet is missing or cannot be read, since they only ever warn."""
    from risk_cli.readers import xlsx_guard
    from risk_cli.readers.scores import score_cells

    if REGISTER not in wb.sheetnames:
        return ()
    try:
        rows = xlsx_guard.read_rows(name, wb[REGISTER], xlsx_guard.MAX_ROWS, values_only=True, what="a register")
    except InputProblems:
        return ()
    return score_cells(rows)


def sheet_answers(name: str, ws: Any) -> Answers:
    """A format-1 register's answers (readers.register compares them with a previous assessment)."""
    return answers_mod.from_document(sheet_document(name, ws))


def sheet_document(name: str, ws: Any) -> safe_yaml.Document:
    """The answers file kept in a register's hidden data sheet, read within bounds (see xlsx_guard)."""
    from risk_cli.readers import xlsx_guard

    rows = xlsx_guard.read_rows(name, ws, xlsx_guard.MAX_ROWS, max_col=1, min_row=2, what="a register's data sheet")
    for r, row in enumerate(rows, start=2):
        if row and getattr(row[0], "data_type", None) == "f":  # never evaluated, and never taken as answers
            raise InputProblems([Problem(name, "holds a damaged data sheet (a formula, where risk-cli wrote text)",
                                         where=f"{DATA_SHEET}!A{r}")])
    return data_document(name, (getattr(row[0], "value", None) if row else None for row in rows))


def data_document(name: str, values: Iterable[Any]) -> safe_yaml.Document:
    """The answers file a workbook was scored from (the text in column A of its hidden data sheet), parsed."""
    from risk_cli.readers.xlsx_guard import MAX_TEXT

    chunks: list[str] = []
    size = 0
    for row, value in enumerate(values, start=2):
        if value is None or value == "":
            break
        if not isinstance(value, str):
            raise InputProblems([Problem(name, "holds a damaged data sheet (a cell is not text)", where=f"{DATA_SHEET}!A{row}")])
        size += len(value)
        if size > MAX_TEXT:
            raise InputProblems([Problem(name, f"holds a damaged data sheet (over {MAX_TEXT:,} characters of answers)",
                                         where=f"{DATA_SHEET}!A{row}")])
        chunks.append(value)
    if not chunks:
        raise InputProblems([Problem(name, "has an empty data sheet; it cannot be re-read", where=DATA_SHEET)])
    return safe_yaml.loads("".join(chunks), f"{name} [{DATA_SHEET}]")


def from_document(path: Path, kind: str, doc: safe_yaml.Document, format_2: bool = False,
                  score_cells: tuple["ScoreCell", ...] = ()) -> Loaded:
    """An answers file as parsed: format-1 answers read now; answers for a format-2 questionnaire
    (one the file names by a bundled format-2 id, or any when `format_2`) wait for it to be chosen."""
    if format_2 or names_format_2(doc.data):
        return Loaded(path, kind, None, score_cells, document=doc)
    return Loaded(path, kind, answers_mod.from_document(doc), score_cells, document=doc)


def names_format_2(data: Any) -> bool:
    """Whether parsed answers name a bundled format-2 questionnaire (a header lookup, no parsing)."""
    from risk_cli.catalogue import bundled

    ref = data.get("questionnaire") if isinstance(data, dict) else None
    return isinstance(ref, dict) and any(qid == ref.get("id") for qid, _ in bundled.format_2_refs())


# -- checking against the questionnaire chosen (see catalogue.versions) ----------------------------

@dataclass
class Checked:
    """One input read and checked: the clean answers and their questionnaire, or the problems."""

    path: Path
    kind: str = ""  # "answers", "register" or "template"; "" when not even that could be told
    raw: Optional[Answers] = None  # as read, before checking
    questionnaire: Optional[Questionnaire] = None
    answers: Optional[Answers] = None  # clean, when there are no errors
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    score_cells: tuple["ScoreCell", ...] = ()  # a register's likelihoods and impacts (Loaded.score_cells)
    # answers for a format-2 questionnaire (points or rated model), checked; `questionnaire` and
    # `answers` are then None
    format_2: Optional["Format2Answers"] = None

    @property
    def ok(self) -> bool:
        return not self.errors


def read_checked(path: Path | str, versions: "Versions", appetite: Optional[Appetite] = None,
                 complete: bool = True) -> Checked:
    """Read one input and check it; every problem is collected in the result, never raised.
    `complete` (the default) makes a missing required answer a problem; without it (`--allow-incomplete`)
    the question is left unanswered and scored cautiously, and every other problem still counts.

    A template with bad cells is also checked for what else is wrong (missing answers...), so
    a team sees every problem at once. Only a -q that cannot be loaded is raised: it is the
    run's problem, not the input's.
    """
    p = Path(path)
    try:
        loaded = load(p, format_2=versions.format_2_named() is not None)
    except TemplateProblems as exc:
        from risk_cli.readers import template as template_import

        exc = template_import.with_checks(exc, lambda raw: versions.for_input(raw, "template"), str(p),
                                          complete=complete)
        return Checked(p, "template", errors=list(exc.problems))
    except InputProblems as exc:
        return Checked(p, "answers" if p.suffix.lower() in YAML_SUFFIXES else "", errors=list(exc.problems))
    except RiskCliError as exc:
        return Checked(p, errors=[Problem(str(p), line) for line in exc.lines()])
    return check_loaded(loaded, versions, appetite, complete)


def check_answers(qn: Questionnaire, raw: Answers, file: str,
                  complete: bool = True) -> tuple[Answers, list[Problem], list[Problem]]:
    """Validate answers from any input against `qn`: (clean answers, errors, warnings).

    Each kind of answers knows how it is checked (`Answers.checked`): a template's answers are
    mapped onto `qn` with each problem at its cell; any other answers are checked by question id.
    """
    return raw.checked(qn, file, complete=complete)


def checked(qn: Questionnaire, raw: Answers, file: str, complete: bool = True) -> tuple[Answers, list[Problem]]:
    """Validate answers from any input (see `check_answers`): the clean answers and any warnings,
    or InputProblems with every problem at once."""
    clean, errors, warnings = check_answers(qn, raw, file, complete=complete)
    if errors:
        raise InputProblems(errors)
    return clean, warnings


def check_loaded(loaded: Loaded, versions: "Versions", appetite: Optional[Appetite] = None,
                 complete: bool = True) -> Checked:
    """Check answers already read against their questionnaire (see catalogue.versions): a
    template's problems at their cells, with its warnings (a blank Date completed...). A run's
    `appetite` (--appetite) replaces the one the answers give."""
    file = str(loaded.path)
    raw = loaded.answers
    out = Checked(loaded.path, loaded.kind, raw, score_cells=loaded.score_cells)
    if raw is None or versions.format_2_named() is not None:
        return _check_format_2(loaded, versions, out)
    try:
        qn = versions.for_input(raw, loaded.kind)
    except InputProblems as exc:
        if versions.name:
            raise
        out.errors.extend(exc.problems)
        return out
    except RiskCliError as exc:
        if versions.name:  # the -q option's problem, not the file's
            raise
        out.errors.extend(Problem(file, line, where="questionnaire") for line in exc.lines())
        return out
    out.questionnaire = qn
    clean, errors, warnings = check_answers(qn, raw, file, complete=complete)
    if appetite is not None and not errors:
        clean, errors = appetite.apply(qn, clean)
    out.errors.extend(errors)
    out.warnings.extend(warnings)
    if not errors:
        out.answers = clean
    return out


def _check_format_2(loaded: Loaded, versions: "Versions", out: Checked) -> Checked:
    """Answers for a format-2 questionnaire: chosen as format-1 ones are (-q, else the exact
    version named), checked question by question. An --appetite has no meaning for them (the
    workflows refuse it before any input is read)."""
    from risk_cli.model import points
    from risk_cli.readers import format_2_inputs

    file = str(loaded.path)
    doc = loaded.document
    out.warnings.extend(loaded.warnings)
    if versions.name and versions.format_2_named() is None:  # -q is format 1: these answers are not for it
        named = doc.data.get("questionnaire") if doc is not None and isinstance(doc.data, dict) else None
        what = f"'{named['id']}'" if isinstance(named, dict) and isinstance(named.get("id"), str) else "a format-2 questionnaire"
        out.errors.append(Problem(file, f"these answers are for {what} (format 2), not for {versions.name} (-q)",
                                  where="questionnaire"))
        return out
    try:
        qn = versions.format_2_for(doc.data if doc is not None else None)
    except RiskCliError as exc:
        if versions.name:
            raise
        out.errors.extend(Problem(file, line, where="questionnaire") for line in exc.lines())
        return out
    if qn is None or doc is None:  # -q is format 2 but this input is a format-1 register or template
        named = versions.format_2_named()
        ref = doc.data.get("questionnaire") if doc is not None and isinstance(doc.data, dict) else None
        if named is None and loaded.kind == "template" and isinstance(ref, dict):  # a format-2 template's
            out.errors.append(Problem(file, f"the template is for questionnaire '{ref.get('id')}', which is not "
                                            "bundled with risk-cli; give its YAML file with -q FILE",
                                      where="questionnaire"))
            return out
        out.errors.append(Problem(file, f"is not answers to {named.label if named else 'a format-2 questionnaire'}",
                                  where="questionnaire"))
        return out
    try:
        out.format_2 = format_2_inputs.from_document(doc, qn, loaded.path, loaded.kind)
    except InputProblems as exc:
        out.errors.extend(exc.problems)
        return out
    gaps = out.format_2.unanswered()
    if gaps:  # no format-2 question is required, but a board should know what the result leaves out
        out.warnings.append(Problem(file, points.unanswered_note(gaps)))
    return out
