"""The board pack (`risk-cli report`, `risk-cli portfolio --report`): what a board reads, decided
once, here, as data.

Pure: a scored `Register` (or a `Portfolio`) in, a `Report` out. A report is a title, the
protective marking and a list of sections made of a few kinds of block (paragraphs, lists, tables,
heat maps); each format's renderer (output.report for Markdown, writers.report_html,
writers.report_docx) only lays those blocks out, so the formats cannot drift apart. Every text is
plain: each renderer escapes it for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from risk_cli import __version__
from risk_cli.model.scoring import ACTION_DAYS, PRIORITY_ORDER, Grid, Register, ScoredRisk

if TYPE_CHECKING:
    from risk_cli.model.portfolio import Portfolio, UseCase
    from risk_cli.model.questionnaire import Scoring

TOP = 10  # risks in the top-risks table
CHECK_FILLS = {"Done": "C6EFCE", "Outstanding": "FFC7CE", "Recommended, not done": "FFEB9C"}
BREACH_FILL = "FFC7CE"
NAO_REPORT = "NAO, Use of artificial intelligence in government (March 2024)"


@dataclass(frozen=True)
class Cell:
    """A table cell: its text and, for a rating or a status, a background colour (hex RGB)."""

    text: str
    fill: str = ""


@dataclass(frozen=True)
class Paragraph:
    text: str
    strong: bool = False


@dataclass(frozen=True)
class Subheading:
    text: str


@dataclass(frozen=True)
class Items:
    """A list; `ordered` for decisions a board takes in turn."""

    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    """A table with a header row; `key` names it for tools and tests (such as "top-risks")."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    key: str = ""


@dataclass(frozen=True)
class HeatMap:
    """A likelihood x impact grid of risk counts (5x5, or the questionnaire's scale sizes), each
    cell coloured by its rating band. `rows` run from the highest likelihood (top) down to 1; the
    columns from impact 1 to the highest."""

    title: str
    likelihood: tuple[str, ...]  # labels of likelihood 1..N
    impact: tuple[str, ...]  # labels of impact 1..N
    rows: tuple[tuple[Cell, ...], ...]
    legend: tuple[Cell, ...]  # each rating band, lowest first, in its colour
    total: int

    @property
    def levels(self) -> tuple[int, int]:
        """The grid's rows and columns: the likelihood and impact scales' sizes (5 and 5 on 5x5)."""
        return len(self.likelihood), len(self.impact)


Block = Union[Paragraph, Subheading, Items, Table, HeatMap]


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]
    annex: bool = False  # starts a new page in print


@dataclass(frozen=True)
class Report:
    """One board pack, whatever the format."""

    marking: str  # the protective marking, printed at the top and the bottom
    title: str
    subtitle: str
    sections: tuple[Section, ...]
    dated: str  # ISO date the content is as of (the assessment): documents' fixed dates come from it

    def section(self, heading: str) -> Section:
        return next(s for s in self.sections if s.heading == heading)


# -- one use case ---------------------------------------------------------------------------

def build(register: Register, marking: str) -> Report:
    """The board pack for one use case, from its scored register."""
    name = register.profile("name") or "Unnamed use case"
    org = register.profile("organisation")
    sections = (
        Section("Summary", (Paragraph(summary(register)),)),
        Section("Assurance tier", tier_blocks(register)),
        Section("Decisions for the board", (Paragraph("The board is asked to:"), Items(decisions(register), ordered=True))),
        Section("Top risks", top_risks(register)),
        Section("Heat maps", (heat_map("Inherent risk (before controls)", register.grid(residual=False),
                                       register.questionnaire.scoring),
                              heat_map("Residual risk (after controls in place)", register.grid(residual=True),
                                       register.questionnaire.scoring))),
        Section(checks_heading(register), checks(register)),
        Section("Delivery barriers", barriers(register)),
        Section("Actions by priority", actions(register)),
        Section("Annex: method", method(register), annex=True),
    )
    subtitle = " · ".join(x for x in (org, f"self-assessment of {register.assessed_on}",
                                       f"next review by {register.next_review}") if x)
    return Report(marking, f"Board pack: {name}", subtitle, sections, register.assessed_on)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text.endswith((".", "?", "!")) else text + "."


