"""Answers: what a team said, keyed by question id, read from and saved to a YAML file.

Every source of answers (the interactive questionnaire, an answers file, an imported
spreadsheet) ends up as an `Answers` and passes through `check()`, the one validator.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from risk_cli import safe_yaml
from risk_cli.model import conditions
from risk_cli.errors import InputProblems, Problem
from risk_cli.model.questionnaire import Question, Questionnaire

MAX_TEXT = 10_000
TOP_KEYS = ("questionnaire", "assessed_on", "profile", "answers", "appetite", "appetite_source", "tool")
# XML 1.0 cannot hold these, so no spreadsheet can; tab and newline are fine.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
# The date of an assessment (assessed_on, a template's "Date completed") must fall in this range:
# review and action dates are worked out from it (up to years later), a spreadsheet cannot show a
# date before 1900, and Python's dates end at 9999-12-31.
FIRST_ASSESSED = dt.date(1900, 1, 1)
LAST_ASSESSED = dt.date(9000, 12, 31)
ASSESSED_RANGE = f"from {FIRST_ASSESSED.isoformat()} to {LAST_ASSESSED.isoformat()}"
# How OOXML writes a character a cell cannot hold (_x000D_ is a carriage return). Excel and
# python-calamine turn every such sequence in a cell into its character, openpyxl reads most as
# written, so text holding one would read differently in each program: it is refused.
# (xlsx.py writes risk-cli's own text so Excel shows it as written; xlsx_guard.py looks for the
# same sequence in raw sheet XML.)
SPREADSHEET_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")


@dataclass
class Answer:
    """One answer with the team's optional note, kept together so the note travels with the answer
    from the answers file to the register."""

    value: Any
    note: str = ""


@dataclass
class Answers:
    """A team's answers to one questionnaire version."""

    questionnaire_id: str
    questionnaire_version: str
    questionnaire_sha256: str = ""
    values: dict[str, Answer] = field(default_factory=dict)
    assessed_on: str = ""  # ISO date: the date the register reports, so output is reproducible
    # The organisation's own risk appetite (category id -> appetite level id), where it set one,
    # and whose it is; kept with the answers so the same answers always score the same.
    appetite: dict[str, str] = field(default_factory=dict)
    appetite_source: str = ""

    @classmethod
    def new(cls, qn: Questionnaire, today: Optional[dt.date] = None) -> "Answers":
        return cls(qn.id, qn.version, qn.sha256, {}, (today or dt.date.today()).isoformat())

    def value(self, qid: str) -> Any:
        answer = self.values.get(qid)
        return None if answer is None else answer.value

    def plain(self) -> dict[str, Any]:
        return {qid: a.value for qid, a in self.values.items()}

    def checked(self, qn: Questionnaire, file: str, complete: bool = True) -> tuple["Answers", list[Problem], list[Problem]]:
        """Validate against `qn`: (clean answers, errors, warnings). Answers read from somewhere
        with places of their own (a template's cells) override this to map and place them."""
        return check(qn, self, file, complete=complete)


@dataclass(frozen=True)
class Appetite:
    """An organisation's own risk appetite, given for a run (`--appetite FILE`): it replaces the
    appetite any input names, and is saved with the answers so they keep scoring the same."""

    levels: tuple[tuple[str, str], ...]  # (category id, appetite level id)
    source: str  # whose appetite it is, as the register reports it
    file: str = ""

    def apply(self, qn: Questionnaire, answers: "Answers") -> tuple["Answers", list[Problem]]:
        """The answers judged against this appetite, or the problems with it for this questionnaire."""
        import dataclasses

        problems = appetite_problems(qn, dict(self.levels), self.file)
        if problems:
            return answers, problems
        return dataclasses.replace(answers, appetite=dict(self.levels), appetite_source=self.source), []


