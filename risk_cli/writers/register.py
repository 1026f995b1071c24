"""The Excel risk register: the workbook a UK risk manager and assurance board receive.

Sheets: Summary, Risk register, Actions, Responses, About, and a hidden data sheet holding
the answers file so the register can be imported and re-assessed later. On the Risk register
each score is a formula of its likelihood and impact cells, and each rating a formula of its
score over the questionnaire's rating bands (written as literals), so a risk manager who changes
a likelihood in Excel or LibreOffice sees the score, the rating and its colour follow; the
formulas are risk-cli's own (`score_formula`, `rating_formula`, written by xlsx.put_formula),
never a person's text. A spreadsheet's score is never trusted on reading: every command
re-scores from the answers in the hidden data sheet, and readers.scores reports an edited
likelihood or impact. The sheet names and columns are in `register_layout`, which the readers share.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from risk_cli import __version__
from risk_cli.model.answers import to_yaml
from risk_cli.writers.register_layout import (
    ABOUT, ACTION_COLUMNS, ACTIONS, CHANGE, DATA, REGISTER, REGISTER_COLUMNS, RESPONSES, SUMMARY,
)
from risk_cli.model.questionnaire import Scoring
from risk_cli.model.scoring import RaisedAction, Register, ScoredRisk, display, proximity
from risk_cli.writers import xlsx
from risk_cli.writers.xlsx import (
    BOLD, DEFAULT_MARKING, GREY_FILL, SUBTITLE, TITLE, WRAP, as_date, dropdown, fill, fit_rows, header_row, heat_map,
    formula_problem, formula_text, merge, print_setup, properties, put, put_formula, rating_formats, save, table, uk_date, widths,
)

if TYPE_CHECKING:
    from risk_cli.readers.register import Carry

RESPONSE_COLUMNS = [
    ("No.", 5), ("Section", 16), ("Question ID", 22), ("Question", 50), ("Answer", 26),
    ("Answer IDs", 14), ("Note", 28), ("Status", 12), ("Sources", 90),
]
SUMMARY_WIDTHS = [34, 15, 15, 15, 15, 15, 80]
ABOUT_WIDTHS = [28, 12, 12, 150]
TREATMENTS = ["Tolerate", "Treat", "Transfer", "Terminate"]
RISK_STATUSES = ["Open", "Closed", "Escalated", "Realised"]
TRENDS = ["New", "Up", "Down", "Same"]
ACTION_STATUSES = ["Not started", "In progress", "Done", "Not needed"]
CHECK_FILLS = {"Done": "C6EFCE", "Outstanding": "FFC7CE", "Recommended, not done": "FFEB9C"}


def write(register: Register, path: Path, force: bool = False, carry: Optional["Carry"] = None,
          marking: str = DEFAULT_MARKING) -> None:
    """Build the workbook and write it atomically."""
    save(build(register, carry, marking), path, force)


def build(register: Register, carry: Optional["Carry"] = None, marking: str = DEFAULT_MARKING) -> Workbook:
    """The register; `carry` (from register_import.compare) brings a previous register's edits;
    `marking` is the protective marking printed on every page and shown on the Summary."""
    wb = Workbook()
    summary_sheet(wb.active, register, carry, marking)
    register_sheet(wb.create_sheet(REGISTER), register, carry)
    actions_sheet(wb.create_sheet(ACTIONS), register, carry)
    responses_sheet(wb.create_sheet(RESPONSES), register)
    about_sheet(wb.create_sheet(ABOUT), register, marking)
    data_sheet(wb.create_sheet(DATA), register)
    name = register.profile("name")
    dated = f"Assessed {uk_date(register.assessed_on)}"
    for ws in (wb[SUMMARY], wb[REGISTER], wb[ACTIONS], wb[RESPONSES], wb[ABOUT]):
        tidy = ws.title in (REGISTER, ACTIONS, RESPONSES)  # a table: its header row repeats on every page
        print_setup(ws, name, marking, title_rows="1:1" if tidy else None, dated=dated,
                    print_area=f"A1:{get_column_letter(ws.max_column)}{ws.max_row}")
    provisional_notice(wb, register, name, marking, dated)
    properties(wb, f"AI use case risk register: {name}",
               f"Orange Book risk register, {register.questionnaire.label}, assessed {register.assessed_on}")
    return wb


NOT_ANSWERED = "Not answered"


def provisional_notice(wb: Workbook, register: Register, name: str, marking: str, dated: str) -> None:
    """A provisional register (`import --allow-incomplete`: required answers missing) says so in the
    titles of its Summary and About sheets, and lists every question not answered on a sheet of its
    own, second, so nobody takes it for a finished assessment. A complete register is left as it is."""
    from openpyxl.styles import Font

    if not register.provisional:
        return
    n = len(register.missing_required)
    flag = f"PROVISIONAL: {n} question{'s' if n != 1 else ''} not answered"
    warn = Font(bold=True, size=12, color="C00000")
    line = (f"{n} required question{'s are' if n != 1 else ' is'} not answered; each is scored cautiously, as "
            f"\"Don't know\" would be (see the {NOT_ANSWERED} sheet). Answer them and import again for a final register.")
    for sheet in (SUMMARY, ABOUT):
        ws = wb[sheet]
        ws.cell(row=1, column=1).value = f"{flag}. {ws.cell(row=1, column=1).value}"
        put(ws, 2, 1, line, font=warn)
    ws = wb.create_sheet(NOT_ANSWERED, index=1)
    ws.sheet_properties.tabColor = "C00000"
    qn = register.questionnaire
    columns = [("Question ID", 24), ("Section", 24), ("Question", 90), ("Required", 10)]
    widths(ws, [w for _, w in columns])
    header_row(ws, 1, [c for c, _ in columns])
    for r, qid in enumerate(register.unanswered, start=2):
        q = qn.by_id[qid]
        for c, value in enumerate((qid, qn.section_of[qid].title, q.text, "Yes" if q.required else "No"), start=1):
            put(ws, r, c, value, border=True, align=WRAP)
    ws.freeze_panes = "A2"
    fit_rows(ws, [w for _, w in columns], 2, len(register.unanswered) + 1)
    print_setup(ws, name, marking, title_rows="1:1", dated=dated,
                print_area=f"A1:D{len(register.unanswered) + 1}")


def generated_at() -> str:
    """Now, or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch and epoch.isdigit() else dt.datetime.now(dt.timezone.utc)
    return when.strftime("%Y-%m-%d %H:%M UTC")