def summary(register: Register) -> str:
    """One paragraph in plain English: what the use case is, its tier, the risks above appetite, the top concern."""
    name = register.profile("name") or "This use case"
    org, purpose, phase = register.profile("organisation"), register.profile("purpose"), register.profile("phase")
    tier = register.tier
    parts = [f"{name}{f' ({org})' if org else ''}" + (f": {_sentence(purpose)}" if purpose else ".")]
    if phase:
        parts.append(f"It is at the {phase.lower()} phase.")
    parts.append(f"The self-assessment puts it in {tier.level.label}, to be approved by {tier.approver}"
                 if tier.approver else f"The self-assessment puts it in {tier.level.label}")
    parts[-1] += f", and reviewed every {tier.level.review_months} months."
    breaches, total = register.breaches, len(register.risks)
    if not total:
        parts.append("The answers raise no risk.")
    elif breaches:
        one = len(breaches) == 1
        parts.append(f"{len(breaches)} of its {total} residual risks {'is' if one else 'are'} above the risk appetite "
                     f"for {'its' if one else 'their'} category and {'needs' if one else 'need'} a decision.")
    else:
        parts.append(f"All {total} of its residual risks are within the risk appetite for their category.")
    worst = register.by_residual()
    if worst:
        top = worst[0]
        parts.append(f"The top concern is {top.risk.id}, {top.risk.title}: residual score {top.residual_score} "
                     f"({top.residual_rating.label}) against an appetite of up to {top.appetite.max_score}.")
    outstanding = register.outstanding_checks
    if outstanding:
        parts.append(f"{_count(len(outstanding), 'mandatory check is', 'mandatory checks are')} outstanding.")
    return " ".join(parts)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def tier_blocks(register: Register) -> tuple[Block, ...]:
    tier = register.tier
    scoring = register.questionnaire.scoring
    blocks: list[Block] = [Table(("Tier", "Who approves", "Review", "Assessments required"), ((
        Cell(tier.level.label), Cell(tier.approver), Cell(f"Every {tier.level.review_months} months"),
        Cell("; ".join(tier.level.assessments))),), key="tier")]
    blocks.append(Subheading("Why this tier"))
    explained = tier.explained or ()
    if explained:
        blocks.append(Items(tuple(e.because + (f" (risks: {', '.join(e.risks)})" if e.risks else "") for e in explained)))
    else:
        blocks.append(Items(tier.reasons))
    remedies = [e for e in explained if e.would_move_down]
    blocks.append(Subheading("What would move it down"))
    if remedies:
        blocks.append(Items(tuple(_sentence(f"{e.because}: {e.would_move_down}" if len(explained) > 1
                                            else e.would_move_down[:1].upper() + e.would_move_down[1:])
                                  for e in remedies)))
        if tier.without < tier.level.level:
            blocks.append(Paragraph(f"Without these reasons it would be {scoring.tier(tier.without).label}."))
    elif tier.level.level == min(t.level for t in scoring.tier_levels):
        blocks.append(Paragraph("It is already in the lowest tier."))
    else:
        blocks.append(Paragraph("Nothing the answers record: the reasons follow from what the use case is."))
    return tuple(blocks)


