"""Load a questionnaire YAML file into the model, reporting every problem with its place.

`load()` returns a `Questionnaire` or raises `InputProblems` listing all that is wrong,
each with the file, line and path inside the file (`sections[2].questions[4].choices[1]`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Optional

from risk_cli import safe_yaml
from risk_cli.catalogue.fields import CHOICE_ID as NAME, ID, VERSION, Fields, Path_
from risk_cli.catalogue.lint import lint
from risk_cli.catalogue.read_risks import read_barriers, read_checks, read_risks
from risk_cli.catalogue.read_scoring import read_scoring
from risk_cli.catalogue.read_sections import read_sections
from risk_cli.errors import InputProblems, Problem
from risk_cli.model import conditions
from risk_cli.model.answers import SPREADSHEET_ESCAPE, escape_problem
from risk_cli.model.questionnaire import Questionnaire, Source

FORMAT = 1
TOP_KEYS = ("format", "id", "version", "title", "sources", "scoring", "sections", "risks")
OPTIONAL_TOP_KEYS = ("description", "barriers", "checks", "conditions", "atrs")


def canonical_json(data: Any) -> str:
    """The parsed content as canonical JSON: what the content hash is of. Every text in the file
    is in it, and JSON writes "_", "x" and hex digits as they are, so one search finds any escape."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(data: Any, canonical: Optional[str] = None) -> str:
    """SHA-256 of the parsed content as canonical JSON (`canonical`, when already made): layout
    and line endings don't count."""
    return hashlib.sha256((canonical or canonical_json(data)).encode("utf-8")).hexdigest()


def load(path: Path | str, label: str | None = None) -> Questionnaire:
    """A checked questionnaire, parsed once per process (see risk_cli.catalogue.cache); its parsed
    data comes from the disk cache when these exact bytes loaded cleanly before, and is checked
    again here either way."""
    from risk_cli.catalogue import cache

    name = label or str(path)
    return cache.remembered(path, name, lambda: _load(path, name))


def _load(path: Path | str, name: str) -> Questionnaire:
    from risk_cli.catalogue import cache

    raw = safe_yaml.read_bytes(path, name)
    data = cache.lookup(raw, FORMAT)
    if data is not None:
        try:
            return build(safe_yaml.Document(name, data), str(path))
        except Exception:  # noqa: BLE001 - whatever is wrong, the file itself is the truth:
            pass  # read it below, so any problem is reported with its line
    doc = safe_yaml.loads(safe_yaml.decode(raw, name), name)
    result = build(doc, str(path))
    cache.store(raw, FORMAT, doc.data)
    return result


def validate(path: Path | str) -> tuple[list[Problem], list[Problem]]:
    """All errors and warnings for a questionnaire file."""
    try:
        doc = safe_yaml.load(path)
    except InputProblems as exc:
        return exc.problems, []
    from risk_cli.catalogue import header

    if header.is_format_2(doc.data):  # docs/questionnaire-format.md, format 2: by its model
        from risk_cli.catalogue import read_points, read_rated

        return (read_rated if read_rated.is_rated(doc.data) else read_points).validate(doc)
    f = Fields(doc)
    read_questionnaire(f)
    return f.problems, f.warnings


def build(doc: safe_yaml.Document, path: str = "") -> Questionnaire:
    f = Fields(doc)
    result = read_questionnaire(f)
    if f.problems or result is None:
        raise InputProblems(f.problems or [Problem(doc.file, "not a questionnaire")])
    object.__setattr__(result, "path", path)
    return result


