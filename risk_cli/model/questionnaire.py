"""The questionnaire model: what is asked, what each answer can raise, and how it is scored.

These are plain frozen dataclasses built by `risk_cli.catalogue.loader` from a validated YAML file;
nothing else in the tool reads questionnaire YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Optional

from risk_cli.model.conditions import DONT_KNOW, Condition

QUESTION_TYPES = ("choice", "multi", "yesno", "text", "number", "date")
CHOICE_TYPES = ("choice", "multi", "yesno")
PRIORITIES = ("must", "should", "could")
REDUCES = ("likelihood", "impact", "both")
PHASES = ("idea", "discovery", "alpha", "beta", "live")


@dataclass(frozen=True)
class Choice:
    """One option a question offers; answers store its id, so a label or a score can change without
    breaking any answers file."""

    id: str
    label: str
    help: str = ""
    exclusive: bool = False

    @property
    def unknown(self) -> bool:
        return self.id == DONT_KNOW


YESNO_CHOICES = (
    Choice("yes", "Yes"),
    Choice("no", "No"),
    Choice(DONT_KNOW, "Don't know", exclusive=True),
)


@dataclass(frozen=True)
class Wording:
    """Text that can depend on the answers, such as who approves a tier, which depends on the kind
    of organisation: the first variant whose condition holds for the answers, else the default."""

    default: str
    variants: tuple[tuple[Condition, str], ...] = ()

    def texts(self) -> tuple[str, ...]:
        return (self.default,) + tuple(text for _, text in self.variants)


@dataclass(frozen=True)
class Question:
    """One thing a team is asked; its id keys the answers, and it can be skipped when it does not
    apply to the use case."""

    id: str
    type: str
    text: str
    help: str
    sources: tuple[str, ...]
    section: str
    number: int  # 1-based position in the whole questionnaire, for "question 14 of 52"
    choices: tuple[Choice, ...] = ()
    when: Optional[Condition] = None
    required: bool = True
    min: Optional[float] = None
    max: Optional[float] = None
    risk_order: tuple[str, ...] = ()  # choice ids, least risky first ("don't know" is riskier than all)

    def choice(self, choice_id: str) -> Optional[Choice]:
        return next((c for c in self.choices if c.id == choice_id), None)

    @property
    def choice_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.choices)


@dataclass(frozen=True)
class Section:
    """A group of questions asked together, which can be skipped as a whole; the first is always the
    use case profile."""

    id: str
    title: str
    questions: tuple[Question, ...]
    description: str = ""
    when: Optional[Condition] = None


@dataclass(frozen=True)
class ScaleLevel:
    """One point of the likelihood or impact scale (five points unless the questionnaire says
    otherwise), with the wording that tells a team what the number means."""

    value: int
    label: str
    description: str = ""


@dataclass(frozen=True)
class Band:
    """A rating band of the likelihood x impact score (such as Low or Extreme), with the colour the
    register and heat maps use."""

    id: str
    label: str
    min: int
    max: int
    colour: str


@dataclass(frozen=True)
class AppetiteLevel:
    """One step of the government risk appetite scale: the highest residual score a category at
    this appetite tolerates before it must be escalated."""

    id: str
    label: str
    max_score: int


@dataclass(frozen=True)
class Category:
    """An Orange Book risk category, which sets the risk appetite every risk in it is judged against."""

    id: str
    label: str
    appetite: str


@dataclass(frozen=True)
class TierLevel:
    """An assurance tier: who must approve the use case, what assessments it needs and how often
    it is reviewed."""

    level: int
    label: str
    approver: Wording
    assessments: tuple[str, ...]
    review_months: int


@dataclass(frozen=True)
class TierRule:
    """One reason a use case reaches an assurance tier; the tier is the highest that holds, and the
    register lists every reason that set it."""

    level: int
    because: str
    when: Optional[Condition] = None
    residual_at_least: Optional[str] = None
    count: int = 1
    appetite_breaches_at_least: Optional[int] = None
    categories: tuple[str, ...] = ()  # only risks in these categories count (all when empty)


@dataclass(frozen=True)
class Escalation:
    """Who hears about a risk, by how bad its residual score is; wording depends on the kind of body
    (a council escalates to its chief executive, not a department)."""

    top_rating: Wording = Wording("Department")
    above_appetite: Wording = Wording("Directorate")
    within_appetite: Wording = Wording("Project")


@dataclass(frozen=True)
class Scoring:
    """The scoring conventions of one questionnaire version, kept in data so they can change without
    any change to the code."""

    likelihood: tuple[ScaleLevel, ...]
    impact: tuple[ScaleLevel, ...]
    ratings: tuple[Band, ...]
    appetite_levels: tuple[AppetiteLevel, ...]
    categories: tuple[Category, ...]
    tier_levels: tuple[TierLevel, ...]
    tier_rules: tuple[TierRule, ...]
    escalation: Escalation = Escalation()

    @property
    def top_likelihood(self) -> int:
        """The highest likelihood: the scale's size (5 on the Orange Book's 5x5)."""
        return len(self.likelihood)

    @property
    def top_impact(self) -> int:
        return len(self.impact)

    @property
    def top_score(self) -> int:
        """The highest score likelihood x impact can give (25 on 5x5)."""
        return self.top_likelihood * self.top_impact

    def band(self, score: int) -> Band:
        for band in self.ratings:
            if band.min <= score <= band.max:
                return band
        raise ValueError(f"no rating band holds score {score}")  # the loader checks coverage

    def rank(self, rating_id: str) -> int:
        return [b.id for b in self.ratings].index(rating_id)

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    def appetite(self, category_id: str, chosen: Optional[dict[str, str]] = None) -> AppetiteLevel:
        """The category's appetite: the organisation's (`chosen`, category -> level id) where it set
        one, else the questionnaire's."""
        level = (chosen or {}).get(category_id) or self.category(category_id).appetite
        return self.appetite_level(level)

    def appetite_level(self, level_id: str) -> AppetiteLevel:
        return next(a for a in self.appetite_levels if a.id == level_id)

    def tier(self, level: int) -> TierLevel:
        return next(t for t in self.tier_levels if t.level == level)