def decisions(register: Register) -> tuple[str, ...]:
    """What the board is asked to decide: the approval at this tier, each risk above appetite, each
    outstanding mandatory check."""
    tier = register.tier
    name = register.profile("name") or "the use case"
    scoring = register.questionnaire.scoring
    out = [f"Approve {name} at {tier.level.label}" + (f" (approver: {tier.approver})" if tier.approver else "")
           + ", or say what must change first."]
    for sr in sorted(register.breaches, key=lambda r: (-r.residual_score, -r.score)):
        out.append(f"Accept or treat {sr.risk.id}, {sr.risk.title}: residual score {sr.residual_score} "
                   f"({sr.residual_rating.label}) is above the {sr.appetite.label} appetite for "
                   f"{scoring.category(sr.risk.category).label} risks (up to {sr.appetite.max_score}); "
                   f"escalate to {register.escalation(sr)}"
                   + (f"; target date {register.target_date(sr)}" if register.target_date(sr) else "") + ".")
    dues = {a.id: a.due for a in register.actions}
    for cr in register.outstanding_checks:
        due = dues.get(f"CHECK-{cr.check.id}", "")
        out.append(f"Make sure {cr.check.title} is completed" + (f" by {due}" if due else "")
                   + (f" ({_sentence(cr.basis)[:-1]})" if cr.basis else "") + ".")
    return tuple(out)


def risk_cells(register: Register, sr: ScoredRisk) -> tuple[Cell, ...]:
    scoring = register.questionnaire.scoring
    return (Cell(sr.risk.id), Cell(sr.risk.title), Cell(scoring.category(sr.risk.category).label),
            Cell(f"{sr.score} {sr.rating.label}", sr.rating.colour),
            Cell(f"{sr.residual_score} {sr.residual_rating.label}", sr.residual_rating.colour),
            Cell(f"{sr.appetite.label}, up to {sr.appetite.max_score}" + ("" if not sr.breach else ": above"),
                 BREACH_FILL if sr.breach else ""),
            Cell(register.profile("owner") or "-"), Cell(sr.risk.owner or "-"), Cell("Treat" if sr.breach else "Tolerate"),
            Cell(register.target_date(sr) or "-"))


RISK_HEADERS = ("Risk", "Title", "Category", "Inherent", "Residual", "Appetite", "Risk owner", "Action owner",
                "Treatment", "Target date")


def top_risks(register: Register) -> tuple[Block, ...]:
    ranked = register.by_residual()
    if not ranked:
        return (Paragraph("The answers raise no risk."),)
    shown = ranked[:TOP]
    lead = (f"The {len(shown)} highest residual risks of {len(ranked)}, worst first" if len(ranked) > len(shown)
            else f"All {len(ranked)} risks, worst residual first")
    return (Paragraph(f"{lead}; owners, treatment and target dates as the register sets them "
                      "(the register's Risk register sheet lists every risk)."),
            Table(RISK_HEADERS, tuple(risk_cells(register, sr) for sr in shown), key="top-risks"))


def heat_map(title: str, grid: Grid, scoring: "Scoring") -> HeatMap:
    rows = tuple(tuple(Cell(str(grid.get((lk, im), 0) or ""), scoring.band(lk * im).colour)
                       for im in range(1, scoring.top_impact + 1))
                 for lk in range(scoring.top_likelihood, 0, -1))
    return HeatMap(title, tuple(level.label for level in scoring.likelihood), tuple(level.label for level in scoring.impact),
                   rows, tuple(Cell(f"{b.label} ({b.min}-{b.max})", b.colour) for b in scoring.ratings), sum(grid.values()))


def checks_heading(register: Register) -> str:
    return "Mandatory and recommended checks" if any(not c.mandatory for c in register.checks) else "Mandatory checks"


def checks(register: Register) -> tuple[Block, ...]:
    if not register.checks:
        return (Paragraph("None of the mandatory checks applies to these answers."),)
    return (Table(("Check", "Status", "Legal or policy basis"),
                  tuple((Cell(c.check.title), Cell(c.status, CHECK_FILLS.get(c.status, "")), Cell(c.basis))
                        for c in register.checks), key="checks"),)


def barriers(register: Register) -> tuple[Block, ...]:
    if not register.barriers:
        return (Paragraph("This questionnaire asks about no delivery barriers."),)
    return (Paragraph(f"The barriers to AI adoption the {NAO_REPORT} found, whether this use case reports each, "
                      "and the share of bodies reporting it in the NAO's 2023 survey."),
            Table(("Barrier", "Reported here", "NAO 2023 survey"),
                  tuple((Cell(b.barrier.title), Cell("Yes" if b.reported else "No", "FFEB9C" if b.reported else ""),
                         Cell(b.barrier.nao_share)) for b in register.barriers), key="barriers"))