def clean_text(value: str, where: str) -> tuple[str, Optional[str]]:
    """Normalise line endings and refuse what a spreadsheet cannot hold. Returns (text, error)."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    bad = _ILLEGAL.search(text)
    if bad:
        return text, f"{where} contains the control character U+{ord(bad.group()):04X}, which spreadsheets cannot hold"
    escaped = escape_problem(text, where)
    if escaped:
        return text, escaped
    if len(text) > MAX_TEXT:
        return text, f"{where} is {len(text):,} characters; the limit is {MAX_TEXT:,}"
    return text, None


def escape_problem(text: str, where: str) -> Optional[str]:
    """Why `text` cannot go into a spreadsheet as it is, if it holds an escape such as _x0041_
    (which Excel shows as "A"): a person's text must read the same in every program."""
    found = SPREADSHEET_ESCAPE.search(text)
    if found is None:
        return None
    code = int(found.group()[2:6], 16)
    if code < 0x20 or 0x7F <= code < 0xA0:  # most often a line break pasted from Windows text
        return (f"{where} contains \"{found.group()}\", which spreadsheet programs read as an escaped character "
                f"(the control character U+{code:04X}); Excel stores a line break pasted from other text this way: "
                "retype the line break")
    return (f"{where} contains \"{found.group()}\", which spreadsheet programs read as an escaped character; "
            "write it another way (for example with a space after the underscore)")


# -- reading and writing files ------------------------------------------------------------

def load(path: Path | str, label: str | None = None) -> Answers:
    """Read an answers file's structure. Checking it against a questionnaire is `check()`."""
    doc = safe_yaml.load(path, label)
    return from_document(doc)


def from_document(doc: safe_yaml.Document) -> Answers:
    data = doc.data
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InputProblems([doc.problem((), "an answers file is a mapping with questionnaire, profile and answers")])
    for key in data:
        if key not in TOP_KEYS:
            problems.append(doc.problem((key,), f"unknown key '{key}' (allowed: {', '.join(TOP_KEYS)})"))
    ref = data.get("questionnaire")
    qid = version = sha = ""
    if not isinstance(ref, dict) or not isinstance(ref.get("id"), str) or not ref.get("version"):
        problems.append(doc.problem(("questionnaire",), "must give the questionnaire's id and version, e.g. {id: uk-public-sector-ai, version: 1.0.0}"))
    else:
        qid, version, sha = ref["id"], str(ref["version"]), str(ref.get("sha256") or "")
        for key in ref:
            if key not in ("id", "version", "sha256"):
                problems.append(doc.problem(("questionnaire", key), f"unknown key '{key}' (allowed: id, version, sha256)"))
    assessed_on = data.get("assessed_on") or ""
    if assessed_on and not _is_date(str(assessed_on)):
        problems.append(doc.problem(("assessed_on",), f"'{_show(assessed_on)}' is not a date (YYYY-MM-DD)"))
    elif assessed_on and not assessed_in_range(str(assessed_on)):
        problems.append(doc.problem(("assessed_on",), f"'{assessed_on}' is out of range: the date of an assessment "
                                                      f"must be {ASSESSED_RANGE}"))
    values: dict[str, Answer] = {}
    for block in ("profile", "answers"):
        raw = data.get(block)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            problems.append(doc.problem((block,), f"'{block}' must map question ids to answers"))
            continue
        for key, item in raw.items():
            path = (block, key)
            if key in values:
                problems.append(doc.problem(path, f"question {key} is answered twice (in profile and in answers)"))
                continue
            if isinstance(item, dict):
                extra = [k for k in item if k not in ("answer", "note")]
                if extra:
                    problems.append(doc.problem(path + (extra[0],), f"unknown key '{extra[0]}' (an answer is a value or {{answer, note}})"))
                    continue
                note = item.get("note")
                if note is not None and not isinstance(note, str):
                    note = str(note)
                values[key] = Answer(item.get("answer"), note or "")
            else:
                values[key] = Answer(item)
    appetite, source = read_appetite(doc, data, problems)
    if problems:
        raise InputProblems(problems)
    return Answers(qid, version, sha, values, str(assessed_on), appetite, source)


