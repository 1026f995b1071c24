"""Load a questionnaire YAML file into the model, reporting every problem with its place.

`load()` returns a `Questionnaire` or raises `InputProblems` listing all that is wrong,
each with the file, line and path inside the file (`sections[2].questions[4].choices[1]`).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from pathlib import Path
from typing import Any, Optional

from risk_cli import safe_yaml
from risk_cli.model import conditions
from risk_cli.model.answers import SPREADSHEET_ESCAPE, escape_problem
from risk_cli.model.conditions import DONT_KNOW, Condition
from risk_cli.errors import InputProblems, Problem
from risk_cli.model.questionnaire import (
    CHOICE_TYPES, PHASES, PRIORITIES, QUESTION_TYPES, REDUCES, YESNO_CHOICES, Action,
    AppetiteLevel, Band, Barrier, Category, Check, Choice, Control, Factor, Question,
    Questionnaire, Risk, ScaleLevel, ScoreRule, Scoring, Section, Source, TierLevel, TierRule,
)

FORMAT = 1
POSSIBLE_SCORES = sorted({l * i for l in range(1, 6) for i in range(1, 6)})

_ID = re.compile(r"[a-z0-9][a-z0-9-]*$")
_QID = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
_CHOICE_ID = re.compile(r"[a-z0-9][a-z0-9_]*$")
_RISK_ID = re.compile(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-[0-9]{3}$")
_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
_COLOUR = re.compile(r"[0-9A-Fa-f]{6}$")

Path_ = tuple


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
    reader = _Reader(doc)
    reader.questionnaire()
    return reader.problems, reader.warnings


def build(doc: safe_yaml.Document, path: str = "") -> Questionnaire:
    reader = _Reader(doc)
    result = reader.questionnaire()
    if reader.problems or result is None:
        raise InputProblems(reader.problems or [Problem(doc.file, "not a questionnaire")])
    object.__setattr__(result, "path", path)
    return result


class _Reader:
    """Walks the document once, building the model and collecting every problem."""

    def __init__(self, doc: safe_yaml.Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.questions: dict[str, Question] = {}
        self.source_ids: set[str] = set()

    # -- small typed getters -------------------------------------------------------------
    def error(self, path: Path_, message: str) -> None:
        self.problems.append(self.doc.problem(path, message))

    def mapping(self, raw: Any, path: Path_, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> Optional[dict]:
        if not isinstance(raw, dict):
            self.error(path, f"expected a mapping with keys {', '.join(required + optional)}")
            return None
        allowed = required + optional
        for key in raw:
            if key not in allowed:
                self.error(path + (key,), f"unknown key '{key}' (allowed: {', '.join(allowed)})")
        for key in required:
            if key not in raw:
                self.error(path, f"missing required key '{key}'")
        return raw

    def text(self, raw: dict, key: str, path: Path_, default: Optional[str] = None, pattern: Optional[re.Pattern] = None, what: str = "") -> str:
        if key not in raw:
            return default if default is not None else ""
        value = raw[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool) and pattern is None:
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.error(path + (key,), f"'{key}' must be non-empty text")
            return ""
        if pattern is not None and not pattern.match(value):
            self.error(path + (key,), f"'{value}' is not a valid {what or key}")
        return value

    def integer(self, raw: dict, key: str, path: Path_, low: int, high: int, default: Optional[int] = None) -> int:
        if key not in raw:
            return default if default is not None else low
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path + (key,), f"'{key}' must be a whole number from {low} to {high}")
            return low
        if not low <= value <= high:
            self.error(path + (key,), f"'{key}' is {value}; it must be from {low} to {high}")
            return max(low, min(high, value))
        return value

    def number(self, raw: dict, key: str, path: Path_) -> Optional[float]:
        if key not in raw:
            return None
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(path + (key,), f"'{key}' must be a number")
            return None
        return value

    def flag(self, raw: dict, key: str, path: Path_, default: bool) -> bool:
        value = raw.get(key, default)
        if not isinstance(value, bool):
            self.error(path + (key,), f"'{key}' must be true or false")
            return default
        return value

    def items(self, raw: Any, key: str, path: Path_, required: bool = True) -> list[tuple[Path_, Any]]:
        value = raw.get(key) if isinstance(raw, dict) else None
        if value is None:
            if required and isinstance(raw, dict) and key in raw:
                self.error(path + (key,), f"'{key}' must be a non-empty list")
            return []
        if not isinstance(value, list) or (required and not value):
            self.error(path + (key,), f"'{key}' must be a{' non-empty' if required else ''} list")
            return []
        return [(path + (key, i), item) for i, item in enumerate(value)]

    def strings(self, raw: dict, key: str, path: Path_, required: bool = False) -> tuple[str, ...]:
        out = []
        for p, item in self.items(raw, key, path, required=required):
            if not isinstance(item, str) or not item.strip():
                self.error(p, "must be non-empty text")
            else:
                out.append(item)
        return tuple(out)

    def unique(self, seen: dict[str, Path_], value: str, path: Path_, kind: str) -> None:
        if not value:
            return
        if value in seen:
            self.error(path, f"duplicate {kind} id '{value}' (first at {safe_yaml.format_path(seen[value])})")
        else:
            seen[value] = path

    # -- conditions ----------------------------------------------------------------------
    def condition(self, raw: dict, key: str, path: Path_, earlier_only: bool = False) -> Optional[Condition]:
        if key not in raw:
            return None
        errors: list[tuple[Path_, str]] = []
        cond = conditions.parse(raw[key], path + (key,), errors)
        for p, message in errors:
            self.error(p, message)
        if cond is None:
            return None
        for test in conditions.tests(cond):
            self.check_test(test, path + (key,), earlier_only)
        return cond

    def check_test(self, test: conditions.Test, path: Path_, earlier_only: bool) -> None:
        q = self.questions.get(test.question)
        if q is None:
            where = "an earlier question" if earlier_only else "a question"
            if earlier_only and test.question in self.all_question_ids:
                self.error(path, f"condition names question '{test.question}', which is asked later; a condition may only name {where}")
            else:
                self.error(path, f"condition names unknown question '{test.question}'")
            return
        op, value = test.op, test.value
        if op == "answered":
            return
        kind = q.type
        allowed_ops = {
            "choice": ("equals", "in"), "yesno": ("equals", "in"),
            "multi": ("includes", "includes_any"),
            "number": ("equals", "at_least", "at_most"),
            "text": ("equals",), "date": ("equals",),
        }.get(kind)
        if allowed_ops is None:
            return  # the question's own type is reported where it is defined
        if op not in allowed_ops:
            self.error(path, f"'{op}' does not apply to {kind} question '{q.id}' (use {', '.join(allowed_ops + ('answered',))})")
            return
        if kind in CHOICE_TYPES:
            for v in (value if isinstance(value, tuple) else (value,)):
                if v not in q.choice_ids:
                    self.error(path, f"condition names unknown choice '{v}' of question '{q.id}' (choices: {', '.join(q.choice_ids)})")
                elif v == DONT_KNOW:
                    self.error(path, f"a condition cannot test for '{DONT_KNOW}': unknown answers are handled by the three-valued rules")
        elif kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
            self.error(path, f"question '{q.id}' takes numbers; '{value}' is not one")

    # -- the document --------------------------------------------------------------------
    def questionnaire(self) -> Optional[Questionnaire]:
        raw = self.doc.data
        top = self.mapping(raw, (), ("format", "id", "version", "title", "sources", "scoring", "sections", "risks"),
                           ("description", "barriers", "checks"))
        if top is None:
            return None
        canonical = canonical_json(raw)
        if SPREADSHEET_ESCAPE.search(canonical):  # one quick search; only then find each text and its place
            self.escapes(raw, ())
        if "format" in top and top["format"] != FORMAT:
            self.error(("format",), f"format {top['format']!r} is not supported; this tool reads format {FORMAT}")
        qid = self.text(top, "id", (), pattern=_ID, what="questionnaire id (lower case letters, digits and -)")
        version = self.text(top, "version", (), pattern=_VERSION, what="version (MAJOR.MINOR.PATCH)")
        title = self.text(top, "title", ())
        description = self.text(top, "description", (), default="") if "description" in top else ""
        sources = self.sources(top)
        # questions first: everything else refers to them
        self.all_question_ids = {
            q.get("id") for s in (top.get("sections") if isinstance(top.get("sections"), list) else [])
            if isinstance(s, dict) and isinstance(s.get("questions"), list)
            for q in s["questions"] if isinstance(q, dict) and isinstance(q.get("id"), str)
        }
        scoring_raw = top.get("scoring")
        sections = self.sections(top)
        scoring = self.scoring(scoring_raw) if "scoring" in top else None
        barriers = self.barriers(top)
        checks = self.checks(top)
        risks = self.risks(top, scoring, {b.id for b in barriers}, checks)
        if scoring is None or self.problems:
            return None
        result = Questionnaire(
            id=qid, version=version, title=title, description=description, sources=sources,
            scoring=scoring, sections=tuple(sections), risks=tuple(risks), barriers=tuple(barriers),
            checks=tuple(checks), sha256=content_hash(raw, canonical),
        )
        self.reachability(result)
        self.unused_questions(result)
        return None if self.problems else result

    def escapes(self, raw: Any, path: Path_) -> None:
        """Every text in the file (questions, help, choices, risks, actions, ids) can reach a
        spreadsheet, so none may hold an escape such as _x0041_, which Excel shows as "A"."""
        if isinstance(raw, str):
            message = escape_problem(raw, "the text")
            if message:
                self.error(path, message)
        elif isinstance(raw, dict):
            for key, value in raw.items():
                self.escapes(value, path + (key,))
        elif isinstance(raw, list):
            for i, value in enumerate(raw):
                self.escapes(value, path + (i,))

    def sources(self, top: dict) -> dict[str, Source]:
        raw = top.get("sources")
        if "sources" in top and not isinstance(raw, dict):
            self.error(("sources",), "'sources' must be a mapping of source id to {title, url}")
            return {}
        out: dict[str, Source] = {}
        for sid, item in (raw or {}).items():
            path = ("sources", sid)
            if not _ID.match(str(sid)):
                self.error(path, f"'{sid}' is not a valid source id (lower case letters, digits and -)")
            m = self.mapping(item, path, ("title",), ("url",))
            if m is None:
                continue
            out[sid] = Source(sid, self.text(m, "title", path), self.text(m, "url", path, default=""))
        self.source_ids = set(out)
        return out

    def source_ref(self, value: str, path: Path_) -> None:
        if value and value not in self.source_ids:
            self.error(path, f"unknown source '{value}' (not in sources)")

    def scoring(self, raw: Any) -> Optional[Scoring]:
        path: Path_ = ("scoring",)
        m = self.mapping(raw, path, ("likelihood", "impact", "ratings", "appetite_levels", "categories", "tiers"))
        if m is None:
            return None
        scales = {name: self.scale(m, name, path) for name in ("likelihood", "impact")}
        bands = self.bands(m, path)
        appetite_levels: list[AppetiteLevel] = []
        seen: dict[str, Path_] = {}
        for p, item in self.items(m, "appetite_levels", path):
            a = self.mapping(item, p, ("id", "label", "max_score"))
            if a is None:
                continue
            level = AppetiteLevel(self.text(a, "id", p, pattern=_CHOICE_ID, what="id"), self.text(a, "label", p),
                                  self.integer(a, "max_score", p, 1, 25))
            self.unique(seen, level.id, p + ("id",), "appetite level")
            if appetite_levels and level.max_score <= appetite_levels[-1].max_score:
                self.error(p + ("max_score",), "appetite levels must be in increasing order of max_score")
            appetite_levels.append(level)
        categories: list[Category] = []
        seen = {}
        for p, item in self.items(m, "categories", path):
            c = self.mapping(item, p, ("id", "label", "appetite"))
            if c is None:
                continue
            cat = Category(self.text(c, "id", p, pattern=_CHOICE_ID, what="id"), self.text(c, "label", p), self.text(c, "appetite", p))
            self.unique(seen, cat.id, p + ("id",), "category")
            if cat.appetite and cat.appetite not in {a.id for a in appetite_levels}:
                self.error(p + ("appetite",), f"unknown appetite level '{cat.appetite}'")
            categories.append(cat)
        self.rating_ids = [b.id for b in bands]
        tier_levels, tier_rules = self.tiers(m.get("tiers"), path + ("tiers",))
        if "tiers" not in m:
            return None
        return Scoring(scales["likelihood"], scales["impact"], tuple(bands), tuple(appetite_levels),
                       tuple(categories), tuple(tier_levels), tuple(tier_rules))

    def scale(self, m: dict, name: str, path: Path_) -> tuple[ScaleLevel, ...]:
        levels = []
        entries = self.items(m, name, path)
        if entries and len(entries) != 5:
            self.error(path + (name,), f"'{name}' must have exactly five levels (it has {len(entries)})")
        for i, (p, item) in enumerate(entries):
            s = self.mapping(item, p, ("value", "label"), ("description",))
            if s is None:
                continue
            value = self.integer(s, "value", p, 1, 5)
            if value != i + 1:
                self.error(p + ("value",), f"levels must be 1 to 5 in order; expected {i + 1}")
            levels.append(ScaleLevel(value, self.text(s, "label", p), self.text(s, "description", p, default="")))
        return tuple(levels)

    def bands(self, m: dict, path: Path_) -> list[Band]:
        bands: list[Band] = []
        seen: dict[str, Path_] = {}
        for p, item in self.items(m, "ratings", path):
            b = self.mapping(item, p, ("id", "label", "min", "max", "colour"))
            if b is None:
                continue
            band = Band(self.text(b, "id", p, pattern=_CHOICE_ID, what="id"), self.text(b, "label", p),
                        self.integer(b, "min", p, 1, 25), self.integer(b, "max", p, 1, 25),
                        self.text(b, "colour", p, pattern=_COLOUR, what="colour (six hex digits, e.g. FFC000)").upper())
            self.unique(seen, band.id, p + ("id",), "rating")
            if band.min > band.max:
                self.error(p, f"min {band.min} is above max {band.max}")
            if bands and band.min <= bands[-1].max:
                self.error(p + ("min",), "rating bands must be in increasing order without overlap")
            bands.append(band)
        if bands:
            for score in POSSIBLE_SCORES:
                holders = [b.id for b in bands if b.min <= score <= b.max]
                if len(holders) != 1:
                    self.error(path + ("ratings",), f"score {score} is in {len(holders)} rating bands; it must be in exactly one")
        return bands

    def tiers(self, raw: Any, path: Path_) -> tuple[list[TierLevel], list[TierRule]]:
        m = self.mapping(raw, path, ("levels", "rules"))
        levels: list[TierLevel] = []
        rules: list[TierRule] = []
        if m is None:
            return levels, rules
        for i, (p, item) in enumerate(self.items(m, "levels", path)):
            t = self.mapping(item, p, ("level", "label", "approver", "assessments", "review_months"))
            if t is None:
                continue
            level = self.integer(t, "level", p, 1, 9)
            if level != i + 1:
                self.error(p + ("level",), f"tier levels must be consecutive from 1; expected {i + 1}")
            levels.append(TierLevel(level, self.text(t, "label", p), self.text(t, "approver", p),
                                    self.strings(t, "assessments", p, required=True), self.integer(t, "review_months", p, 1, 60)))
        for p, item in self.items(m, "rules", path, required=False):
            r = self.mapping(item, p, ("level", "because"), ("when", "residual_at_least", "count", "appetite_breaches_at_least"))
            if r is None:
                continue
            rule = TierRule(
                level=self.integer(r, "level", p, 1, max(1, len(levels))),
                because=self.text(r, "because", p),
                when=self.condition(r, "when", p),
                residual_at_least=self.text(r, "residual_at_least", p) or None if "residual_at_least" in r else None,
                count=self.integer(r, "count", p, 1, 1000, default=1),
                appetite_breaches_at_least=self.integer(r, "appetite_breaches_at_least", p, 1, 1000) if "appetite_breaches_at_least" in r else None,
            )
            if rule.residual_at_least and rule.residual_at_least not in self.rating_ids:
                self.error(p + ("residual_at_least",), f"unknown rating '{rule.residual_at_least}' (ratings: {', '.join(self.rating_ids)})")
            if "count" in r and "residual_at_least" not in r:
                self.error(p + ("count",), "'count' goes with 'residual_at_least'")
            if not any(k in r for k in ("when", "residual_at_least", "appetite_breaches_at_least")):
                self.error(p, "a tier rule needs at least one of when, residual_at_least, appetite_breaches_at_least")
            rules.append(rule)
        return levels, rules

    def sections(self, top: dict) -> list[Section]:
        sections: list[Section] = []
        seen_sections: dict[str, Path_] = {}
        seen_questions: dict[str, Path_] = {}
        number = 0
        for si, (sp, item) in enumerate(self.items(top, "sections", ())):
            s = self.mapping(item, sp, ("id", "title", "questions"), ("description", "when"))
            if s is None:
                continue
            sid = self.text(s, "id", sp, pattern=_CHOICE_ID, what="section id")
            self.unique(seen_sections, sid, sp + ("id",), "section")
            if si == 0 and sid != "profile":
                self.error(sp + ("id",), "the first section must be the profile (id: profile)")
            when = self.condition(s, "when", sp, earlier_only=True)
            if si == 0 and when is not None:
                self.error(sp + ("when",), "the profile section is always asked; it cannot have a condition")
            questions = []
            for qp, qraw in self.items(s, "questions", sp):
                number += 1
                q = self.question(qraw, qp, sid, number)
                if q is None:
                    continue
                self.unique(seen_questions, q.id, qp + ("id",), "question")
                self.questions.setdefault(q.id, q)
                questions.append(q)
            sections.append(Section(sid, self.text(s, "title", sp), tuple(questions),
                                    self.text(s, "description", sp, default=""), when))
        if sections and sections[0].id == "profile":
            ids = {q.id: q for q in sections[0].questions}
            for needed in ("profile.name", "profile.organisation"):
                if needed not in ids:
                    self.error(("sections", 0, "questions"), f"the profile must ask '{needed}' (a text question)")
                elif ids[needed].type != "text":
                    self.error(("sections", 0, "questions"), f"'{needed}' must be a text question")
            if "profile.owner" in ids and ids["profile.owner"].type != "text":
                self.error(("sections", 0, "questions"), "'profile.owner' must be a text question")
            if "profile.phase" in ids:
                phase = ids["profile.phase"]
                if phase.type != "choice" or not set(phase.choice_ids) <= set(PHASES) | {DONT_KNOW}:
                    self.error(("sections", 0, "questions"), f"'profile.phase' must be a choice of {', '.join(PHASES)}")
        return sections

    def question(self, raw: Any, path: Path_, section: str, number: int) -> Optional[Question]:
        q = self.mapping(raw, path, ("id", "type", "text", "help", "sources"), ("choices", "when", "required", "min", "max"))
        if q is None:
            return None
        qid = self.text(q, "id", path, pattern=_QID, what="question id (lower case words joined by . or _)")
        kind = self.text(q, "type", path)
        if kind and kind not in QUESTION_TYPES:
            self.error(path + ("type",), f"unknown question type '{kind}' (types: {', '.join(QUESTION_TYPES)})")
        sources = self.strings(q, "sources", path, required=True)
        for i, sid in enumerate(sources):
            self.source_ref(sid, path + ("sources", i))
        choices: tuple[Choice, ...] = ()
        if kind in ("choice", "multi"):
            if "choices" not in q:
                self.error(path, f"a {kind} question needs 'choices'")
            choices = self.choices(q, path)
        elif "choices" in q:
            self.error(path + ("choices",), f"a {kind or 'question'} question has no choices" + (" (yes, no and dont_know are built in)" if kind == "yesno" else ""))
        if kind == "yesno":
            choices = YESNO_CHOICES
        for key in ("min", "max"):
            if key in q and kind != "number":
                self.error(path + (key,), f"'{key}' applies only to number questions")
        low, high = self.number(q, "min", path), self.number(q, "max", path)
        if low is not None and high is not None and low > high:
            self.error(path + ("min",), "min is above max")
        when = self.condition(q, "when", path, earlier_only=True)
        return Question(id=qid, type=kind, text=self.text(q, "text", path), help=self.text(q, "help", path),
                        sources=sources, section=section, number=number, choices=choices, when=when,
                        required=self.flag(q, "required", path, True), min=low, max=high)

    def choices(self, q: dict, path: Path_) -> tuple[Choice, ...]:
        out = []
        seen: dict[str, Path_] = {}
        entries = self.items(q, "choices", path)
        if entries and len(entries) < 2:
            self.error(path + ("choices",), "a question needs at least two choices")
        for p, item in entries:
            c = self.mapping(item, p, ("id", "label"), ("help", "exclusive"))
            if c is None:
                continue
            cid = self.text(c, "id", p, pattern=_CHOICE_ID, what="choice id (lower case letters, digits and _)")
            self.unique(seen, cid, p + ("id",), "choice")
            exclusive = self.flag(c, "exclusive", p, False) or cid == DONT_KNOW
            out.append(Choice(cid, self.text(c, "label", p), self.text(c, "help", p, default=""), exclusive))
        return tuple(out)

    def factor(self, raw: dict, key: str, path: Path_) -> Factor:
        p = path + (key,)
        f = self.mapping(raw.get(key), p, ("base",), ("add", "at_least")) if key in raw else None
        if f is None:
            return Factor(1)
        add = []
        for rp, r in self.items(f, "add", p, required=False):
            m = self.mapping(r, rp, ("when", "points", "because"))
            if m is not None:
                add.append(ScoreRule(self.condition(m, "when", rp), self.integer(m, "points", rp, 1, 4), self.text(m, "because", rp)))
        floors = []
        for rp, r in self.items(f, "at_least", p, required=False):
            m = self.mapping(r, rp, ("when", "value", "because"))
            if m is not None:
                floors.append(ScoreRule(self.condition(m, "when", rp), self.integer(m, "value", rp, 1, 5), self.text(m, "because", rp)))
        return Factor(self.integer(f, "base", p, 1, 5), tuple(add), tuple(floors))

    def barriers(self, top: dict) -> list[Barrier]:
        out = []
        seen: dict[str, Path_] = {}
        for p, item in self.items(top, "barriers", (), required=False):
            b = self.mapping(item, p, ("id", "title", "nao_share", "source"), ("nao_share_value", "when"))
            if b is None:
                continue
            barrier = Barrier(self.text(b, "id", p, pattern=_CHOICE_ID, what="barrier id"), self.text(b, "title", p),
                              self.text(b, "nao_share", p), self.text(b, "source", p), self.condition(b, "when", p),
                              self.number(b, "nao_share_value", p))
            self.unique(seen, barrier.id, p + ("id",), "barrier")
            self.source_ref(barrier.source, p + ("source",))
            if barrier.nao_share_value is not None and not 0 <= barrier.nao_share_value <= 100:
                self.error(p + ("nao_share_value",), "nao_share_value is a percentage from 0 to 100")
            out.append(barrier)
        return out

    def checks(self, top: dict) -> list[Check]:
        out = []
        seen: dict[str, Path_] = {}
        for p, item in self.items(top, "checks", (), required=False):
            c = self.mapping(item, p, ("id", "title", "basis", "source", "action"), ("when", "done_when"))
            if c is None:
                continue
            check = Check(self.text(c, "id", p, pattern=_CHOICE_ID, what="check id"), self.text(c, "title", p),
                          self.text(c, "basis", p), self.text(c, "source", p), self.text(c, "action", p),
                          self.condition(c, "when", p), self.condition(c, "done_when", p))
            self.unique(seen, check.id, p + ("id",), "check")
            self.source_ref(check.source, p + ("source",))
            out.append(check)
        return out

    def risks(self, top: dict, scoring: Optional[Scoring], barrier_ids: set[str], checks: list[Check]) -> list[Risk]:
        out = []
        seen: dict[str, Path_] = {}
        category_ids = {c.id for c in scoring.categories} if scoring else set()
        for p, item in self.items(top, "risks", ()):
            r = self.mapping(item, p, ("id", "category", "subcategory", "title", "description", "likelihood", "impact", "actions"),
                             ("owner", "barrier", "references", "when", "controls"))
            if r is None:
                continue
            rid = self.text(r, "id", p, pattern=_RISK_ID, what="risk id (such as AI-DAT-001)")
            self.unique(seen, rid, p + ("id",), "risk")
            category = self.text(r, "category", p)
            if scoring and category and category not in category_ids:
                self.error(p + ("category",), f"unknown category '{category}' (categories: {', '.join(sorted(category_ids))})")
            description = self.text(r, "description", p)
            low = " ".join(description.lower().split())
            if description and not (low.startswith("because") and "there is a risk that" in low and "resulting in" in low):
                self.error(p + ("description",), "write the description as cause, event, effect: 'Because ..., there is a risk that ..., resulting in ...'")
            barrier = self.text(r, "barrier", p, default="")
            if barrier and barrier not in barrier_ids:
                self.error(p + ("barrier",), f"unknown barrier '{barrier}'")
            controls = []
            for cp, c in self.items(r, "controls", p, required=False):
                m = self.mapping(c, cp, ("when", "text", "reduces", "by"))
                if m is None:
                    continue
                reduces = self.text(m, "reduces", cp)
                if reduces and reduces not in REDUCES:
                    self.error(cp + ("reduces",), f"'reduces' is one of {', '.join(REDUCES)}")
                when = self.condition(m, "when", cp)
                controls.append(Control(when, self.text(m, "text", cp), reduces, self.integer(m, "by", cp, 1, 2)))  # type: ignore[arg-type]
            actions = []
            for ap, a in self.items(r, "actions", p):
                if isinstance(a, dict) and "check" in a:
                    m = self.mapping(a, ap, ("check",), ("when",))
                    check = self.text(m, "check", ap) if m is not None else ""
                    found = next((c for c in checks if c.id == check), None)
                    if check and found is None:
                        self.error(ap + ("check",), f"unknown check '{check}'")
                    elif found is not None and m is not None:
                        actions.append(Action("must", found.action, found.source, self.condition(m, "when", ap), check))
                    continue
                m = self.mapping(a, ap, ("priority", "text", "source"), ("when",))
                if m is None:
                    continue
                priority = self.text(m, "priority", ap)
                if priority and priority not in PRIORITIES:
                    self.error(ap + ("priority",), f"priority is one of {', '.join(PRIORITIES)}")
                source = self.text(m, "source", ap)
                self.source_ref(source, ap + ("source",))
                actions.append(Action(priority, self.text(m, "text", ap), source, self.condition(m, "when", ap)))
            out.append(Risk(
                id=rid, category=category, subcategory=self.text(r, "subcategory", p), title=self.text(r, "title", p),
                description=description, likelihood=self.factor(r, "likelihood", p), impact=self.factor(r, "impact", p),
                actions=tuple(actions), controls=tuple(controls), when=self.condition(r, "when", p),
                owner=self.text(r, "owner", p, default=""), barrier=barrier, references=self.strings(r, "references", p),
            ))
        return out

    # -- whole-questionnaire checks ------------------------------------------------------
    def reachability(self, qn: Questionnaire) -> None:
        """A risk that no answers can raise is an error: it is dead content."""
        for i, risk in enumerate(qn.risks):
            if risk.when is not None and not _satisfiable(qn, risk.when):
                self.error(("risks", i, "when"), f"risk {risk.id} can never be raised: no answers satisfy its condition")

    def unused_questions(self, qn: Questionnaire) -> None:
        used: set[str] = set()
        conds: list[Optional[Condition]] = [s.when for s in qn.sections] + [q.when for q in qn.questions]
        conds += [b.when for b in qn.barriers] + [c.when for c in qn.checks] + [c.done_when for c in qn.checks]
        conds += [t.when for t in qn.scoring.tier_rules]
        for r in qn.risks:
            conds += [r.when] + [x.when for x in r.likelihood.add + r.likelihood.at_least + r.impact.add + r.impact.at_least]
            conds += [c.when for c in r.controls] + [a.when for a in r.actions]
        for cond in conds:
            used.update(t.question for t in conditions.tests(cond))
        for q in qn.questions:
            if q.id not in used and q.type not in ("text", "date"):
                self.warnings.append(Problem(self.doc.file, "is not used by any condition, risk, check, barrier or tier rule",
                                             where=f"question {q.id}"))


def _satisfiable(qn: Questionnaire, cond: Condition, limit: int = 4096) -> bool:
    """Try the answers that matter to `cond`; unknown counts as raising, as in scoring."""
    names = sorted({t.question for t in conditions.tests(cond)})
    options: list[list[Any]] = []
    for name in names:
        q = qn.by_id[name]
        vals: list[Any] = ["__not_asked__"]
        if q.type in ("choice", "yesno"):
            vals += list(q.choice_ids)
        elif q.type == "multi":
            vals += [[c] for c in q.choice_ids] + [list(q.choice_ids)]
        else:
            targets = [t.value for t in conditions.tests(cond) if t.question == name and t.op != "answered"]
            vals += targets + [t + 1 for t in targets if isinstance(t, (int, float))] + [t - 1 for t in targets if isinstance(t, (int, float))] + ["__other__"]
        if not q.required:
            vals.append(None)
        options.append(vals)
    combos = 1
    for vals in options:
        combos *= len(vals)
    if combos > limit:
        return True  # too many to try: assume reachable
    for combo in itertools.product(*options):
        asked = {n for n, v in zip(names, combo) if v != "__not_asked__"}
        values = {n: v for n, v in zip(names, combo) if v not in ("__not_asked__",)}
        if conditions.evaluate(cond, asked, values) is not False:
            return True
    return False
