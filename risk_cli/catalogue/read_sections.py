"""Reading a questionnaire's `sections`: the questions, their choices, when each is asked, and
the order of risk the scoring must respect."""

from __future__ import annotations

from typing import Any, Optional

from risk_cli.catalogue.fields import CHOICE_ID, QUESTION_ID, Fields, Path_
from risk_cli.model.conditions import DONT_KNOW
from risk_cli.model.questionnaire import PHASES, QUESTION_TYPES, YESNO_CHOICES, Choice, Question, Section


def read_sections(f: Fields, top: dict) -> list[Section]:
    sections: list[Section] = []
    seen_sections: dict[str, Path_] = {}
    seen_questions: dict[str, Path_] = {}
    number = 0
    for si, (sp, item) in enumerate(f.items(top, "sections", ())):
        s = f.mapping(item, sp, ("id", "title", "questions"), ("description", "when"))
        if s is None:
            continue
        sid = f.text(s, "id", sp, pattern=CHOICE_ID, what="section id")
        f.unique(seen_sections, sid, sp + ("id",), "section")
        if si == 0 and sid != "profile":
            f.error(sp + ("id",), "the first section must be the profile (id: profile)")
        when = f.condition(s, "when", sp, earlier_only=True)
        if si == 0 and when is not None:
            f.error(sp + ("when",), "the profile section is always asked; it cannot have a condition")
        questions = []
        for qp, qraw in f.items(s, "questions", sp):
            number += 1
            q = _question(f, qraw, qp, sid, number)
            if q is None:
                continue
            f.unique(seen_questions, q.id, qp + ("id",), "question")
            f.questions.setdefault(q.id, q)
            questions.append(q)
        sections.append(Section(sid, f.text(s, "title", sp), tuple(questions), f.text(s, "description", sp, default=""), when))
    if sections and sections[0].id == "profile":
        _profile(f, {q.id: q for q in sections[0].questions})
    return sections


def _profile(f: Fields, ids: dict[str, Question]) -> None:
    """The profile questions the outputs rely on by id."""
    where = ("sections", 0, "questions")
    for needed in ("profile.name", "profile.organisation"):
        if needed not in ids:
            f.error(where, f"the profile must ask '{needed}' (a text question)")
        elif ids[needed].type != "text":
            f.error(where, f"'{needed}' must be a text question")
    if "profile.owner" in ids and ids["profile.owner"].type != "text":
        f.error(where, "'profile.owner' must be a text question")
    if "profile.phase" in ids:
        phase = ids["profile.phase"]
        if phase.type != "choice" or not set(phase.choice_ids) <= set(PHASES) | {DONT_KNOW}:
            f.error(where, f"'profile.phase' must be a choice of {', '.join(PHASES)}")


def _question(f: Fields, raw: Any, path: Path_, section: str, number: int) -> Optional[Question]:
    q = f.mapping(raw, path, ("id", "type", "text", "help", "sources"),
                  ("choices", "when", "required", "min", "max", "risk_order"))
    if q is None:
        return None
    qid = f.text(q, "id", path, pattern=QUESTION_ID, what="question id (lower case words joined by . or _)")
    kind = f.text(q, "type", path)
    if kind and kind not in QUESTION_TYPES:
        f.error(path + ("type",), f"unknown question type '{kind}' (types: {', '.join(QUESTION_TYPES)})")
    sources = f.strings(q, "sources", path, required=True)
    for i, sid in enumerate(sources):
        f.source_ref(sid, path + ("sources", i))
    choices: tuple[Choice, ...] = ()
    if kind in ("choice", "multi"):
        if "choices" not in q:
            f.error(path, f"a {kind} question needs 'choices'")
        choices = _choices(f, q, path)
    elif "choices" in q:
        f.error(path + ("choices",), f"a {kind or 'question'} question has no choices"
                + (" (yes, no and dont_know are built in)" if kind == "yesno" else ""))
    if kind == "yesno":
        choices = YESNO_CHOICES
    for key in ("min", "max"):
        if key in q and kind != "number":
            f.error(path + (key,), f"'{key}' applies only to number questions")
    low, high = f.number(q, "min", path), f.number(q, "max", path)
    if low is not None and high is not None and low > high:
        f.error(path + ("min",), "min is above max")
    when = f.condition(q, "when", path, earlier_only=True)
    return Question(id=qid, type=kind, text=f.text(q, "text", path), help=f.text(q, "help", path),
                    sources=sources, section=section, number=number, choices=choices, when=when,
                    required=f.flag(q, "required", path, True), min=low, max=high,
                    risk_order=_risk_order(f, q, path, kind, choices))


def _choices(f: Fields, q: dict, path: Path_) -> tuple[Choice, ...]:
    out = []
    seen: dict[str, Path_] = {}
    entries = f.items(q, "choices", path)
    if entries and len(entries) < 2:
        f.error(path + ("choices",), "a question needs at least two choices")
    for p, item in entries:
        c = f.mapping(item, p, ("id", "label"), ("help", "exclusive"))
        if c is None:
            continue
        cid = f.text(c, "id", p, pattern=CHOICE_ID, what="choice id (lower case letters, digits and _)")
        f.unique(seen, cid, p + ("id",), "choice")
        exclusive = f.flag(c, "exclusive", p, False) or cid == DONT_KNOW
        out.append(Choice(cid, f.text(c, "label", p), f.text(c, "help", p, default=""), exclusive))
    return tuple(out)


def _risk_order(f: Fields, q: dict, path: Path_, kind: str, choices: tuple[Choice, ...]) -> tuple[str, ...]:
    """Choice ids from least to most risky: every choice but "don't know", which is riskier than all."""
    if "risk_order" not in q:
        return ()
    p = path + ("risk_order",)
    if kind not in ("choice", "yesno"):
        f.error(p, "'risk_order' applies to choice and yesno questions")
        return ()
    order = f.strings(q, "risk_order", path, required=True)
    expected = [c.id for c in choices if c.id != DONT_KNOW]
    if sorted(order) != sorted(expected) or len(set(order)) != len(order):
        f.error(p, f"'risk_order' lists every choice once, least risky first, without {DONT_KNOW} "
                   f"(which is always riskiest): {', '.join(expected)}")
        return ()
    return order