def target_date(register: Register, sr: ScoredRisk) -> str:
    return register.target_date(sr)  # the board report shows the same date (model.report)


# -- sheets ------------------------------------------------------------------------------

def summary_sheet(ws: Any, register: Register, carry: Optional["Carry"] = None,
                  marking: str = DEFAULT_MARKING) -> None:
    ws.title = SUMMARY
    qn = register.questionnaire
    scoring = qn.scoring
    widths(ws, SUMMARY_WIDTHS)
    put(ws, 1, 1, f"AI use case risk register: {register.profile('name')}", font=TITLE)
    tier = register.tier.level
    rows = [
        ("Protective marking", marking),
        ("Use case", register.profile("name")), ("Organisation", register.profile("organisation")),
        ("Senior responsible owner", register.profile("owner")), ("Phase", register.profile("phase")),
        ("Assessed on", as_date(register.assessed_on)), ("Next review", as_date(register.next_review)),
        ("Questionnaire", f"{qn.title} ({qn.id} {qn.version})"),
        ("Risk appetite", appetite_text(register)),
    ]
    if carry is not None:
        rows += carry.summary_rows()
    r = labelled(ws, 3, rows) + 1
    put(ws, r, 1, "Assurance tier", font=SUBTITLE)
    r += 1
    r = labelled(ws, r, [("Tier", tier.label), ("Who approves", register.tier.approver),
                         ("Review", f"Every {tier.review_months} months")])
    put(ws, r, 1, "Assessments required", font=BOLD)
    for item in tier.assessments:
        put(ws, r, 2, item)
        r += 1
    r = tier_reasons(ws, r, register)
    r += 1
    put(ws, r, 1, "Risks by rating", font=SUBTITLE)
    header_row(ws, r + 1, ["Rating", "Inherent", "Residual"])
    inherent, residual = register.counts(residual=False), register.counts()
    r += 2
    for band in reversed(scoring.ratings):
        put(ws, r, 1, band.label, fill_=fill(band.colour), border=True)
        put(ws, r, 2, inherent[band.id], border=True)
        put(ws, r, 3, residual[band.id], border=True)
        r += 1
    put(ws, r, 1, "Total", font=BOLD, border=True)
    put(ws, r, 2, len(register.risks), font=BOLD, border=True)
    put(ws, r, 3, len(register.risks), font=BOLD, border=True)
    r += 2
    r = heat_map(ws, r, 1, "Inherent risk heat map (number of risks)", register.grid(residual=False), scoring)
    r = heat_map(ws, r, 1, "Residual risk heat map (number of risks)", register.grid(residual=True), scoring)

    put(ws, r, 1, "Residual risks above appetite", font=SUBTITLE)
    r += 1
    if register.breaches:
        header_row(ws, r, ["Risk ID", "Category", "Residual score", "Appetite", "Appetite max", "Escalate to", "Title"])
        for sr in sorted(register.breaches, key=lambda b: (-b.residual_score, b.risk.id)):  # worst first
            r += 1
            values = [sr.risk.id, scoring.category(sr.risk.category).label, sr.residual_score,
                      sr.appetite.label, sr.appetite.max_score, register.escalation(sr), sr.risk.title]
            for c, v in enumerate(values, start=1):
                put(ws, r, c, v, border=True)
    else:
        put(ws, r, 1, "None: every residual risk is within the risk appetite for its category.")
    r += 2
    recommended = any(not cr.mandatory for cr in register.checks)
    put(ws, r, 1, "Mandatory and recommended checks" if recommended else "Mandatory checks", font=SUBTITLE)
    r += 1
    if register.checks:
        header_row(ws, r, ["Check", "Status", "Legal or policy basis"])
        merge(ws, r, 3, 7)
        for cr in register.checks:
            r += 1
            put(ws, r, 1, cr.check.title, border=True, align=WRAP)
            put(ws, r, 2, cr.status, border=True, align=WRAP, fill_=fill(CHECK_FILLS[cr.status]))
            put(ws, r, 3, cr.basis, border=True, align=WRAP)
            merge(ws, r, 3, 7)
    else:
        put(ws, r, 1, "None of the mandatory checks applies to these answers.")
    r += 2
    put(ws, r, 1, "Delivery barriers (NAO, Use of AI in government, 2024)", font=SUBTITLE)
    r += 1
    header_row(ws, r, ["Barrier", "Reported here", "Share of bodies in the NAO's 2023 survey"])
    merge(ws, r, 3, 7)
    for br in register.barriers:
        r += 1
        put(ws, r, 1, br.barrier.title, border=True, align=WRAP)
        put(ws, r, 2, "Yes" if br.reported else "No", border=True, align=WRAP,
            fill_=fill("FFEB9C") if br.reported else None)
        put(ws, r, 3, br.barrier.nao_share, border=True, align=WRAP)
        merge(ws, r, 3, 7)
    r += 2
    if register.unanswered:
        put(ws, r, 1, "Questions not answered (scored cautiously)", font=SUBTITLE)
        for qid in register.unanswered:
            r += 1
            put(ws, r, 1, qid)
            put(ws, r, 2, qn.by_id[qid].text)
        r += 2
    put(ws, r, 1, f"Generated by risk-cli {__version__}. See the About sheet for how scores are worked out.", font=None)
    fit_rows(ws, SUMMARY_WIDTHS, 1, r)
    ws.sheet_view.showGridLines = False