def read_questionnaire(f: Fields) -> Optional[Questionnaire]:
    """Walk the document once, building the model and collecting every problem in `f`."""
    raw = f.doc.data
    top = f.mapping(raw, (), TOP_KEYS, OPTIONAL_TOP_KEYS)
    if top is None:
        return None
    canonical = canonical_json(raw)
    if SPREADSHEET_ESCAPE.search(canonical):  # one quick search; only then find each text and its place
        _escapes(f, raw, ())
    if "format" in top and top["format"] != FORMAT:
        f.error(("format",), f"format {top['format']!r} is not supported; this tool reads format {FORMAT}")
    qid = f.text(top, "id", (), pattern=ID, what="questionnaire id (lower case letters, digits and -)")
    version = f.text(top, "version", (), pattern=VERSION, what="version (MAJOR.MINOR.PATCH)")
    title = f.text(top, "title", ())
    description = f.text(top, "description", (), default="") if "description" in top else ""
    sources = _sources(f, top)
    # questions first: everything else refers to them
    f.all_question_ids = {
        q.get("id") for s in (top.get("sections") if isinstance(top.get("sections"), list) else [])
        if isinstance(s, dict) and isinstance(s.get("questions"), list)
        for q in s["questions"] if isinstance(q, dict) and isinstance(q.get("id"), str)
    }
    _named_conditions(f, top)
    sections = read_sections(f, top)
    _check_named(f)
    scoring = read_scoring(f, top.get("scoring")) if "scoring" in top else None
    barriers = read_barriers(f, top)
    checks = read_checks(f, top)
    risks = read_risks(f, top, scoring, {b.id for b in barriers}, checks)
    atrs = None
    if "atrs" in top:  # the ATRS standard and its model are imported only for a questionnaire that maps to it
        from risk_cli.catalogue.read_atrs import read_atrs

        atrs = read_atrs(f, top, checks, scoring)
    if scoring is None or f.problems:
        return None
    result = Questionnaire(
        id=qid, version=version, title=title, description=description, sources=sources,
        scoring=scoring, sections=tuple(sections), risks=tuple(risks), barriers=tuple(barriers),
        checks=tuple(checks), atrs=atrs, sha256=content_hash(raw, canonical),
    )
    lint(f, result)
    return None if f.problems else result


def _escapes(f: Fields, raw: Any, path: Path_) -> None:
    """Every text in the file (questions, help, choices, risks, actions, ids) can reach a
    spreadsheet, so none may hold an escape such as _x0041_, which Excel shows as "A"."""
    if isinstance(raw, str):
        message = escape_problem(raw, "the text")
        if message:
            f.error(path, message)
    elif isinstance(raw, dict):
        for key, value in raw.items():
            _escapes(f, value, path + (key,))
    elif isinstance(raw, list):
        for i, value in enumerate(raw):
            _escapes(f, value, path + (i,))


def _sources(f: Fields, top: dict) -> dict[str, Source]:
    raw = top.get("sources")
    if "sources" in top and not isinstance(raw, dict):
        f.error(("sources",), "'sources' must be a mapping of source id to {title, url}")
        return {}
    out: dict[str, Source] = {}
    for sid, item in (raw or {}).items():
        path = ("sources", sid)
        if not ID.match(str(sid)):
            f.error(path, f"'{sid}' is not a valid source id (lower case letters, digits and -)")
        m = f.mapping(item, path, ("title",), ("url",))
        if m is None:
            continue
        out[sid] = Source(sid, f.text(m, "title", path), f.text(m, "url", path, default=""))
    f.source_ids = set(out)
    return out


def _named_conditions(f: Fields, top: dict) -> None:
    """`conditions:`, a name for each compound condition used in several places. Each may use the
    names defined above it, so there are no cycles. Their tests are checked once the questions
    are read (`_check_named`)."""
    raw = top.get("conditions")
    if raw is None:
        return
    if not isinstance(raw, dict) or not raw:
        f.error(("conditions",), "'conditions' must be a mapping of name to condition")
        return
    for name, cond in raw.items():
        path = ("conditions", name)
        if not isinstance(name, str) or not NAME.match(name):
            f.error(path, f"'{name}' is not a valid condition name (lower case letters, digits and _)")
            continue
        errors: list[tuple[Path_, str]] = []
        parsed = conditions.parse(cond, path, errors, f.named)
        for p, message in errors:
            f.error(p, message)
        if parsed is None:
            continue
        f.named[name] = parsed  # kept even when too big, so rules using it are not told it is unknown
        if f.refuse_if_too_big(parsed, path):  # refused here; a rule or name built on it is refused quietly
            f.too_big.add(name)


def _check_named(f: Fields) -> None:
    for name, cond in f.named.items():
        for test in conditions.tests(cond, into_named=False):
            f.check_test(test, ("conditions", name), earlier_only=False)
