"""A draft ATRS record: the Algorithmic Transparency Recording Standard's fields, in its order,
each filled from the answers and the scored register where the questionnaire's `atrs` mapping
says how, or marked To complete with a line of what the standard wants.

Pure: the same register, standard and options always give the same record. Nothing is invented:
a field holds only sentences the questionnaire wrote for answers the team gave (with the answers
as a person reads them) and what the register holds; an unknown answer fills nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from risk_cli.model import conditions
from risk_cli.model.conditions import Condition
from risk_cli.model.questionnaire import AtrsPart, AtrsScope, Question, Questionnaire
from risk_cli.model.scoring import credits, display

if TYPE_CHECKING:
    from risk_cli.model.scoring import Register

DRAFTED = "Drafted"
PARTLY = "Partly drafted"
TO_COMPLETE = "To complete"
STATUSES = (DRAFTED, PARTLY, TO_COMPLETE)

MANDATORY = "mandatory"
RECOMMENDED = "recommended"
NOT_KNOWN = "not known"
NOT_IN_SCOPE = "not in scope"
SCOPE_LABELS = {MANDATORY: "mandatory", RECOMMENDED: "recommended", NOT_KNOWN: "mandatory until shown otherwise",
                NOT_IN_SCOPE: "voluntary"}


# -- the standard (its data is catalogue/atrs-<version>.yaml) ----------------------------------

@dataclass(frozen=True)
class StandardField:
    """One field of the standard's template: its reference number, name and what it asks for."""

    id: str
    ref: str
    name: str
    guidance: str  # one line, in our words, on what the field wants
    verified: str  # how far the field's name and number were seen in a source for this version
    options: tuple[str, ...] = ()  # the template's dropdown, where it has one


@dataclass(frozen=True)
class StandardSection:
    """One section of the template (one sheet of its workbook), in Tier 1 or Tier 2."""

    id: str
    tier: int
    heading: str
    sheet: str  # the workbook's tab name (at most 31 characters)
    covers: str
    fields: tuple[StandardField, ...]
    note: str = ""

    @property
    def label(self) -> str:
        return f"Tier {self.tier} - {self.heading}"


@dataclass(frozen=True)
class Standard:
    """One version of the ATRS: its sections and fields in the template's order."""

    name: str
    short: str
    version: str
    released: str
    guidance_url: str
    hub_url: str
    checked: str  # when the field list was last checked against the standard's sources
    sections: tuple[StandardSection, ...]

    @property
    def label(self) -> str:
        return f"{self.short} v{self.version} ({self.released})"

    @property
    def fields(self) -> tuple[StandardField, ...]:
        return tuple(f for s in self.sections for f in s.fields)

    @property
    def field_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.fields)


# -- the record ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class RecordField:
    """One field of the draft: what the answers and register say for it, and where each came from."""

    field: StandardField
    section: StandardSection
    status: str  # DRAFTED, PARTLY or TO_COMPLETE
    paragraphs: tuple[str, ...] = ()
    drawn_from: tuple[str, ...] = ()  # question ids, and register items (risk:ID, check:ID, tier)

    @property
    def value(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def filled(self) -> bool:
        return self.status != TO_COMPLETE


@dataclass(frozen=True)
class Scope:
    """Whether the standard is mandatory for this organisation, said at the top of the record."""

    status: str  # MANDATORY, RECOMMENDED, NOT_KNOWN or NOT_IN_SCOPE
    headline: str
    basis: str = ""
    drawn_from: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()  # the questions whose answers are not known, when they decide it

    @property
    def label(self) -> str:
        return SCOPE_LABELS[self.status]


@dataclass(frozen=True)
class Record:
    """A draft ATRS record for one use case, every field of the standard in its order."""

    standard: Standard
    questionnaire: Questionnaire
    use_case: str
    organisation: str
    assessed_on: str
    scope: Scope
    fields: tuple[RecordField, ...]
    include_security: bool = False
    withheld_risks: tuple[str, ...] = ()  # risk ids left out for publication
    withheld_categories: tuple[str, ...] = ()  # their category labels
    withheld_actions: int = 0  # find-out actions left out

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATUSES}
        for f in self.fields:
            out[f.status] += 1
        return out

    def in_section(self, section: StandardSection) -> list[RecordField]:
        return [f for f in self.fields if f.section.id == section.id]

    @property
    def filled(self) -> list[RecordField]:
        return [f for f in self.fields if f.filled]

    @property
    def withheld_note(self) -> str:
        """What was left out of this draft for publication, or that nothing was (one sentence)."""
        if self.include_security:
            return ("This draft includes the risks in every category and the actions to find out unknown answers "
                    "(--include-security): clear them with your security team before anything is published.")
        if not self.withheld_risks and not self.withheld_actions:
            return ""
        parts = []
        if self.withheld_risks:
            n, kinds = len(self.withheld_risks), len(self.withheld_categories)
            parts.append(f"{n} risk{'' if n == 1 else 's'} in the {_and(self.withheld_categories)} "
                         f"categor{'y' if kinds == 1 else 'ies'}")
        if self.withheld_actions:
            parts.append("the actions to find out answers not yet known")
        return (f"Left out of this draft for publication: {' and '.join(parts)}, as the record is public; "
                "draft again with --include-security to see what was left out, for clearance.")


