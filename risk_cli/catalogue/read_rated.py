"""Reading a format-2 questionnaire of the rated model (`format: 2`, `model: rated`) into
`model.rated.RatedQuestionnaire`, every problem with its line, column and path.

Ids, text in several languages, sections, questions and conditions are read by read_points'
helpers, so both models read them alike; only ratings and risks are this model's own. A risk's
conditions may name any question of the file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional

from risk_cli import safe_yaml
from risk_cli.catalogue import header, read_points
from risk_cli.catalogue.fields import VERSION, Fields, Path_
from risk_cli.errors import Problem
from risk_cli.model.points import PointsQuestion, PointsQuestionnaire
from risk_cli.model.rated import PRIORITIES, RatedQuestionnaire, RatedRisk, Rating, RatingRule, Step

TOP_KEYS = ("format", "model", "id", "version", "title", "ratings", "sections", "risks")
OPTIONAL_TOP_KEYS = ("description", "languages")


def is_rated(data: Any) -> bool:
    return header.is_format_2(data) and data.get("model") == "rated"


def load(path: Path | str) -> RatedQuestionnaire:
    return read_points.load(path, read)  # type: ignore[return-value]


def load_format_2(path: Path | str) -> "PointsQuestionnaire | RatedQuestionnaire":
    """A format-2 questionnaire of either model, parsed once: its own `model` chooses the reader."""
    doc = safe_yaml.load(path)
    result = read_points.load_document(doc, read if is_rated(doc.data) else None)
    object.__setattr__(result, "path", str(path))
    return result


def load_document(doc: safe_yaml.Document) -> RatedQuestionnaire:
    return read_points.load_document(doc, read)  # type: ignore[return-value]


def validate(doc: safe_yaml.Document) -> tuple[list[Problem], list[Problem]]:
    return read_points.validate(doc, read)


def read(f: Fields) -> Optional[RatedQuestionnaire]:
    raw = f.doc.data
    top = f.mapping(raw, (), TOP_KEYS, OPTIONAL_TOP_KEYS)
    if top is None:
        return None
    f.texts = []  # type: ignore[attr-defined]  # every text mapping and its path, for the language check
    if top.get("format") != read_points.FORMAT:
        f.error(("format",), f"format {top.get('format')!r}: this reader reads format {read_points.FORMAT}")
    if top.get("model") != "rated":
        f.error(("model",), f"model {top.get('model')!r}: this reader reads the rated model")
    qid = f.text(top, "id", (), pattern=re.compile(r"[a-z0-9][a-z0-9-]*$"),
                 what="questionnaire id (lower case letters, digits and -)")
    version = f.text(top, "version", (), pattern=VERSION, what="version (MAJOR.MINOR.PATCH)")
    title = read_points.text(f, top, "title", ())
    description = read_points.text(f, top, "description", (), required=False)
    ratings = _ratings(f, top)
    sections, questions = read_points._sections(f, top, set())
    by_id = {q.id: q for q in questions if q.id}
    risks = _risks(f, top, {r.id for r in ratings}, by_id)
    languages = read_points._languages(f, top, f.texts)  # type: ignore[attr-defined]
    if f.problems:
        return None
    return RatedQuestionnaire(
        id=qid, version=version, title=title, ratings=tuple(ratings), sections=tuple(sections),
        questions=tuple(questions), risks=tuple(risks), description=description,
        sha256=read_points._content_hash(raw), languages=languages)


def _ratings(f: Fields, top: dict) -> list[Rating]:
    out: list[Rating] = []
    seen: dict[str, Path_] = {}
    for p, item in f.items(top, "ratings", ()):
        m = f.mapping(item, p, ("id", "label"))
        if m is None:
            continue
        rid = read_points._id(f, m, p, "rating")
        f.unique(seen, rid, p + ("id",), "rating")
        out.append(Rating(rid, read_points.text(f, m, "label", p)))
    if "ratings" in top and len(out) < 2 and not f.problems:
        f.error(("ratings",), "list at least two ratings, highest first")
    return out


def _risks(f: Fields, top: dict, rating_ids: set[str], by_id: dict[str, PointsQuestion]) -> list[RatedRisk]:
    out: list[RatedRisk] = []
    seen: dict[str, Path_] = {}
    known = ", ".join(sorted(rating_ids)) or "none"
    for p, item in f.items(top, "risks", ()):
        m = f.mapping(item, p, ("id", "title", "rating"), ("description", "steps", "raised_when"))
        if m is None:
            continue
        rid = read_points._id(f, m, p, "risk")
        f.unique(seen, rid, p + ("id",), "risk")
        raised = _when(f, m, "raised_when", p, by_id)
        rules: list[RatingRule] = []
        entries = f.items(m, "rating", p)
        for rp, ritem in entries:
            r = f.mapping(ritem, rp, ("rating",), ("when",))
            if r is None:
                continue
            if r.get("rating") not in rating_ids:
                f.error(rp + ("rating",), f"unknown rating {r.get('rating')!r} (ratings: {known})")
            rules.append(RatingRule(str(r.get("rating")), _when(f, r, "when", rp, by_id)))
        if entries and rules and rules[-1].when is not None:
            f.error(p + ("rating",), f"risk {rid!r}: the last rating rule must have no 'when', so that a rating always holds")
        for rule, (rp, _) in zip(rules[:-1], entries):
            if rule.when is None:
                f.error(rp, f"risk {rid!r}: a rule with no 'when' always holds, so the rules after it are never used")
        steps: list[Step] = []
        for sp, sitem in f.items(m, "steps", p, required=False):
            s = f.mapping(sitem, sp, ("priority", "text"), ("when",))
            if s is None:
                continue
            if s.get("priority") not in PRIORITIES:
                f.error(sp + ("priority",), f"unknown priority {s.get('priority')!r} (allowed: {', '.join(PRIORITIES)})")
            steps.append(Step(str(s.get("priority")), read_points.text(f, s, "text", sp), _when(f, s, "when", sp, by_id)))
        out.append(RatedRisk(rid, read_points.text(f, m, "title", p), read_points.text(f, m, "description", p, False),
                             tuple(rules), tuple(steps), raised))
    return out


def _when(f: Fields, raw: dict, key: str, path: Path_, by_id: dict[str, PointsQuestion]):
    """A condition under `key`, by the points reader's rules, but naming any question of the file."""
    return read_points._condition(f, raw, path, by_id, key, "which is not a question of this questionnaire")
