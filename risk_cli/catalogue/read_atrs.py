"""Reading a questionnaire's optional `atrs` section: which answers fill which field of an ATRS
record, checked against the standard's own field list (catalogue.atrs_standard).

Each field is a list of parts: a sentence with {question.id} placeholders (and a `when`), or an
item from the scored register (the top risks, the checks, the assessment itself). A part must
rest on an answer or the register, so no field can be filled from nothing.
"""

from __future__ import annotations

from typing import Optional

from risk_cli.catalogue import atrs_standard
from risk_cli.catalogue.fields import Fields, Path_
from risk_cli.errors import RiskCliError
from risk_cli.model.questionnaire import (
    ATRS_PLACEHOLDER, ATRS_REGISTER_ITEMS, AtrsMapping, AtrsPart, AtrsScope, Check, Scoring,
)

PART_KEYS = ("text", "when", "register", "checks", "top", "withhold", "complete")
MAX_TOP = 50


def read_atrs(f: Fields, top: dict, checks: list[Check], scoring: Optional[Scoring]) -> Optional[AtrsMapping]:
    if "atrs" not in top:
        return None
    p: Path_ = ("atrs",)
    m = f.mapping(top["atrs"], p, ("standard", "scope", "fields"))
    if m is None:
        return None
    version = f.text(m, "standard", p)
    try:
        field_ids = atrs_standard.load(version).field_ids if version else ()
    except RiskCliError as exc:
        f.error(p + ("standard",), str(exc))
        field_ids = ()
    scope = _scope(f, m.get("scope"), p + ("scope",), checks) if "scope" in m else None
    fields: list[tuple[str, tuple[AtrsPart, ...]]] = []
    raw = m.get("fields")
    if "fields" in m and (not isinstance(raw, dict) or not raw):
        f.error(p + ("fields",), "'fields' maps ATRS field ids to the parts that fill them")
        raw = {}
    category_ids = {c.id for c in scoring.categories} if scoring else set()
    check_ids = {c.id for c in checks}
    for fid, parts in (raw or {}).items():
        fp = p + ("fields", fid)
        if field_ids and fid not in field_ids:
            f.error(fp, f"'{fid}' is not a field of ATRS {version} (see docs/atrs.md for the field ids)")
            continue
        if not isinstance(parts, list) or not parts:
            f.error(fp, "a field maps to a non-empty list of parts ({text: ...} or {register: ...})")
            continue
        read = [_part(f, item, fp + (i,), category_ids, check_ids) for i, item in enumerate(parts)]
        fields.append((fid, tuple(r for r in read if r is not None)))
    if scope is None or f.problems:
        return None
    order = {fid: n for n, fid in enumerate(field_ids)}
    return AtrsMapping(version, scope, tuple(sorted(fields, key=lambda item: order.get(item[0], 0))))


def _scope(f: Fields, raw: object, p: Path_, checks: list[Check]) -> Optional[AtrsScope]:
    """From a check (`check: atrs`: its when, mandatory_when and basis), or given directly."""
    m = f.mapping(raw, p, (), ("check", "mandatory_when", "applies_when", "basis"))
    if m is None:
        return None
    if "check" in m:
        extra = [k for k in m if k != "check"]
        if extra:
            f.error(p + (extra[0],), "a scope taken from a check takes everything from it: give 'check' alone")
        cid = f.text(m, "check", p)
        check = next((c for c in checks if c.id == cid), None)
        if check is None:
            f.error(p + ("check",), f"unknown check '{cid}'")
            return None
        return AtrsScope(check.mandatory_when, check.when, check.basis, check.id)
    if "mandatory_when" not in m:
        f.error(p, "the scope needs 'check' (a check whose mandatory_when says where the standard is mandatory) "
                   "or 'mandatory_when'")
        return None
    basis = f.wording(m, "basis", p) if "basis" in m else None
    return AtrsScope(f.condition(m, "mandatory_when", p), f.condition(m, "applies_when", p), basis)


def _part(f: Fields, raw: object, p: Path_, category_ids: set[str], check_ids: set[str]) -> Optional[AtrsPart]:
    m = f.mapping(raw, p, (), PART_KEYS)
    if m is None:
        return None
    has_text, register = "text" in m, f.text(m, "register", p, default="")
    if has_text == bool(register):
        f.error(p, "a part gives either 'text' (a sentence from answers) or 'register' (an item of the register)")
        return None
    when = f.condition(m, "when", p)
    complete = f.flag(m, "complete", p, False)
    if has_text:
        for key in ("checks", "top", "withhold"):
            if key in m:
                f.error(p + (key,), f"'{key}' belongs to a register part, not a sentence")
        text = f.text(m, "text", p)
        part = AtrsPart(text=text, when=when, complete=complete)
        for name in ATRS_PLACEHOLDER.findall(text):
            if name not in f.questions:
                f.error(p + ("text",), f"{{{name}}} names no question; a placeholder is a question id in braces")
        if "{" in ATRS_PLACEHOLDER.sub("", text) or "}" in ATRS_PLACEHOLDER.sub("", text):
            f.error(p + ("text",), "a brace that is not part of a {question.id} placeholder")
        if text and not part.placeholders and when is None:
            f.error(p, "a sentence must rest on an answer: name a question in {braces} or give a 'when'")
        return part
    if register not in ATRS_REGISTER_ITEMS:
        f.error(p + ("register",), f"'{register}' is not a register item (one of {', '.join(ATRS_REGISTER_ITEMS)})")
        return None
    wanted = f.strings(m, "checks", p)
    if register == "checks" and not wanted:
        f.error(p, "a 'checks' part lists the checks to report: checks: [dpia, ...]")
    for cid in wanted:
        if cid not in check_ids:
            f.error(p + ("checks",), f"unknown check '{cid}'")
    withhold = f.strings(m, "withhold", p)
    for cat in withhold:
        if cat not in category_ids:
            f.error(p + ("withhold",), f"unknown category '{cat}'")
    if register != "checks" and "checks" in m:
        f.error(p + ("checks",), "'checks' belongs to a 'checks' part")
    if register != "top_risks":
        for key in ("top", "withhold"):
            if key in m:
                f.error(p + (key,), f"'{key}' belongs to a 'top_risks' part")
    return AtrsPart(register=register, when=when, checks=wanted, top=f.integer(m, "top", p, 1, MAX_TOP, default=10),
                    withhold=withhold, complete=complete)