def tier_reasons(ws: Any, r: int, register: Register) -> int:
    """Why the use case is in its tier, and what would move it down: a board's first question."""
    tier = register.tier
    put(ws, r, 1, "Why this tier", font=BOLD)
    for reason in tier.reasons:
        put(ws, r, 2, reason, align=WRAP)
        merge(ws, r, 2, 7)
        r += 1
    remedies = [(e.because, e.would_move_down) for e in tier.explained if e.would_move_down]
    if remedies:
        put(ws, r, 1, "What would move it down", font=BOLD)
        for because, remedy in remedies:
            put(ws, r, 2, f"{because}: {remedy}" if len(tier.explained) > 1 else remedy[0].upper() + remedy[1:], align=WRAP)
            merge(ws, r, 2, 7)
            r += 1
        if tier.without < tier.level.level:
            put(ws, r, 2, f"Without these reasons it would be {register.questionnaire.scoring.tier(tier.without).label}.", align=WRAP)
            merge(ws, r, 2, 7)
            r += 1
    return r


def appetite_text(register: Register) -> str:
    """Whose risk appetite the register was judged against."""
    if not register.answers.appetite:
        return "The questionnaire's own, by Orange Book category (see About)"
    return (register.appetite_source or "Set with the answers") + " (see About)"