def read_appetite(doc: safe_yaml.Document, data: dict, problems: list[Problem],
                  key: str = "appetite", source_key: str = "appetite_source") -> tuple[dict[str, str], str]:
    """An organisation's risk appetite as written in a file: {category id: appetite level id} and
    whose it is. Whether the ids exist is checked against the questionnaire (`check`)."""
    raw = data.get(key)
    appetite: dict[str, str] = {}
    if raw is not None:
        if not isinstance(raw, dict):
            problems.append(doc.problem((key,), f"'{key}' maps risk categories to appetite levels, e.g. {{legal: minimal}}"))
        else:
            for category, level in raw.items():
                if not isinstance(category, str) or not isinstance(level, str):
                    problems.append(doc.problem((key, category), "an appetite is a category id and an appetite level id, such as legal: minimal"))
                else:
                    appetite[category] = level
    source = data.get(source_key, "")
    if not isinstance(source, str):
        problems.append(doc.problem((source_key,), f"'{source_key}' is text: whose risk appetite this is"))
        source = ""
    elif source:
        text, message = clean_text(source, f"'{source_key}'")
        if message:
            problems.append(doc.problem((source_key,), message))
        source = text
    return appetite, source


def to_yaml(answers: Answers, qn: Questionnaire, unanswered: tuple[str, ...] | list[str] = ()) -> str:
    """The answers file text, in questionnaire order, profile first. `unanswered` (a provisional
    import's questions with no answer) are written as `null`, with a header saying so, so a strict
    check refuses the file until they are answered."""
    import yaml

    def entry(a: Answer) -> Any:
        return {"answer": a.value, "note": a.note} if a.note else a.value

    blank = [qid for qid in unanswered if qid not in answers.values and qid in qn.by_id]
    values = dict(answers.values) | {qid: Answer(None) for qid in blank}
    order = [q.id for q in qn.questions if q.id in values]
    order += [qid for qid in values if qid not in qn.by_id]  # kept, never dropped
    profile_ids = {q.id for q in qn.profile.questions}
    doc = {
        "questionnaire": {"id": answers.questionnaire_id, "version": answers.questionnaire_version,
                          "sha256": answers.questionnaire_sha256},
        "assessed_on": answers.assessed_on,
        "profile": {qid: entry(values[qid]) for qid in order if qid in profile_ids},
        "answers": {qid: entry(values[qid]) for qid in order if qid not in profile_ids},
    }
    if answers.appetite:
        doc["appetite"] = dict(answers.appetite)
        if answers.appetite_source:
            doc["appetite_source"] = answers.appetite_source
    from risk_cli import __version__

    header = f"# risk-cli {__version__} answers file for {qn.title} ({qn.id} {qn.version}).\n"
    header += "# Answers are choice ids; see `risk-cli template` or the questionnaire for the choices.\n"
    missing = [qid for qid in unanswered if qid in qn.by_id and qn.by_id[qid].required]
    if missing:
        header += (f"# PROVISIONAL: {len(missing)} required question{'s are' if len(missing) != 1 else ' is'} not "
                   "answered (null below), scored cautiously:\n")
        header += "".join(f"#   {line}\n" for line in _wrap(", ".join(missing)))
        header += ("# Answer them before a strict import or `assess --answers` accepts this file;\n"
                   "# with --allow-incomplete it is scored as it is.\n")
    return header + yaml.dump(doc, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=100)


def _wrap(text: str) -> list[str]:
    import textwrap

    return textwrap.wrap(text, 90, break_on_hyphens=False, break_long_words=False)


_YAML_BREAKS = ("\x85", "\u2028", "\u2029")  # line breaks to YAML, ordinary characters to a person


@functools.lru_cache(maxsize=None)
def _dumper() -> Any:
    """PyYAML's safe dumper, but every text reads back exactly as it was: one holding a character
    YAML treats as a line break is written double-quoted, as an escape (in any other style PyYAML
    writes it so that "0\x85" reads back as "0 "), and one PyYAML would leave unquoted but a YAML 1.2
    reader takes for a number (1e3) is quoted."""
    import yaml

    class AnswersDumper(yaml.SafeDumper):
        pass

    def text(dumper: Any, value: str) -> Any:
        if any(c in value for c in _YAML_BREAKS):
            style: Optional[str] = '"'
        elif not safe_yaml.plain_text(value):
            style = "'"  # 1e3, +.5: text to PyYAML's writer, numbers to a YAML 1.2 reader (ours)
        else:
            style = None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    AnswersDumper.add_representer(str, text)
    return AnswersDumper


