"""Reading a format-2 questionnaire of the points model (`format: 2`, `model: points`) into
`model.points.PointsQuestionnaire`, every problem with its line, column and path, as format 1 is.

Ids may hold hyphens and capitals (`riskProfile1`, `item-3`), as surveys converted from SurveyJS
keep their names. Conditions are the format-1 conditions; in this model a condition may only name
a question asked before it, and an unanswered question never makes it hold.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Callable, Optional

from risk_cli import safe_yaml
from risk_cli.catalogue.header import FORMAT_2 as FORMAT
from risk_cli.catalogue.fields import VERSION, Fields, Path_
from risk_cli.errors import InputProblems, Problem
from risk_cli.model import conditions
from risk_cli.model.answers import SPREADSHEET_ESCAPE
from risk_cli.model.points import (
    Adjustment, Level, PointsChoice, PointsQuestion, PointsQuestionnaire, PointsSection, Text, Total,
)

TOP_KEYS = ("format", "model", "id", "version", "title", "totals", "score", "levels", "sections")
OPTIONAL_TOP_KEYS = ("description", "adjustments", "languages")
MODELS = ("points", "rated")
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*$")
LANG = re.compile(r"[a-z]{2}$")
TYPES = ("choice", "multi", "text")
OPS_BY_TYPE = {"choice": ("equals", "in", "answered"), "multi": ("includes", "includes_any", "answered"),
               "text": ("answered",)}
ROUNDING = ("half_up", "none")


def load(path: Path | str, reader: Optional[Callable[[Fields], Any]] = None) -> PointsQuestionnaire:
    """`reader`: another format-2 model's `read` (the rated model's); this model's by default."""
    result = load_document(safe_yaml.load(path), reader)
    object.__setattr__(result, "path", str(path))
    return result


def load_document(doc: safe_yaml.Document, reader: Optional[Callable[[Fields], Any]] = None) -> PointsQuestionnaire:
    f = Fields(doc)
    result = (reader or read)(f)
    if f.problems or result is None:
        raise InputProblems(f.problems or [Problem(doc.file, "not a questionnaire")])
    return result


def validate(doc: safe_yaml.Document, reader: Optional[Callable[[Fields], Any]] = None) -> tuple[list[Problem], list[Problem]]:
    f = Fields(doc)
    (reader or read)(f)
    return f.problems, f.warnings


def text(f: Fields, raw: dict, key: str, path: Path_, required: bool = True) -> Text:
    """Plain text, or `{en: ..., fr: ...}`: a language code to text, `en` required."""
    if key not in raw:
        if required:
            f.error(path, f"missing required key '{key}'")
        return ""
    value = raw[key]
    if isinstance(value, dict):
        texts = getattr(f, "texts", None)
        if texts is not None:
            texts.append((path + (key,), value))
        if "en" not in value:
            f.error(path + (key,), "text in several languages needs 'en'")
        out = {}
        for lang, t in value.items():
            if not isinstance(lang, str) or not LANG.match(lang):
                f.error(path + (key, lang), f"'{lang}' is not a two-letter language code")
            elif not isinstance(t, str) or not t.strip():
                f.error(path + (key, lang), "must be non-empty text")
            else:
                _escape(f, t, path + (key, lang))
                out[lang] = t
        return out
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        f.error(path + (key,), f"'{key}' must be non-empty text or {{en: ..., fr: ...}}")
        return ""
    _escape(f, value, path + (key,))
    return value


def _escape(f: Fields, value: str, path: Path_) -> None:
    if SPREADSHEET_ESCAPE.search(value):
        f.error(path, "the text holds a spreadsheet escape (such as _x0041_), which Excel would show as another character")


def _id(f: Fields, raw: dict, path: Path_, kind: str) -> str:
    value = raw.get("id")
    if "id" not in raw:
        return ""
    if not isinstance(value, str) or not ID.match(value):
        f.error(path + ("id",), f"'{value}' is not a valid {kind} id (letters, digits, '_', '.' and '-')")
        return ""
    return value


