"""The questionnaire model: what is asked, what each answer can raise, and how it is scored.

These are plain frozen dataclasses built by `risk_cli.loader` from a validated YAML file;
nothing else in the tool reads questionnaire YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Optional

from risk_cli.conditions import DONT_KNOW, Condition

QUESTION_TYPES = ("choice", "multi", "yesno", "text", "number", "date")
CHOICE_TYPES = ("choice", "multi", "yesno")
PRIORITIES = ("must", "should", "could")
REDUCES = ("likelihood", "impact", "both")
PHASES = ("idea", "discovery", "alpha", "beta", "live")


@dataclass(frozen=True)
class Choice:
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
class Question:
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

    def choice(self, choice_id: str) -> Optional[Choice]:
        return next((c for c in self.choices if c.id == choice_id), None)

    @property
    def choice_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.choices)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]
    description: str = ""
    when: Optional[Condition] = None


@dataclass(frozen=True)
class ScaleLevel:
    value: int
    label: str
    description: str = ""


@dataclass(frozen=True)
class Band:
    id: str
    label: str
    min: int
    max: int
    colour: str


@dataclass(frozen=True)
class AppetiteLevel:
    id: str
    label: str
    max_score: int


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    appetite: str


@dataclass(frozen=True)
class TierLevel:
    level: int
    label: str
    approver: str
    assessments: tuple[str, ...]
    review_months: int


@dataclass(frozen=True)
class TierRule:
    level: int
    because: str
    when: Optional[Condition] = None
    residual_at_least: Optional[str] = None
    count: int = 1
    appetite_breaches_at_least: Optional[int] = None


@dataclass(frozen=True)
class Scoring:
    likelihood: tuple[ScaleLevel, ...]
    impact: tuple[ScaleLevel, ...]
    ratings: tuple[Band, ...]
    appetite_levels: tuple[AppetiteLevel, ...]
    categories: tuple[Category, ...]
    tier_levels: tuple[TierLevel, ...]
    tier_rules: tuple[TierRule, ...]

    def band(self, score: int) -> Band:
        for band in self.ratings:
            if band.min <= score <= band.max:
                return band
        raise ValueError(f"no rating band holds score {score}")  # the loader checks coverage

    def rank(self, rating_id: str) -> int:
        return [b.id for b in self.ratings].index(rating_id)

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    def appetite(self, category_id: str) -> AppetiteLevel:
        level = self.category(category_id).appetite
        return next(a for a in self.appetite_levels if a.id == level)

    def tier(self, level: int) -> TierLevel:
        return next(t for t in self.tier_levels if t.level == level)


@dataclass(frozen=True)
class ScoreRule:
    when: Optional[Condition]
    amount: int  # points to add, or the value to raise to
    because: str


@dataclass(frozen=True)
class Factor:
    """How a risk's inherent likelihood or impact follows from the answers."""

    base: int
    add: tuple[ScoreRule, ...] = ()
    at_least: tuple[ScoreRule, ...] = ()


@dataclass(frozen=True)
class Control:
    when: Condition
    text: str
    reduces: str
    by: int


@dataclass(frozen=True)
class Action:
    priority: str
    text: str
    source: str
    when: Optional[Condition] = None
    check: str = ""  # the action is this mandatory check: listed once, against every risk it treats


@dataclass(frozen=True)
class Risk:
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
    id: str
    title: str
    nao_share: str
    source: str
    when: Optional[Condition] = None
    nao_share_value: Optional[float] = None


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    basis: str
    source: str
    action: str
    when: Optional[Condition] = None
    done_when: Optional[Condition] = None


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str = ""


@dataclass(frozen=True)
class Questionnaire:
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