def save(answers: Answers, qn: Questionnaire, path: Path | str) -> None:
    from risk_cli.fileio import atomic_write_text

    atomic_write_text(Path(path), to_yaml(answers, qn))


# -- checking against a questionnaire -----------------------------------------------------

@dataclass
class Visibility:
    """Which questions applied to these answers, decided in questionnaire order."""

    asked: list[str]
    values: dict[str, Any]
    dropped: list[str]  # answered, but the question did not apply: not scored


def resolve(qn: Questionnaire, values: dict[str, Any]) -> Visibility:
    """Decide which questions apply from the final answers, dropping answers to the rest."""
    asked: list[str] = []
    kept: dict[str, Any] = {}
    dropped: list[str] = []
    asked_set: set[str] = set()
    for section in qn.sections:
        section_on = conditions.evaluate(section.when, asked_set, kept) is not False
        for q in section.questions:
            on = section_on and conditions.evaluate(q.when, asked_set, kept) is not False
            present = q.id in values and not _empty(values[q.id])
            if on:
                asked.append(q.id)
                asked_set.add(q.id)
                if present:
                    kept[q.id] = values[q.id]
            elif present:
                dropped.append(q.id)
    return Visibility(asked, kept, dropped)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def check(qn: Questionnaire, answers: Answers, file: str, complete: bool = True) -> tuple[Answers, list[Problem], list[Problem]]:
    """Validate answers against the questionnaire: (normalised answers, errors, warnings).

    `complete` requires every question that applies and is required to be answered.
    """
    errors: list[Problem] = []
    warnings: list[Problem] = []
    if answers.questionnaire_id and answers.questionnaire_id != qn.id:
        errors.append(Problem(file, f"answers are for questionnaire '{answers.questionnaire_id}', not '{qn.id}'", where="questionnaire.id"))
        return answers, errors, warnings
    if answers.questionnaire_version and answers.questionnaire_version != qn.version:
        errors.append(Problem(file, f"answers are for {qn.id} version {answers.questionnaire_version}; this questionnaire is version {qn.version}", where="questionnaire.version"))
        return answers, errors, warnings
    if answers.questionnaire_sha256 and answers.questionnaire_sha256 != qn.sha256:
        warnings.append(Problem(file, f"the questionnaire's content has changed since these answers were saved (sha256 {answers.questionnaire_sha256[:12]}... is now {qn.sha256[:12]}...); checking the answers against the current content", where="questionnaire.sha256"))
    normal: dict[str, Answer] = {}
    for qid, answer in answers.values.items():
        q = qn.by_id.get(qid)
        if q is None:
            errors.append(Problem(file, "unknown question id", where=qid))
            continue
        value, message = normalise(q, answer.value)
        note, note_error = clean_text(answer.note, "the note") if answer.note else ("", None)
        if message:
            errors.append(Problem(file, message, where=qid))
        elif note_error:
            errors.append(Problem(file, note_error, where=qid))
        else:
            normal[qid] = Answer(value, note)
    visible = resolve(qn, {k: a.value for k, a in normal.items()})
    for qid in visible.dropped:
        warnings.append(Problem(file, "answered, but the question does not apply to these answers; the answer is not scored", where=qid))
    if complete:
        bad = {p.where for p in errors}
        for qid in visible.asked:
            q = qn.by_id[qid]
            if q.required and qid not in visible.values and qid not in bad:
                errors.append(Problem(file, f"missing answer (required): {q.text}", where=qid))
    errors += appetite_problems(qn, answers.appetite, file)
    result = Answers(qn.id, qn.version, qn.sha256, normal, answers.assessed_on or dt.date.today().isoformat(),
                     dict(answers.appetite), answers.appetite_source)
    return result, errors, warnings