def _share(f: Fields, raw: dict, key: str, path: Path_, required: bool = True) -> Optional[float]:
    if key not in raw:
        if required:
            f.error(path, f"missing required key '{key}'")
        return None
    value = f.number(raw, key, path)
    if value is not None and not 0 <= value <= 1:
        f.error(path + (key,), f"'{key}' is {value}; a share is from 0 to 1")
        return None
    return value


def read(f: Fields) -> Optional[PointsQuestionnaire]:
    raw = f.doc.data
    top = f.mapping(raw, (), TOP_KEYS, OPTIONAL_TOP_KEYS)
    if top is None:
        return None
    if top.get("format") != FORMAT:
        f.error(("format",), f"format {top.get('format')!r}: this reader reads format {FORMAT}")
    if "model" in top and top["model"] not in MODELS:
        f.error(("model",), f"unknown model {top['model']!r} (format 2 models: {', '.join(MODELS)})")
    qid = f.text(top, "id", (), pattern=re.compile(r"[a-z0-9][a-z0-9-]*$"),
                 what="questionnaire id (lower case letters, digits and -)")
    version = f.text(top, "version", (), pattern=VERSION, what="version (MAJOR.MINOR.PATCH)")
    f.texts = []  # type: ignore[attr-defined]  # every text mapping and its path, for _languages
    title = text(f, top, "title", ())
    description = text(f, top, "description", (), required=False)
    totals = _totals(f, top)
    total_ids = {t.id for t in totals}
    score_total = top.get("score")
    if "score" in top and score_total not in total_ids:
        f.error(("score",), f"'score' names the total that is the score; {score_total!r} is not one of the totals "
                            f"({', '.join(sorted(total_ids)) or 'none'})")
    adjustments = _adjustments(f, top, total_ids)
    levels = _levels(f, top)
    sections, questions = _sections(f, top, total_ids)
    languages = _languages(f, top, f.texts)  # type: ignore[attr-defined]
    if f.problems:
        return None
    return PointsQuestionnaire(
        id=qid, version=version, title=title, totals=tuple(totals), score_total=str(score_total),
        adjustments=tuple(adjustments), levels=tuple(levels), sections=tuple(sections),
        questions=tuple(questions), description=description, sha256=_content_hash(raw),
        languages=languages)


def _languages(f: Fields, top: dict, texts: list[tuple[Path_, dict]]) -> tuple[str, ...]:
    """The languages the questionnaire offers, its default first: `languages:` as declared (each a
    two-letter code, once, `en` among them since the tool's own words are English), or else those
    its texts use, English first. A text mapping may use only declared languages; a declared
    language a translated text leaves out is a warning (the text is shown in English there)."""
    used = {lang for _, t in texts for lang in t if isinstance(lang, str) and LANG.match(lang)}
    if "languages" not in top:
        return ("en",) + tuple(sorted(used - {"en"}))
    raw = top["languages"]
    if not isinstance(raw, list) or not raw:
        f.error(("languages",), "'languages' is a list of two-letter language codes, the default first: [en, fr]")
        return ("en",)
    declared: list[str] = []
    for i, code in enumerate(raw):
        if not isinstance(code, str) or not LANG.match(code):
            f.error(("languages", i), f"'{code}' is not a two-letter language code (such as en, fr, cy)")
        elif code in declared:
            f.error(("languages", i), f"'{code}' is given twice")
        else:
            declared.append(code)
    if declared and "en" not in declared:
        f.error(("languages",), f"'languages' must include en (the tool's own words are English); "
                                f"it gives {', '.join(declared)}")
    if not declared:
        return ("en",)
    offered = ", ".join(declared)
    for path, t in texts:
        codes = [c for c in t if isinstance(c, str) and LANG.match(c)]
        for code in codes:
            if code not in declared:
                f.error(path + (code,), f"language '{code}' is not one of the questionnaire's languages ({offered})")
        missing = [c for c in declared if c not in t]
        if missing and len(codes) > 1:
            f.warn(path, f"no {', '.join(missing)} text (declared in 'languages'): shown in English there")
    return tuple(declared)