def draft(register: "Register", standard: Standard, include_security: bool = False) -> Record:
    """The record the register's answers support, every other field To complete."""
    qn = register.questionnaire
    mapping = qn.atrs
    if mapping is None:
        raise ValueError(f"{qn.label} has no ATRS mapping")  # the workflow says so before drafting
    asked, values = set(register.asked), register.values
    withheld = _withheld(register, mapping.fields, include_security)
    out = []
    for section in standard.sections:
        for field in section.fields:
            paragraphs: list[str] = []
            sources: list[str] = []
            complete = False
            for part in mapping.parts(field.id):
                made = _part(register, part, asked, values, include_security)
                if made is None:
                    continue
                texts, drawn = made
                paragraphs.extend(texts)
                sources.extend(s for s in drawn if s not in sources)
                complete = complete or part.complete
            status = TO_COMPLETE if not paragraphs else (DRAFTED if complete else PARTLY)
            out.append(RecordField(field, section, status, tuple(paragraphs), tuple(sources)))
    return Record(
        standard=standard, questionnaire=qn, use_case=register.profile("name"),
        organisation=register.profile("organisation"), assessed_on=register.assessed_on,
        scope=scope(register, mapping.scope), fields=tuple(out), include_security=include_security,
        withheld_risks=tuple(sr.risk.id for sr in withheld),
        withheld_categories=tuple(dict.fromkeys(qn.scoring.category(sr.risk.category).label for sr in withheld)),
        withheld_actions=0 if include_security or not _lists_risks(mapping.fields)
        else sum(1 for a in register.actions if a.kind == "find-out"),
    )


def scope(register: "Register", rule: AtrsScope) -> Scope:
    """Mandatory, recommended, not known (read as mandatory until it is), or not in scope."""
    asked, values = set(register.asked), register.values
    basis = register.says(rule.basis) if rule.basis is not None else ""
    tool = conditions.evaluate(rule.applies_when, asked, values) if rule.applies_when is not None else True
    drawn = tuple(dict.fromkeys(_known(rule.mandatory_when, asked, values) + _known(rule.applies_when, asked, values)))
    if tool is False:
        return Scope(NOT_IN_SCOPE, "The answers do not show a tool of the kind the standard covers, so a record "
                                   "is voluntary.", basis, tuple(_known(rule.applies_when, asked, values)))
    held = True if rule.mandatory_when is None else conditions.evaluate(rule.mandatory_when, asked, values)
    if held is True:
        return Scope(MANDATORY, "The standard is mandatory for this organisation, as the answers describe it.",
                     basis, drawn)
    if held is False:
        return Scope(RECOMMENDED, "The standard is not mandatory for this kind of organisation, but it is "
                                  "recommended for it.", basis, drawn)
    unknown = [qid for qid in _questions(rule.mandatory_when) if qid in asked and conditions.is_unknown(values.get(qid))]
    return Scope(NOT_KNOWN, "The answers do not say enough about the organisation to tell whether the standard is "
                            "mandatory for it; treat it as mandatory until they do.", basis, drawn, tuple(unknown))


# -- filling one part --------------------------------------------------------------------------

def _part(register: "Register", part: AtrsPart, asked: set[str], values: dict[str, Any],
          include_security: bool) -> Optional[tuple[list[str], list[str]]]:
    """(paragraphs, sources) for one part, or None when the answers do not support it."""
    if part.when is not None and not credits(part.when, asked, values):
        return None
    if part.register:
        return _from_register(register, part, include_security)
    words: dict[str, str] = {}
    for qid in part.placeholders:
        value = values.get(qid)
        if qid not in asked or conditions.is_unknown(value):
            return None
        words[qid] = _reads(register.questionnaire.by_id[qid], value)
    text = part.text
    for qid, shown in words.items():
        text = text.replace("{" + qid + "}", shown)
    sources = list(dict.fromkeys(list(part.placeholders) + _known(part.when, asked, values)))
    return [text.strip()], sources