def risk_row(register: Register, sr: ScoredRisk) -> dict[str, Any]:
    """One risk's cells by column header, as risk-cli fills them before anyone edits them."""
    qn = register.questionnaire
    risk = sr.risk
    actions = [a for a in register.actions if risk.id in a.risks]
    barrier = next((b for b in qn.barriers if b.id == risk.barrier), None) if risk.barrier else None
    return {
        "Risk ID": risk.id, "Category": qn.scoring.category(risk.category).label, "AI sub-category": risk.subcategory,
        "Title": risk.title, "Description (cause, event, effect)": risk.description,
        "Inherent likelihood": sr.likelihood, "Inherent impact": sr.impact, "Inherent score": sr.score,
        "Inherent rating": sr.rating.label, "Why this score": "\n".join(sr.because) or "Base score for this risk",
        "Existing controls": "\n".join(c.text for c in sr.controls) or "None reported",
        "Residual likelihood": sr.residual_likelihood, "Residual impact": sr.residual_impact,
        "Residual score": sr.residual_score, "Residual rating": sr.residual_rating.label,
        "Risk appetite": f"{sr.appetite.label} (up to {sr.appetite.max_score})",
        "Within appetite": "No" if sr.breach else "Yes", "Target score": sr.target_score,
        "Treatment": "Treat" if sr.breach else "Tolerate",
        "Planned actions": "\n".join(f"{a.id} ({a.priority}): {a.text}" for a in actions),
        "Risk owner": register.profile("owner"), "Action owner": risk.owner,
        "Target date": as_date(target_date(register, sr)),
        "Proximity": proximity(risk, register.values.get("profile.phase")), "Trend": "New", CHANGE: "",
        "Escalation level": register.escalation(sr), "Status": "Open", "Date raised": as_date(register.assessed_on),
        "Last reviewed": as_date(register.assessed_on), "Next review": as_date(register.next_review),
        "NAO barrier": f"{barrier.title} (NAO: {barrier.nao_share})" if barrier else "",
        "Framework references": "\n".join(risk.references), "Unknown answers to find out": "\n".join(sr.unknowns),
        "Notes": "",
    }


def labelled(ws: Any, row: int, pairs: list[tuple[str, Any]]) -> int:
    """A block of bold labels with their values beside them; returns the row after it."""
    for label, value in pairs:
        put(ws, row, 1, label, font=BOLD)
        put(ws, row, 2, value)
        row += 1
    return row


def rows_sheet(ws: Any, name: str, columns: list[tuple[str, float]], extra: list[str],
               rows: list[dict[str, Any]]) -> int:
    """A tidy table of one row per item, cells by header (plus columns people added); returns the last row."""
    headers = [header for header, _ in columns] + extra
    sizes = [width for _, width in columns] + [20] * len(extra)
    header_row(ws, 1, headers)
    widths(ws, sizes)
    for row, cells in enumerate(rows, start=2):
        for col, header in enumerate(headers, start=1):
            value = cells.get(header)
            put(ws, row, col, "" if value is None else value, align=WRAP)
    table(ws, name, 1, len(headers), len(rows))
    fit_rows(ws, sizes, 2, len(rows) + 1)
    ws.freeze_panes = "B2"
    return max(2, len(rows) + 1)


# (likelihood, impact, score, rating) columns of the Risk register: the score and rating are formulas
SCORED_COLUMNS = (("Inherent likelihood", "Inherent impact", "Inherent score", "Inherent rating"),
                  ("Residual likelihood", "Residual impact", "Residual score", "Residual rating"))


def score_formula(likelihood: str, impact: str) -> str:
    """A score cell: likelihood x impact, from the cells `likelihood` and `impact` (such as F2 and
    G2); blank while either is not a number, so a cleared cell shows no score."""
    return f'=IF(AND(ISNUMBER({likelihood}),ISNUMBER({impact})),{likelihood}*{impact},"")'


