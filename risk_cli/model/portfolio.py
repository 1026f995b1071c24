"""The portfolio view: figures across every use case an assurance team oversees.

Pure: scored registers in, a `Portfolio` of figures out (what the portfolio workbook, the
terminal summary and the JSON show). Reading the inputs is `portfolio_inputs`; writing the
workbook is `portfolio_xlsx`. Every score comes from `scoring.assess`, never a spreadsheet.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Optional

from risk_cli.errors import Problem
from risk_cli.model.questionnaire import Band, Scoring, version_key
from risk_cli.model.scoring import Grid, Register, ScoredRisk


@dataclass(frozen=True)
class Assessed:
    """One input that was read and scored."""

    path: str
    kind: str  # answers, register or template
    mtime: float  # the file's modification time: the tie-break between two assessments of one day
    register: Register


@dataclass(frozen=True)
class Skipped:
    """An input that could not be used, and why (the first problem; `more` counts the rest)."""

    path: str
    reason: str
    more: int = 0

    def line(self) -> str:
        extra = f" (and {self.more} more problem(s): check the file with risk-cli assess --answers FILE)" if self.more else ""
        return f"{self.reason}{extra}"


@dataclass(frozen=True)
class UseCase:
    """One use case as the portfolio counts it: its newest assessment, and why it goes to the
    assurance board, if it does."""

    source: Assessed
    newest_version: str  # the newest version of its questionnaire this run knows
    reasons: tuple[str, ...]  # why it needs escalating; empty when it does not

    @property
    def register(self) -> Register:
        return self.source.register

    @property
    def organisation(self) -> str:
        return self.register.profile("organisation")

    @property
    def name(self) -> str:
        return self.register.profile("name")

    @property
    def version(self) -> str:
        return self.register.questionnaire.version

    @property
    def outdated(self) -> bool:
        """Assessed against an older questionnaire version than the newest known."""
        return version_key(self.version) < version_key(self.newest_version)

    @property
    def escalate(self) -> bool:
        return bool(self.reasons)

    @property
    def worst_residual(self) -> Optional[ScoredRisk]:
        """Its highest residual risk (None when no risk is raised)."""
        worst = self.register.by_residual()
        return worst[0] if worst else None


@dataclass(frozen=True)
class Duplicate:
    """The same use case given more than once: the newest assessment is used."""

    organisation: str
    name: str
    used: Assessed
    ignored: tuple[Assessed, ...]

    def line(self) -> str:
        def show(a: Assessed) -> str:
            return f"{a.path} (assessed {a.register.assessed_on})"

        return (f"use case '{self.name}' ({self.organisation}) is given {len(self.ignored) + 1} times: using "
                f"{show(self.used)}; ignoring {', '.join(show(a) for a in self.ignored)}")


@dataclass(frozen=True)
class BarrierShare:
    """How widely one NAO barrier to AI adoption is reported across the portfolio, set beside
    the NAO's own survey figure."""

    id: str
    title: str
    nao_share: str  # as the NAO put it, e.g. "about 70%"
    nao_value: Optional[float]  # the same as a number of percent, when there is one
    use_cases: int  # use cases whose questionnaire asks about this barrier
    reporting: int
    organisations: int
    organisations_reporting: int  # organisations with at least one use case reporting it

    @property
    def share(self) -> Optional[float]:
        return self.reporting / self.use_cases if self.use_cases else None

    @property
    def organisation_share(self) -> Optional[float]:
        return self.organisations_reporting / self.organisations if self.organisations else None


@dataclass(frozen=True)
class OtherModel:
    """An assessment with a format-2 questionnaire (rated or points model): listed beside the
    portfolio, never in its 5x5 heat maps, tiers or totals, which only 5x5 registers have."""

    path: str
    kind: str  # "answers" or "register" (a workbook risk-cli wrote)
    use_case: str  # the file's stem: format-2 answers carry no name
    questionnaire: str  # its label: id and version
    model: str  # "rated" or "points"
    result_id: str  # rated: the overall rating's id; points: the impact level's id
    result_label: str
    counts: tuple[tuple[str, str, int], ...] = ()  # rated: (rating id, label, risks at it), highest first
    highest: tuple[str, ...] = ()  # rated: the risk ids at the overall rating
    score: Optional[float] = None  # points: the score, after any discount
    maximum: Optional[float] = None  # points: the score total's maximum
    discount: Optional[bool] = None  # points: whether a discount applied (None: the questionnaire has none)

    @property
    def result(self) -> str:
        """The result in one line: "High overall: 2 high, 5 medium, 3 low" or "Level IV: score 10 of 13"."""
        if self.model == "rated":
            return f"{self.result_label} overall: " + ", ".join(f"{n} {label.lower()}" for _, label, n in self.counts)
        text = f"{self.result_label}: score {_plain(self.score)} of {_plain(self.maximum)}"
        return text + ("" if self.discount is None else "; discount applied" if self.discount else "; no discount")