def appetite_problems(qn: Questionnaire, appetite: dict[str, str], file: str) -> list[Problem]:
    """An appetite names this questionnaire's categories and appetite levels, or says which it does not."""
    scoring = qn.scoring
    categories = {c.id for c in scoring.categories}
    levels = [a.id for a in scoring.appetite_levels]
    problems = []
    for category, level in appetite.items():
        if category not in categories:
            problems.append(Problem(file, f"'{category}' is not a risk category of {qn.label} (categories: {', '.join(sorted(categories))})",
                                    where=f"appetite.{category}"))
        elif level not in levels:
            problems.append(Problem(file, f"'{level}' is not an appetite level (levels: {', '.join(levels)})", where=f"appetite.{category}"))
    return problems


def allowed(q: Question) -> str:
    if q.type in ("choice", "yesno", "multi"):
        return ", ".join(q.choice_ids)
    return {"text": "text", "number": "a number", "date": "a date YYYY-MM-DD"}[q.type]


def normalise(q: Question, value: Any) -> tuple[Any, Optional[str]]:
    """The answer in its canonical form, or an error message saying what is allowed."""
    if _empty(value):
        return None, None
    if q.type in ("choice", "yesno"):
        if isinstance(value, bool):
            return value, f"true/false is not an allowed answer (allowed: {allowed(q)})"
        if not isinstance(value, str) or value not in q.choice_ids:
            return value, f"'{_show(value)}' is not an allowed answer (allowed: {allowed(q)})"
        return value, None
    if q.type == "multi":
        items = value if isinstance(value, list) else None
        if items is None:
            return value, f"expected a list of choices such as [{', '.join(q.choice_ids[:2])}] (allowed: {allowed(q)})"
        bad = [v for v in items if not isinstance(v, str) or v not in q.choice_ids]
        if bad:
            return value, f"'{_show(bad[0])}' is not an allowed answer (allowed: {allowed(q)})"
        if len(set(items)) != len(items):
            return value, "a choice is given more than once"
        exclusive = [v for v in items if q.choice(v).exclusive]  # type: ignore[union-attr]
        if exclusive and len(items) > 1:
            return value, f"'{exclusive[0]}' cannot be combined with other choices"
        return [c for c in q.choice_ids if c in items], None  # questionnaire order
    if q.type == "text":
        if isinstance(value, bool) or isinstance(value, (list, dict)):
            return value, "expected text"
        text, message = clean_text(str(value), "the answer")
        return text, message
    if q.type == "number":
        number, message = to_number(value)
        if message:
            return value, message
        value = number
        if q.min is not None and value < q.min:
            return value, f"{value} is below the minimum {q.min:g}"
        if q.max is not None and value > q.max:
            return value, f"{value} is above the maximum {q.max:g}"
        return value, None
    if q.type == "date":
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()[:10]
        if not isinstance(value, str) or not _is_date(value):
            return value, f"'{_show(value)}' is not a date (YYYY-MM-DD)"
        return value, None
    return value, f"unsupported question type {q.type}"


def to_number(value: Any) -> tuple[Any, Optional[str]]:
    """A number from a number or numeric text ("5,000"), or an error message. Range checks are
    the question's, in `normalise`. Infinity and NaN are refused: neither can be scored, and
    an answers file holding one could not be read back."""
    shown = value
    if isinstance(value, str):
        try:
            value = float(value.replace(",", "")) if value.strip() else None
        except ValueError:
            return shown, f"'{_show(shown)}' is not a number"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return shown, f"'{_show(shown)}' is not a number"
    if isinstance(value, float):
        if not math.isfinite(value):
            return shown, f"'{_show(shown)}' is not a number risk-cli can use (infinite, or too large to hold)"
        if isinstance(shown, str) and value.is_integer():
            value = int(value)
    return value, None


def assessed_in_range(iso: str) -> bool:
    """True if the ISO date `iso` can be the date of an assessment (see FIRST_ASSESSED)."""
    return FIRST_ASSESSED <= dt.date.fromisoformat(iso) <= LAST_ASSESSED


def _is_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def dump_yaml(data: Any) -> str:
    """Any data as YAML that reads back exactly (the dumper above), for the other files risk-cli
    writes (a converted questionnaire, a points assessment's answers)."""
    import yaml

    return yaml.dump(data, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=100)