def rating_formula(score: str, bands: Any) -> str:
    """A rating cell: the label of the rating band holding the score in cell `score`, looked up
    over the bands' lowest scores and labels written into the formula as literals."""
    ordered = sorted(bands, key=lambda b: b.min)
    mins = ",".join(str(int(b.min)) for b in ordered)
    labels = ",".join(formula_text(b.label) for b in ordered)
    return f'=IF(ISNUMBER({score}),LOOKUP({score},{{{mins}}},{{{labels}}}),"")'


_REF = r"\$?[A-Z]{1,3}\$?[0-9]{1,7}"
_LITERAL = r'"(?:[^"]|"")*"'
_RATING = re.compile(rf'=IF\(ISNUMBER\(({_REF})\),LOOKUP\(({_REF}),\{{[0-9]+(?:,[0-9]+)*\}},'
                     rf'\{{{_LITERAL}(?:,{_LITERAL})*\}}\),""\)')


def is_own_formula(formula: str, likelihood: str, impact: str, score: str, rating: bool) -> bool:
    """Whether `formula`, read from a score cell (or, with `rating`, a rating cell) of a row whose
    likelihood, impact and score cells are those named, is exactly a formula risk-cli writes there:
    the score of those very cells, or a rating looked up over literal bands from that score."""
    text = formula.replace(" ", "")
    if rating:
        m = _RATING.fullmatch(text)
        return bool(m) and m.group(1) == m.group(2) == score and not formula_problem(text)
    return text == score_formula(likelihood, impact)


def scored_row(cells: dict[str, Any], likelihood: str, impact: str, score: str, scoring: Scoring) -> bool:
    """Whether a row's score is risk-cli's own (a likelihood and an impact on the questionnaire's
    scales, 1 to 5 on 5x5, and their product), so the score and rating are written as formulas; a
    row added by hand with other values is kept as typed."""
    li, im = cells.get(likelihood), cells.get(impact)
    return (type(li) is int and type(im) is int and 1 <= li <= scoring.top_likelihood
            and 1 <= im <= scoring.top_impact and cells.get(score) == li * im)


def score_formulas(ws: Any, register: Register, rows: list[dict[str, Any]], headers: list[str]) -> None:
    """Replace each scored row's score and rating values with risk-cli's formulas (their values
    cached, so every program shows them before it recalculates)."""
    from openpyxl.utils import get_column_letter as letter

    scoring = register.questionnaire.scoring
    col = {name: i for i, name in enumerate(headers, start=1)}
    for r, cells in enumerate(rows, start=2):
        for likelihood, impact, score, rating in SCORED_COLUMNS:
            if not scored_row(cells, likelihood, impact, score, scoring):
                continue
            li, im, sc = (f"{letter(col[name])}{r}" for name in (likelihood, impact, score))
            put_formula(ws, r, col[score], score_formula(li, im), cells[score], align=WRAP)
            put_formula(ws, r, col[rating], rating_formula(sc, scoring.ratings), cells.get(rating, ""), align=WRAP)


def register_sheet(ws: Any, register: Register, carry: Optional["Carry"] = None) -> None:
    scoring = register.questionnaire.scoring
    rows = carry.risk_rows if carry else [risk_row(register, sr) for sr in register.risks]
    extra = list(carry.extra_risk_columns if carry else ())
    last = rows_sheet(ws, "RiskRegister", REGISTER_COLUMNS, extra, rows)
    score_formulas(ws, register, rows, [name for name, _ in REGISTER_COLUMNS] + extra)
    col = {name: i for i, (name, _) in enumerate(REGISTER_COLUMNS, start=1)}
    from openpyxl.utils import get_column_letter as letter

    for name in ("Inherent rating", "Residual rating"):
        rating_formats(ws, f"{letter(col[name])}2:{letter(col[name])}{last}", scoring.ratings)
    dropdown(ws, TREATMENTS, f"{letter(col['Treatment'])}2:{letter(col['Treatment'])}{last + 200}", "Tolerate, treat, transfer or terminate")
    dropdown(ws, RISK_STATUSES, f"{letter(col['Status'])}2:{letter(col['Status'])}{last + 200}")
    dropdown(ws, TRENDS, f"{letter(col['Trend'])}2:{letter(col['Trend'])}{last + 200}")
    ws.row_dimensions[1].height = 45


ACTION_KINDS = {"risk": "Risk action", "find-out": "Find out", "check": "Mandatory check"}