def _content_hash(raw: Any) -> str:
    """As format 1's: the SHA-256 of the parsed content as canonical JSON."""
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _totals(f: Fields, top: dict) -> list[Total]:
    out: list[Total] = []
    seen: dict[str, Path_] = {}
    for p, item in f.items(top, "totals", ()):
        m = f.mapping(item, p, ("id", "label"), ("max_divisor", "max"))
        if m is None:
            continue
        tid = _id(f, m, p, "total")
        f.unique(seen, tid, p + ("id",), "total")
        divisor = f.number(m, "max_divisor", p)
        if divisor is not None and divisor <= 0:
            f.error(p + ("max_divisor",), "'max_divisor' must be more than 0")
        maximum = f.number(m, "max", p)
        if maximum is not None and maximum <= 0:
            f.error(p + ("max",), "'max' must be more than 0")
        if divisor is not None and maximum is not None:
            f.error(p, "give 'max_divisor' or 'max', not both")
        out.append(Total(tid, text(f, m, "label", p), divisor, maximum))
    return out


def _adjustments(f: Fields, top: dict, total_ids: set[str]) -> list[Adjustment]:
    out: list[Adjustment] = []
    for p, item in f.items(top, "adjustments", (), required=False):
        m = f.mapping(item, p, ("when_total", "at_least_share", "then"))
        if m is None:
            continue
        if "when_total" in m and m["when_total"] not in total_ids:
            f.error(p + ("when_total",), f"unknown total {m['when_total']!r}")
        share = _share(f, m, "at_least_share", p)
        then = f.mapping(m.get("then"), p + ("then",), ("total", "multiply"), ("round",)) if "then" in m else None
        if then is None:
            continue
        tp = p + ("then",)
        if "total" in then and then["total"] not in total_ids:
            f.error(tp + ("total",), f"unknown total {then['total']!r}")
        multiply = f.number(then, "multiply", tp)
        rounding = then.get("round", "half_up")
        if rounding not in ROUNDING:
            f.error(tp + ("round",), f"unknown rounding {rounding!r} (allowed: {', '.join(ROUNDING)})")
        if share is not None and multiply is not None:
            out.append(Adjustment(str(m.get("when_total")), share, str(then.get("total")), multiply, str(rounding)))
    return out


def _levels(f: Fields, top: dict) -> list[Level]:
    out: list[Level] = []
    seen: dict[str, Path_] = {}
    entries = f.items(top, "levels", ())
    last = None
    for i, (p, item) in enumerate(entries):
        m = f.mapping(item, p, ("id", "label"), ("up_to_share",))
        if m is None:
            continue
        lid = _id(f, m, p, "level")
        f.unique(seen, lid, p + ("id",), "level")
        share = _share(f, m, "up_to_share", p, required=i < len(entries) - 1)
        if share is not None and last is not None and share <= last:
            f.error(p + ("up_to_share",), f"levels go up: {share} is not above the level before ({last})")
        last = share if share is not None else last
        out.append(Level(lid, text(f, m, "label", p), share))
    return out