@dataclass(frozen=True)
class ScoreRule:
    """One rule that raises a risk's inherent likelihood or impact, with the reason the register
    shows for it."""

    when: Optional[Condition]
    amount: int  # points to add, or the value to raise to
    because: str


@dataclass(frozen=True)
class Factor:
    """How a risk's inherent likelihood or impact follows from the answers."""

    base: int
    add: tuple[ScoreRule, ...] = ()
    at_least: tuple[ScoreRule, ...] = ()
    base_because: str = ""  # why the score starts where it does, before any answer moves it


@dataclass(frozen=True)
class Control:
    """A measure in place, shown by an answer, that lowers a risk's residual likelihood, impact or
    both; an unknown answer never counts as one."""

    when: Condition
    text: str
    reduces: str
    by: int


@dataclass(frozen=True)
class Action:
    """A treatment a risk asks for when raised, or a pointer to a mandatory check that treats it."""

    priority: str
    text: str
    source: str
    when: Optional[Condition] = None
    check: str = ""  # the action is this mandatory check: listed once, against every risk it treats


@dataclass(frozen=True)
class Risk:
    """A risk the answers can raise, with how to score and treat it; its id never changes, so a
    register can be carried into the next assessment."""

    id: str
    category: str
    subcategory: str
    title: str
    description: str
    likelihood: Factor
    impact: Factor
    actions: tuple[Action, ...]
    controls: tuple[Control, ...] = ()
    when: Optional[Condition] = None
    owner: str = ""
    barrier: str = ""
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class Barrier:
    """An NAO barrier to AI adoption a use case can report, so the portfolio view can compare its
    share with the NAO's survey."""

    id: str
    title: str
    nao_share: str
    source: str
    when: Optional[Condition] = None
    nao_share_value: Optional[float] = None