def action_row(register: Register, action: RaisedAction) -> dict[str, Any]:
    """One action's cells by column header, as risk-cli fills them before anyone edits them."""
    src = register.questionnaire.sources.get(action.source)
    return {"Action ID": action.id, "Priority": action.priority.capitalize(), "Action": action.text,
            "Treats risks": ", ".join(action.risks), "Kind": ACTION_KINDS[action.kind],
            "Source": src.title if src else action.source, "Action owner": action_owner(register, action),
            "Due date": as_date(action.due),
            "Status": "Not started", "Notes": "", CHANGE: ""}


def action_owner(register: Register, action: RaisedAction) -> str:
    """Who owns an action: the action owners of the risks it treats, as the Risk register names
    them (each once, in the order of the risks), else the use case's senior responsible owner."""
    owners = {sr.risk.id: sr.risk.owner for sr in register.risks}
    named = [owners[rid] for rid in action.risks if owners.get(rid)]
    return "; ".join(dict.fromkeys(named)) or register.profile("owner")


def actions_sheet(ws: Any, register: Register, carry: Optional["Carry"] = None) -> None:
    rows = carry.action_rows if carry else [action_row(register, a) for a in register.actions]
    extra = list(carry.extra_action_columns if carry else ())
    last = rows_sheet(ws, "Actions", ACTION_COLUMNS, extra, rows)
    dropdown(ws, ACTION_STATUSES, f"I2:I{last + 200}")
    dropdown(ws, ["Must", "Should", "Could"], f"B2:B{last + 200}")


def responses_sheet(ws: Any, register: Register) -> None:
    qn = register.questionnaire
    header_row(ws, 1, [name for name, _ in RESPONSE_COLUMNS])
    widths(ws, [w for _, w in RESPONSE_COLUMNS])
    asked, dropped = set(register.asked), set(register.dropped)
    row = 1
    for q in qn.questions:
        if q.id not in asked and q.id not in dropped:
            continue
        row += 1
        raw = register.answers.value(q.id)
        if q.id in dropped:
            status = "Not applicable (answer not scored)"
        elif raw is None:
            status = "Not answered"
        elif raw == "dont_know" or (isinstance(raw, list) and "dont_know" in raw):
            status = "Don't know"
        else:
            status = "Answered"
        ids = "; ".join(raw) if isinstance(raw, list) else (raw if q.type in ("choice", "yesno") and raw else "")
        note = register.answers.values[q.id].note if q.id in register.answers.values else ""
        values = [q.number, qn.section_of[q.id].title, q.id, q.text, display(q, raw), ids, note, status,
                  "; ".join(qn.sources[s].title if s in qn.sources else s for s in q.sources)]
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value, align=WRAP, fill_=GREY_FILL if q.id in dropped else None)
    table(ws, "Responses", 1, len(RESPONSE_COLUMNS), row - 1)
    fit_rows(ws, [w for _, w in RESPONSE_COLUMNS], 2, row)
    ws.freeze_panes = "D2"