def actions(register: Register) -> tuple[Block, ...]:
    if not register.actions:
        return (Paragraph("No action is raised."),)
    owner = register.profile("owner")
    risk_owner = {sr.risk.id: sr.risk.owner for sr in register.risks}
    blocks: list[Block] = []
    for priority in sorted({a.priority for a in register.actions}, key=PRIORITY_ORDER.__getitem__):
        rows = []
        for a in (x for x in register.actions if x.priority == priority):
            who = risk_owner.get(a.risks[0], "") if a.kind == "risk" and a.risks else ""
            rows.append((Cell(a.id), Cell(a.text), Cell(", ".join(a.risks) or "-"), Cell(who or owner or "-"), Cell(a.due)))
        blocks += [Subheading(f"{priority.capitalize()} (due within {ACTION_DAYS[priority]} days of the assessment)"),
                   Table(("Action", "What", "Treats", "Owner", "Due"), tuple(rows), key=f"actions-{priority}")]
    blocks.append(Paragraph("Owners: a risk action's owner is its risk's action owner; checks and finding out unknown "
                            "answers fall to the senior responsible owner until the register names someone else."))
    return tuple(blocks)


def appetite_source(register: Register) -> str:
    if not register.answers.appetite:
        return f"the questionnaire's own appetite by Orange Book category ({register.questionnaire.label})"
    return register.appetite_source or "the appetite set with the answers"


def scales(scoring: "Scoring") -> tuple[Block, ...]:
    return (Subheading("Likelihood scale"),
            Table(("Value", "Level", "Meaning"), tuple((Cell(str(s.value)), Cell(s.label), Cell(s.description))
                                                       for s in scoring.likelihood), key="likelihood"),
            Subheading("Impact scale"),
            Table(("Value", "Level", "Meaning"), tuple((Cell(str(s.value)), Cell(s.label), Cell(s.description))
                                                       for s in scoring.impact), key="impact"),
            Subheading("Rating bands"),
            Table(("Rating", "Scores"), tuple((Cell(b.label, b.colour), Cell(f"{b.min} to {b.max}"))
                                             for b in scoring.ratings), key="bands"))


def method_text(scoring: "Scoring") -> str:
    """How the scores are worked out, on the questionnaire's scales (1 to 5 each on 5x5)."""
    return (f"Each risk follows HM Treasury's Orange Book: likelihood (1 to {scoring.top_likelihood}) times impact "
            f"(1 to {scoring.top_impact}) gives a score from 1 to {scoring.top_score}, rated by the bands below. The "
            "inherent score is before controls; the residual score subtracts the controls the team reported in place. "
            "A \"Don't know\" or missing answer is never read as safe. A residual score above the appetite for the "
            "risk's category is outside appetite and is escalated. Every score is worked out again by risk-cli from the "
            "answers; none is read from a spreadsheet.")


def method(register: Register) -> tuple[Block, ...]:
    qn = register.questionnaire
    s = qn.scoring
    appetite = tuple((Cell(c.label), Cell(s.appetite(c.id, register.answers.appetite).label),
                      Cell(str(s.appetite(c.id, register.answers.appetite).max_score))) for c in s.categories)
    return (Paragraph(method_text(s)),) + scales(s) + (
        Subheading("Risk appetite used"),
        Paragraph(f"Source: {appetite_source(register)}."),
        Table(("Category", "Appetite", "Highest residual score within it"), appetite, key="appetite"),
        Subheading("Questionnaire"),
        Table(("Questionnaire", "Id", "Version", "Content hash (SHA-256)"),
              ((Cell(qn.title), Cell(qn.id), Cell(qn.version), Cell(qn.sha256)),), key="questionnaire"),
        Paragraph(f"Prepared by risk-cli {__version__} from the self-assessment of {register.assessed_on}."),
    )


# -- a portfolio ----------------------------------------------------------------------------