@dataclass(frozen=True)
class Check:
    """A check (such as a DPIA, EqIA or ATRS record) the answers can make required, or only
    recommended for some bodies; until done it is an action in the register (must when mandatory)."""

    id: str
    title: str
    basis: Wording
    source: str
    action: Wording
    when: Optional[Condition] = None
    done_when: Optional[Condition] = None
    mandatory_when: Optional[Condition] = None  # absent: mandatory wherever it applies; else recommended elsewhere


ATRS_REGISTER_ITEMS = ("top_risks", "checks", "assessment")
ATRS_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")  # {question.id} in an ATRS sentence


@dataclass(frozen=True)
class AtrsPart:
    """One piece of an ATRS record field: a sentence made from answers, or something the scored
    register holds. Which answer fills which field is questionnaire data, so each version maps its
    own questions (docs/atrs.md)."""

    text: str = ""  # a sentence; each {question.id} in it becomes that answer as a person reads it
    when: Optional[Condition] = None  # used only when this holds (an unknown answer does not)
    register: str = ""  # instead of text: one of ATRS_REGISTER_ITEMS
    checks: tuple[str, ...] = ()  # register "checks": the check ids to report, in this order
    top: int = 10  # register "top_risks": how many of the highest residual risks
    withhold: tuple[str, ...] = ()  # register "top_risks": categories left out of a record for publication
    complete: bool = False  # this part alone gives everything the field asks for

    @property
    def placeholders(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(ATRS_PLACEHOLDER.findall(self.text)))


@dataclass(frozen=True)
class AtrsScope:
    """Whether the standard is mandatory for the organisation the answers describe, or only
    recommended; taken from a check (its `when` and `mandatory_when`) or given directly."""

    mandatory_when: Optional[Condition] = None  # None: mandatory for every organisation
    applies_when: Optional[Condition] = None  # the tool is of the kind the standard covers (None: always)
    basis: Optional[Wording] = None  # why, in words for these answers
    check: str = ""  # the check it was taken from, if any


@dataclass(frozen=True)
class AtrsMapping:
    """How a questionnaire's answers fill an ATRS record: the standard version it maps onto, the
    scope rule, and the parts of each field it can fill (fields it does not name are To complete)."""

    standard: str
    scope: AtrsScope
    fields: tuple[tuple[str, tuple[AtrsPart, ...]], ...]

    def parts(self, field_id: str) -> tuple[AtrsPart, ...]:
        return next((parts for fid, parts in self.fields if fid == field_id), ())


@dataclass(frozen=True)
class Source:
    """An entry in the citation catalogue, so every question and action can name the guidance or law
    behind it."""

    id: str
    title: str
    url: str = ""


@dataclass(frozen=True)
class Questionnaire:
    """One version of a questionnaire: everything needed to ask, check and score, named by the id,
    version and content hash that answers record."""

    id: str
    version: str
    title: str
    sources: dict[str, Source]
    scoring: Scoring
    sections: tuple[Section, ...]
    risks: tuple[Risk, ...]
    sha256: str
    description: str = ""
    barriers: tuple[Barrier, ...] = ()
    checks: tuple[Check, ...] = ()
    atrs: Optional[AtrsMapping] = None  # how answers fill an ATRS record, if this version says
    path: str = field(default="", compare=False)

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    @cached_property
    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def section_of(self) -> dict[str, Section]:
        return {q.id: s for s in self.sections for q in s.questions}

    @property
    def profile(self) -> Section:
        return self.sections[0]

    @property
    def label(self) -> str:
        return f"{self.id} {self.version}"


def version_key(version: str) -> tuple[int, ...]:
    """A questionnaire version as numbers, for ordering ("1.10.0" after "1.9.0")."""
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))