def about_sheet(ws: Any, register: Register, marking: str = DEFAULT_MARKING) -> None:
    qn = register.questionnaire
    s = qn.scoring
    esc = s.escalation
    widths(ws, ABOUT_WIDTHS)
    put(ws, 1, 1, "About this register", font=TITLE)
    rows: list[tuple[str, Any]] = [
        ("Tool", f"risk-cli {__version__}"), ("Questionnaire", qn.title), ("Questionnaire id", qn.id),
        ("Questionnaire version", qn.version), ("Questionnaire SHA-256", qn.sha256),
        ("Assessed on", as_date(register.assessed_on)), ("Generated", generated_at()),
        ("Protective marking", marking),
    ]
    r = labelled(ws, 3, rows) + 1
    put(ws, r, 1, "How the scores are worked out", font=SUBTITLE)
    method = [
        f"Each risk follows HM Treasury's Orange Book convention: likelihood (1-{s.top_likelihood}) x impact (1-{s.top_impact}) gives a score from 1 to {s.top_score}.",
        f"Inherent likelihood and impact start from the risk's base value; each answer that makes the risk more likely or more serious adds points; some answers set a minimum. {capped(s)} The 'Why this score' column lists every rule that applied.",
        "Residual scores subtract the effect of the controls the team reported as in place (the 'Existing controls' column); neither likelihood nor impact goes below 1.",
        "A 'Don't know' or missing answer is never treated as safe: it counts towards raising a risk or score, never as a control, and adds an action to find out.",
        "A residual score above the appetite for the risk's category is outside appetite: treat it and escalate it. The target score is the appetite limit.",
        "Answers to questions that did not apply (because of an earlier answer) are not scored. Scores are recomputed by risk-cli on every run from the answers. On the Risk register each score and rating is a formula of its likelihood and impact, so changing one here updates the score, the rating and its colour; but risk-cli never reads a score back: the next run scores from the answers again and names each likelihood or impact edited here.",
        f"Escalation level: {register.says(esc.top_rating)} when the residual rating is the highest band; {register.says(esc.above_appetite)} when outside appetite; otherwise {register.says(esc.within_appetite)}. Proximity follows the delivery phase and the kind of risk: delivery risks (those tied to an NAO barrier) are Now from discovery to beta, 3-6 months at the idea stage or once live; every other risk arises with real use: Over 12 months at the idea stage, 6-12 months in discovery, 3-6 months in alpha, Under 3 months in beta, Now when live; blank when the phase is not answered. Due dates: must 30 days, should 90 days, could 180 days after assessment.",
    ]
    for line in method:
        r += 1
        put(ws, r, 1, line, align=WRAP)
        merge(ws, r, 1, 4)
    r += 2
    put(ws, r, 1, "Rating bands", font=SUBTITLE)
    header_row(ws, r + 1, ["Rating", "From score", "To score"])
    r += 1
    for band in s.ratings:
        r += 1
        put(ws, r, 1, band.label, fill_=fill(band.colour), border=True)
        put(ws, r, 2, band.min, border=True)
        put(ws, r, 3, band.max, border=True)
    r += 2
    put(ws, r, 1, "Risk appetite by category", font=SUBTITLE)
    put(ws, r, 4, f"Used here: {appetite_text(register)[:-len(' (see About)')]}")
    header_row(ws, r + 1, ["Category", "Appetite", "Max residual score"])
    r += 1
    for cat in s.categories:
        r += 1
        level = s.appetite(cat.id, register.answers.appetite)
        put(ws, r, 1, cat.label, border=True)
        put(ws, r, 2, level.label, border=True)
        put(ws, r, 3, level.max_score, border=True)
    for title, scale in (("Likelihood", s.likelihood), ("Impact", s.impact)):
        r += 2
        put(ws, r, 1, f"{title} scale", font=SUBTITLE)
        header_row(ws, r + 1, ["Level", "Value", "", "Meaning"])
        r += 1
        for level in scale:
            r += 1
            put(ws, r, 1, level.label, border=True)
            put(ws, r, 2, level.value, border=True)
            put(ws, r, 4, level.description, border=True, align=WRAP)
    r += 2
    put(ws, r, 1, "Assurance tiers", font=SUBTITLE)
    header_row(ws, r + 1, ["Tier", "Review (months)", "", "Who approves; assessments required"])
    r += 1
    for t in s.tier_levels:
        r += 1
        put(ws, r, 1, t.label, border=True)
        put(ws, r, 2, t.review_months, border=True)
        put(ws, r, 4, f"{register.says(t.approver)}; " + "; ".join(t.assessments), border=True, align=WRAP)
    r += 2
    put(ws, r, 1, "Sources", font=SUBTITLE)
    for src in qn.sources.values():
        r += 1
        put(ws, r, 1, f"{src.title}: {src.url}" if src.url else src.title, align=WRAP)
        merge(ws, r, 1, 4)
    fit_rows(ws, ABOUT_WIDTHS, 1, r)


def capped(scoring: Scoring) -> str:
    """The sentence saying where likelihood and impact are held, in the register's About sheet."""
    if scoring.top_likelihood == scoring.top_impact:
        return f"Both are capped at 1 to {scoring.top_likelihood}."
    return f"Likelihood is capped at 1 to {scoring.top_likelihood}, impact at 1 to {scoring.top_impact}."


def data_sheet(ws: Any, register: Register) -> None:
    """The answers file, hidden, so `risk-cli import` can re-read exactly what was answered."""
    xlsx.answers_sheet(ws, to_yaml(register.answers, register.questionnaire))