def _plain(value: Optional[float]) -> Any:
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True)
class Portfolio:
    """The figures across every use case an assurance team oversees: what the portfolio workbook,
    the terminal summary and the JSON all show."""

    use_cases: tuple[UseCase, ...]  # one per use case, by organisation then name
    duplicates: tuple[Duplicate, ...]
    skipped: tuple[Skipped, ...]
    scoring: Scoring  # the newest scoring of the most used questionnaire: heat map colours and labels
    ratings: tuple[Band, ...]  # every rating band in use, lowest first
    inherent: Grid
    residual: Grid
    barriers: tuple[BarrierShare, ...]
    warnings: tuple[Problem, ...] = field(default=())
    others: tuple[OtherModel, ...] = field(default=())  # format-2 assessments, listed apart (OtherModel)
    off_scale: tuple[Problem, ...] = field(default=())  # use cases on other scale sizes, not in the heat maps (also warnings)

    @property
    def escalations(self) -> list[UseCase]:
        """The use cases to escalate, by organisation then name (the JSON keeps this order)."""
        return [u for u in self.use_cases if u.escalate]

    def escalations_by_urgency(self) -> list[UseCase]:
        """The use cases to escalate, most urgent first: highest tier, then most risks above
        appetite, then organisation and name. The terminal summary and the workbook both show this."""
        return sorted(self.escalations, key=lambda u: (-u.register.tier.level.level, -len(u.register.breaches),
                                                       use_case_key(u.register)))

    @property
    def risk_count(self) -> int:
        return sum(len(u.register.risks) for u in self.use_cases)

    def totals(self, residual: bool = True) -> dict[str, int]:
        """Risks per rating id across every use case, every rating in use listed (inherent when not `residual`)."""
        out = {b.id: 0 for b in self.ratings}
        for u in self.use_cases:
            for rating, n in u.register.counts(residual=residual).items():
                out[rating] = out.get(rating, 0) + n
        return out

    def tiers(self) -> list[tuple[str, int]]:
        """(tier label, number of use cases), lowest tier first."""
        found = Counter((u.register.tier.level.level, u.register.tier.level.label) for u in self.use_cases)
        return [(label, n) for (_, label), n in sorted(found.items())]


def use_case_key(register: Register) -> tuple[str, str]:
    """Organisation and name, case-insensitive and whitespace-normalised: one use case."""
    return (" ".join(register.profile("organisation").split()).casefold(),
            " ".join(register.profile("name").split()).casefold())


def newest_first(a: Assessed) -> tuple[str, float, str]:
    """The newest assessment wins: assessed_on, then file time, then path (so ties are deterministic)."""
    return (a.register.assessed_on, a.mtime, a.path)


def escalation_reasons(register: Register, escalate_tier: Optional[int] = None) -> tuple[str, ...]:
    """Why a use case goes to the assurance board: a top tier, or residual risks above appetite.

    The top tiers are the highest two levels of its questionnaire unless `escalate_tier` says
    from which level on.
    """
    levels = [t.level for t in register.questionnaire.scoring.tier_levels]
    threshold = escalate_tier if escalate_tier is not None else max(2, max(levels) - 1)
    reasons: list[str] = []
    tier = register.tier
    if tier.level.level >= threshold:
        reasons.append(f"{tier.level.label}: " + "; ".join(tier.reasons))
    breaches = register.breaches
    if breaches:
        listed = ", ".join(f"{sr.risk.id} (residual {sr.residual_score}, appetite up to {sr.appetite.max_score})"
                           for sr in sorted(breaches, key=lambda sr: -sr.residual_score))
        reasons.append(f"{len(breaches)} residual risk(s) above appetite: {listed}")
    return tuple(reasons)