def _reads(q: Question, value: Any) -> str:
    """An answer as a person reads it: text as typed, choices by their labels."""
    if q.type == "multi":
        return _and([display(q, [v]) for v in value])
    return display(q, value).strip()


def _from_register(register: "Register", part: AtrsPart, include_security: bool) -> Optional[tuple[list[str], list[str]]]:
    if part.register == "top_risks":
        return _risks(register, part, include_security)
    if part.register == "checks":
        return _checks(register, part)
    return _assessment(register)


def _risks(register: "Register", part: AtrsPart, include_security: bool) -> Optional[tuple[list[str], list[str]]]:
    """The highest residual risks, each with the controls in place and the actions planned."""
    withhold = () if include_security else part.withhold
    kinds = ("risk", "check", "find-out") if include_security else ("risk", "check")
    chosen = [sr for sr in register.by_residual() if sr.risk.category not in withhold][: part.top]
    if not chosen:
        return None
    paragraphs = []
    for sr in chosen:
        text = f"{sentence(sr.risk.title)} {sr.risk.description.strip()}"
        if sr.controls:
            text += f" In place: {'; '.join(_clause(c.text) for c in sr.controls)}."
        planned = [a.text for a in register.actions if sr.risk.id in a.risks and a.kind in kinds]
        if planned:
            text += f" Planned: {'; '.join(_clause(t) for t in dict.fromkeys(planned))}."
        paragraphs.append(text)
    return paragraphs, [f"risk:{sr.risk.id}" for sr in chosen]


CHECK_STATUS = {
    "Done": "done, as the team reports",
    "Outstanding": "required for this use case and not yet done",
    "Recommended, not done": "recommended for this organisation and not yet done",
}


def _checks(register: "Register", part: AtrsPart) -> Optional[tuple[list[str], list[str]]]:
    """Each named check these answers call for (a DPIA, an equality impact assessment) and its status."""
    found = {cr.check.id: cr for cr in register.checks}
    chosen = [found[cid] for cid in part.checks if cid in found]
    if not chosen:
        return None
    return ([f"{cr.check.title}: {CHECK_STATUS[cr.status]}." for cr in chosen],
            [f"check:{cr.check.id}" for cr in chosen])


def _assessment(register: "Register") -> tuple[list[str], list[str]]:
    """The self-assessment that this draft comes from, and the assurance tier it gave."""
    qn, tier = register.questionnaire, register.tier
    return ([f"A self-assessment of the tool's risks with risk-cli on {register.assessed_on} (questionnaire "
             f"\"{qn.title}\", version {qn.version}) placed it at assurance tier \"{tier.level.label}\", to be "
             f"approved by {tier.approver} and reviewed every {tier.level.review_months} months."], ["tier"])


Parts = tuple[tuple[str, tuple[AtrsPart, ...]], ...]


def _lists_risks(fields: Parts) -> bool:
    return any(p.register == "top_risks" for _, parts in fields for p in parts)


def _withheld(register: "Register", fields: Parts, include_security: bool) -> list[Any]:
    """The raised risks a top-risks part leaves out for publication (none with --include-security)."""
    if include_security:
        return []
    withhold = {c for _, parts in fields for p in parts if p.register == "top_risks" for c in p.withhold}
    return [sr for sr in register.by_residual() if sr.risk.category in withhold]


# -- small helpers -----------------------------------------------------------------------------

def _questions(cond: Optional[Condition]) -> list[str]:
    return list(dict.fromkeys(t.question for t in conditions.tests(cond))) if cond is not None else []


def _known(cond: Optional[Condition], asked: set[str], values: dict[str, Any]) -> list[str]:
    """The questions a condition names that were asked and have a known answer: its sources."""
    return [qid for qid in _questions(cond) if qid in asked and not conditions.is_unknown(values.get(qid))]


def _and(items: list[str] | tuple[str, ...]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _clause(text: str) -> str:
    """A control or action as a clause in a list: no closing full stop, first letter lower case
    unless the first word is an acronym (DPIA) or a name."""
    text = text.strip().rstrip(".")
    first = text.split(" ", 1)[0]
    if len(first) > 1 and not first[1:].islower():
        return text
    return text[0].lower() + text[1:]


def sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."