def build_portfolio(pf: "Portfolio", marking: str) -> Report:
    """The board pack for an assurance board across every use case: escalations first."""
    dates = sorted(u.register.assessed_on for u in pf.use_cases)
    orgs = sorted({u.organisation for u in pf.use_cases})
    span = dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"
    sections = [
        Section("Summary", (Paragraph(portfolio_summary(pf)),)),
        Section("Escalations", escalations(pf)),
        Section("Tiers", (Table(("Tier", "Use cases"), tuple((Cell(label), Cell(str(n))) for label, n in pf.tiers()),
                                key="tiers"),)),
        Section("Use cases", (Table(("Use case", "Organisation", "Tier", "Worst residual", "Above appetite",
                                     "Outstanding checks", "Assessed on", "Questionnaire"),
                                    tuple(_use_case_row(u) for u in pf.use_cases), key="use-cases"),)),
        Section("Top risks across the portfolio", portfolio_top_risks(pf)),
        Section("Heat maps", (heat_map("Inherent risk across the portfolio (before controls)", pf.inherent, pf.scoring),
                              heat_map("Residual risk across the portfolio (after controls in place)", pf.residual,
                                       pf.scoring)) + ((Paragraph("Not in the heat maps:"),
                                                        Items(tuple(str(p) for p in pf.off_scale))) if pf.off_scale else ())),
        Section("Delivery barriers", portfolio_barriers(pf)),
    ]
    if pf.skipped or pf.duplicates:
        sections.append(Section("Inputs not used", tuple(
            [Items(tuple(s.line() for s in pf.skipped))] if pf.skipped else []) + tuple(
            [Items(tuple(d.line() for d in pf.duplicates))] if pf.duplicates else [])))
    qns = sorted({(u.register.questionnaire.id, u.register.questionnaire.version, u.register.questionnaire.sha256,
                   u.register.questionnaire.title) for u in pf.use_cases})
    sections.append(Section("Annex: method", (Paragraph(method_text(pf.scoring)),) + scales(pf.scoring) + (
        Subheading("Risk appetite used"),
        Items(tuple(f"{u.name} ({u.organisation}): {appetite_source(u.register)}" for u in pf.use_cases)),
        Subheading("Questionnaires"),
        Table(("Questionnaire", "Id", "Version", "Content hash (SHA-256)"),
              tuple((Cell(t), Cell(i), Cell(v), Cell(h)) for i, v, h, t in qns), key="questionnaire"),
        Paragraph(f"Prepared by risk-cli {__version__} from {len(pf.use_cases)} self-assessment(s) of {span}."),
    ), annex=True))
    subtitle = f"{len(pf.use_cases)} use case(s) from {len(orgs)} organisation(s) · assessed {span}"
    return Report(marking, "Assurance board pack: AI use cases", subtitle, tuple(sections), dates[-1])


def portfolio_summary(pf: "Portfolio") -> str:
    n, esc = len(pf.use_cases), pf.escalations_by_urgency()
    tiers = ", ".join(f"{count} in {label}" for label, count in pf.tiers())
    breaches = sum(len(u.register.breaches) for u in pf.use_cases)
    with_breach = sum(1 for u in pf.use_cases if u.register.breaches)
    parts = [f"The portfolio holds {_count(n, 'AI use case', 'AI use cases')} ({tiers})."]
    parts.append(f"{_count(len(esc), 'goes', 'go')} to this board." if esc else "None needs escalating to this board.")
    if esc:
        parts[-1] = f"{len(esc)} of them {'goes' if len(esc) == 1 else 'go'} to this board."
    parts.append(f"Across them, {_count(breaches, 'residual risk is', 'residual risks are')} above appetite, in "
                 f"{_count(with_breach, 'use case', 'use cases')}." if breaches else "Every residual risk is within appetite.")
    if esc:
        top = esc[0]
        parts.append(f"The most urgent is {top.name} ({top.organisation}), {top.register.tier.level.label}"
                     + (f", with {_count(len(top.register.breaches), 'risk', 'risks')} above appetite" if top.register.breaches else "")
                     + ".")
    checks = sum(len(u.register.outstanding_checks) for u in pf.use_cases)
    if checks:
        parts.append(f"{_count(checks, 'mandatory check is', 'mandatory checks are')} outstanding across the portfolio.")
    return " ".join(parts)