def _sections(f: Fields, top: dict, total_ids: set[str]) -> tuple[list[PointsSection], list[PointsQuestion]]:
    sections: list[PointsSection] = []
    questions: list[PointsQuestion] = []
    by_id: dict[str, PointsQuestion] = {}
    seen_s: dict[str, Path_] = {}
    seen_q: dict[str, Path_] = {}
    for sp, item in f.items(top, "sections", ()):
        s = f.mapping(item, sp, ("id", "title", "questions"), ("when", "total", "description"))
        if s is None:
            continue
        sid = _id(f, s, sp, "section")
        f.unique(seen_s, sid, sp + ("id",), "section")
        section_total = _total_ref(f, s, sp, total_ids)
        when = _condition(f, s, sp, by_id)
        ids = []
        for qp, qitem in f.items(s, "questions", sp):
            q = f.mapping(qitem, qp, ("id", "type", "text"), ("help", "choices", "when", "total"))
            if q is None:
                continue
            qid = _id(f, q, qp, "question")
            f.unique(seen_q, qid, qp + ("id",), "question")
            qtype = q.get("type")
            if "type" in q and qtype not in TYPES:
                f.error(qp + ("type",), f"unknown question type {qtype!r} (points model: {', '.join(TYPES)})")
            total = _total_ref(f, q, qp, total_ids) or section_total
            qwhen = _condition(f, q, qp, by_id)
            choices = _choices(f, q, qp, qtype)
            if qtype == "text" and "total" in q:
                f.error(qp + ("total",), "a text question has no points to feed a total")
            question = PointsQuestion(qid, str(qtype), text(f, q, "text", qp), sid, text(f, q, "help", qp, False),
                                      total if qtype in ("choice", "multi") else None, qwhen, tuple(choices))
            questions.append(question)
            if qid and qid not in by_id:
                by_id[qid] = question
                ids.append(qid)
        sections.append(PointsSection(sid, text(f, s, "title", sp), when, tuple(ids)))
    return sections, questions


def _total_ref(f: Fields, raw: dict, path: Path_, total_ids: set[str]) -> Optional[str]:
    if "total" not in raw:
        return None
    value = raw["total"]
    if value not in total_ids:
        f.error(path + ("total",), f"unknown total {value!r} (totals: {', '.join(sorted(total_ids)) or 'none'})")
        return None
    return value


def _choices(f: Fields, q: dict, qp: Path_, qtype: Any) -> list[PointsChoice]:
    if qtype == "text":
        if "choices" in q:
            f.error(qp + ("choices",), "a text question has no choices")
        return []
    if "choices" not in q:
        if qtype in ("choice", "multi"):
            f.error(qp, "missing required key 'choices'")
        return []
    out: list[PointsChoice] = []
    seen: dict[str, Path_] = {}
    for cp, citem in f.items(q, "choices", qp):
        c = f.mapping(citem, cp, ("id", "label"), ("points",))
        if c is None:
            continue
        cid = _id(f, c, cp, "choice")
        f.unique(seen, cid, cp + ("id",), "choice")
        points = f.integer(c, "points", cp, -1000, 1000, default=0)
        out.append(PointsChoice(cid, text(f, c, "label", cp), points))
    return out


def _condition(f: Fields, raw: dict, path: Path_, earlier: dict[str, PointsQuestion], key: str = "when",
               unknown: str = "which is not a question asked before this one") -> Optional[conditions.Condition]:
    """The condition under `key` (the rated model also reads `raised_when`, naming any question)."""
    if key not in raw:
        return None
    errors: list[tuple[tuple, str]] = []
    cond = conditions.parse(raw[key], path + (key,), errors)
    for p, message in errors:
        f.error(p, message)
    if cond is None:
        return None
    for test in conditions.tests(cond):
        q = earlier.get(test.question)
        where = path + (key,)
        if q is None:
            f.error(where, f"the condition names {test.question!r}, {unknown}")
            continue
        if test.op not in OPS_BY_TYPE.get(q.type, ()):
            f.error(where, f"'{test.op}' does not apply to {q.type} question {q.id!r} "
                           f"(it takes {', '.join(OPS_BY_TYPE.get(q.type, ()))})")
            continue
        values = test.value if isinstance(test.value, tuple) else (test.value,)
        if test.op != "answered":
            for v in values:
                if q.choice(str(v)) is None:
                    f.error(where, f"{q.id!r} has no choice {v!r}")
    return cond