def build(assessed: list[Assessed], newest: Optional[dict[str, str]] = None, escalate_tier: Optional[int] = None,
          skipped: tuple[Skipped, ...] = (), warnings: tuple[Problem, ...] = ()) -> Portfolio:
    """The portfolio figures; `newest` maps a questionnaire id to its newest version known."""
    if not assessed:
        raise ValueError("a portfolio needs at least one assessed use case")
    groups: dict[tuple[str, str], list[Assessed]] = {}
    for a in assessed:
        groups.setdefault(use_case_key(a.register), []).append(a)
    chosen: list[Assessed] = []
    duplicates: list[Duplicate] = []
    for items in groups.values():
        ordered = sorted(items, key=newest_first, reverse=True)
        chosen.append(ordered[0])
        if len(ordered) > 1:
            reg = ordered[0].register
            duplicates.append(Duplicate(reg.profile("organisation"), reg.profile("name"), ordered[0], tuple(ordered[1:])))
    newest = dict(newest or {})
    for a in chosen:
        qn = a.register.questionnaire
        if version_key(qn.version) > version_key(newest.get(qn.id, "0")):
            newest[qn.id] = qn.version
    chosen.sort(key=lambda a: (use_case_key(a.register), a.path))
    duplicates.sort(key=lambda d: (d.organisation.casefold(), d.name.casefold()))
    use_cases = tuple(UseCase(a, newest[a.register.questionnaire.id], escalation_reasons(a.register, escalate_tier))
                      for a in chosen)
    reference = _reference(use_cases)
    scoring = reference.scoring
    inherent: Grid = {}
    residual: Grid = {}
    off_scale: list[Problem] = []
    for u in use_cases:
        if _sizes(u.register.questionnaire.scoring) != _sizes(scoring):
            off_scale.append(_off_scale(u, reference))
            continue
        for total, grid in ((inherent, u.register.grid(residual=False)), (residual, u.register.grid(residual=True))):
            for key, n in grid.items():
                total[key] = total.get(key, 0) + n
    return Portfolio(use_cases, tuple(duplicates), tuple(skipped), scoring, _ratings(scoring, use_cases), inherent,
                     residual, _barriers(use_cases), tuple(warnings) + tuple(off_scale), off_scale=tuple(off_scale))


def _sizes(scoring: Scoring) -> tuple[int, int]:
    return scoring.top_likelihood, scoring.top_impact


def _off_scale(u: UseCase, reference: Any) -> Problem:
    """Why a use case scored on other scale sizes is left out of the heat maps: a 4 on a four-level
    scale is its top, on a five-level one it is not, so the cells cannot be added up."""
    own = u.register.questionnaire
    (ol, oi), (rl, ri) = _sizes(own.scoring), _sizes(reference.scoring)
    return Problem(u.source.path, f"scored on {ol}x{oi} scales ({own.label}), so its risks are not in the heat maps, "
                                  f"which are {rl}x{ri} ({reference.label}); every other figure counts them")


def _reference(use_cases: tuple[UseCase, ...]) -> Any:
    """The questionnaire whose scoring labels the portfolio: the most used id, its newest version."""
    ids = Counter(u.register.questionnaire.id for u in use_cases)
    top = sorted(ids.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return max((u.register.questionnaire for u in use_cases if u.register.questionnaire.id == top),
               key=lambda qn: version_key(qn.version))


def _ratings(scoring: Scoring, use_cases: tuple[UseCase, ...]) -> tuple[Band, ...]:
    bands = {b.id: b for b in scoring.ratings}
    for u in use_cases:
        for b in u.register.questionnaire.scoring.ratings:
            bands.setdefault(b.id, b)
    known = [b for b in scoring.ratings]
    extra = sorted((b for b in bands.values() if b.id not in {k.id for k in known}), key=lambda b: b.min)
    return tuple(known + extra)


def _barriers(use_cases: tuple[UseCase, ...]) -> tuple[BarrierShare, ...]:
    """Share of use cases (and of organisations) reporting each barrier, among those asked about it."""
    order: list[str] = []
    latest: dict[str, Any] = {}
    asked: Counter[str] = Counter()
    reported: Counter[str] = Counter()
    orgs: dict[str, set[str]] = {}
    orgs_reporting: dict[str, set[str]] = {}
    for u in sorted(use_cases, key=lambda u: version_key(u.version), reverse=True):
        org = use_case_key(u.register)[0]
        for br in u.register.barriers:
            b = br.barrier
            if b.id not in latest:
                order.append(b.id)
                latest[b.id] = b  # the newest questionnaire's wording and NAO figure
            asked[b.id] += 1
            orgs.setdefault(b.id, set()).add(org)
            if br.reported:
                reported[b.id] += 1
                orgs_reporting.setdefault(b.id, set()).add(org)
    return tuple(BarrierShare(bid, latest[bid].title, latest[bid].nao_share, latest[bid].nao_share_value, asked[bid],
                              reported[bid], len(orgs.get(bid, ())), len(orgs_reporting.get(bid, ())))
                 for bid in order)