def escalations(pf: "Portfolio") -> tuple[Block, ...]:
    esc = pf.escalations_by_urgency()
    if not esc:
        return (Paragraph("No use case needs escalating: none is in a top tier and every residual risk is within appetite."),)
    rows = tuple((Cell(str(n)), Cell(u.name), Cell(u.organisation), Cell(u.register.tier.level.label),
                  Cell(str(len(u.register.breaches)), BREACH_FILL if u.register.breaches else ""),
                  Cell(str(len(u.register.outstanding_checks))), Cell("; ".join(u.reasons)))
                 for n, u in enumerate(esc, start=1))
    asks = tuple(f"Decide on {u.name} ({u.organisation}): approve at {u.register.tier.level.label}"
                 + (f" (approver: {u.register.tier.approver})" if u.register.tier.approver else "")
                 + (f", and accept or treat {', '.join(sr.risk.id for sr in u.register.breaches)}" if u.register.breaches else "")
                 + (f", and see {_count(len(u.register.outstanding_checks), 'mandatory check', 'mandatory checks')} done"
                    if u.register.outstanding_checks else "") + "." for u in esc)
    return (Paragraph("Most urgent first: highest tier, then most risks above appetite."),
            Table(("#", "Use case", "Organisation", "Tier", "Above appetite", "Outstanding checks", "Why"), rows,
                  key="escalations"),
            Subheading("Decisions for the board"), Items(asks, ordered=True))


def _use_case_row(u: "UseCase") -> tuple[Cell, ...]:
    worst = u.worst_residual
    qn = u.register.questionnaire
    return (Cell(u.name), Cell(u.organisation), Cell(u.register.tier.level.label),
            Cell(f"{worst.risk.id} {worst.residual_score} {worst.residual_rating.label}", worst.residual_rating.colour)
            if worst else Cell("-"),
            Cell(str(len(u.register.breaches)), BREACH_FILL if u.register.breaches else ""),
            Cell(str(len(u.register.outstanding_checks))), Cell(u.register.assessed_on),
            Cell(qn.label + (f" (newest {u.newest_version})" if u.outdated else "")))


def portfolio_top_risks(pf: "Portfolio") -> tuple[Block, ...]:
    ranked = sorted(((u, sr) for u in pf.use_cases for sr in u.register.risks),
                    key=lambda p: (-p[1].residual_score, -p[1].score, p[0].name.casefold(), p[1].risk.id))
    if not ranked:
        return (Paragraph("No use case raises a risk."),)
    shown = ranked[:TOP]
    rows = tuple((Cell(u.name),) + risk_cells(u.register, sr) for u, sr in shown)
    return (Paragraph(f"The {len(shown)} highest residual risks of {len(ranked)}, worst first."),
            Table(("Use case",) + RISK_HEADERS, rows, key="top-risks"))


def portfolio_barriers(pf: "Portfolio") -> tuple[Block, ...]:
    if not pf.barriers:
        return (Paragraph("No questionnaire used asks about delivery barriers."),)

    def pct(x: "float | None") -> str:
        return "-" if x is None else f"{round(x * 100)}%"

    rows = tuple((Cell(b.title), Cell(f"{b.reporting} of {b.use_cases} ({pct(b.share)})"),
                  Cell(f"{b.organisations_reporting} of {b.organisations} ({pct(b.organisation_share)})"),
                  Cell(b.nao_share)) for b in pf.barriers)
    return (Paragraph(f"How widely each barrier the {NAO_REPORT} found is reported here, beside the share of bodies "
                      "reporting it in the NAO's 2023 survey."),
            Table(("Barrier", "Use cases reporting", "Organisations reporting", "NAO 2023 survey"), rows, key="barriers"))
