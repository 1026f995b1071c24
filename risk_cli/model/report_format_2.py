"""The board pack for a format-2 questionnaire (`risk-cli report` on a points or rated input):
the same `Report` blocks as the 5x5 pack, with each model's own words, so the Markdown, HTML and
Word renderers lay it out unchanged. A rated pack speaks of ratings, rules and must/should/could
steps; a points pack of totals, their maximums, the discount and the impact level. Neither has a
likelihood, an impact scale or a heat map.

Pure: an outcome (model.rated.Outcome or model.points.Outcome) and the language in, a Report out.
Every text is plain; each renderer escapes it.
"""

from __future__ import annotations

from typing import Any, Union

from risk_cli import __version__
from risk_cli.model import points, rated
from risk_cli.model.report import Block, Cell, Items, Paragraph, Report, Section, Subheading, Table
from risk_cli.model.text import in_language

RATING_FILLS = ("FFC7CE", "FFEB9C", "C6EFCE")  # highest rating first; a fourth and later: none
TOP_ANSWERS = 5  # answers listed as scoring the most points


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _pct(share: float) -> str:
    return f"{share:.0%}"


def answer_text(qn: Any, qid: str, value: Any, lang: str) -> str:
    """An answer as people read it: its choice labels, in the language shown."""
    q = qn.question(qid)
    values = value if isinstance(value, (list, tuple)) else [value]
    out = []
    for v in values:
        choice = q.choice(v) if q is not None and isinstance(v, str) else None
        out.append(in_language(choice.label, lang) if choice is not None else str(v))
    return ", ".join(out)


def question_text(qn: Any, qid: str, lang: str) -> str:
    q = qn.question(qid)
    return in_language(q.text, lang) if q is not None else qid


def _facts(qn: Any, lang: str, assessed_on: str) -> list[str]:
    return [f"Questionnaire: {in_language(qn.title, lang)} ({qn.id}), version {qn.version}",
            f"Model: {qn.model}", f"Language: {lang}", f"Assessed on: {assessed_on or 'not recorded'}"]


def _fill(qn: rated.RatedQuestionnaire, rid: str) -> str:
    rank = qn.rank(rid)
    return RATING_FILLS[rank] if rank < len(RATING_FILLS) else ""


def build(outcome: Union[rated.Outcome, points.Outcome], lang: str, assessed_on: str, marking: str,
          name: str = "") -> Report:
    """The pack for one format-2 assessment."""
    if isinstance(outcome, rated.Outcome):
        sections = build_rated(outcome, lang, assessed_on)
    else:
        sections = build_points(outcome, lang, assessed_on)
    qn = outcome.questionnaire
    title = f"Board pack: {name or in_language(qn.title, lang)}"
    subtitle = " · ".join(x for x in (f"{qn.label}, {qn.model} model",
                                       f"assessed on {assessed_on}" if assessed_on else "") if x)
    return Report(marking, title, subtitle, sections, assessed_on)


def answer_gaps(o: "rated.Outcome | points.Outcome") -> tuple[Block, ...]:
    """What the result leaves out, in either model: answers to questions not shown, and shown
    questions with no answer (which a board should hear of before it accepts the result)."""
    blocks: list[Block] = []
    if o.not_counted:
        blocks.append(Paragraph("Answered but not counted (the question was not shown): " + ", ".join(o.not_counted) + "."))
    if o.unanswered:
        blocks.append(Paragraph(f"Shown but not answered, so scored as if not asked ({len(o.unanswered)}): "
                                + ", ".join(o.unanswered) + "."))
    return tuple(blocks)


def gaps_decision(o: "rated.Outcome | points.Outcome", what: str) -> tuple[str, ...]:
    """First of the board's decisions when shown questions have no answer: the result assumes
    they were not asked, so it may be lower than the full answers would give."""
    n = len(o.unanswered)
    if not n:
        return ()
    if n == 1:
        return (f"Ask for an answer to the question shown but not answered ({o.unanswered[0]}) before accepting "
                f"the {what}: the {what} counts it as not asked, so it may be too low.",)
    return (f"Ask for answers to the {n} questions shown but not answered before accepting the {what}: the "
            f"{what} counts them as not asked, so it may be too low.",)


# -- rated ------------------------------------------------------------------------------------

def build_rated(o: rated.Outcome, lang: str, assessed_on: str) -> tuple[Section, ...]:
    qn = o.questionnaire
    counts = [(r, sum(1 for x in o.risks if x.rating.id == r.id)) for r in qn.ratings]
    overall = in_language(o.overall.label, lang)
    summary = (f"Overall rating: {overall}. " + f"{len(o.risks)} risk{'' if len(o.risks) == 1 else 's'} raised ("
               + ", ".join(f"{n} {in_language(r.label, lang)}" for r, n in counts) + f"); {len(o.not_raised)} not raised.")
    facts = _facts(qn, lang, assessed_on) + [f"Overall rating: {overall}"]
    count_table = Table(("Rating", "Risks"), tuple((Cell(in_language(r.label, lang), _fill(qn, r.id)), Cell(str(n)))
                                                    for r, n in counts), key="rating-counts")
    sections = [
        Section("Summary", (Paragraph(summary), Items(tuple(facts)), count_table)),
        Section("Decisions for the board", (Paragraph("The board is asked to:"), Items(rated_decisions(o, lang), ordered=True))),
        Section("Risks, highest rating first", rated_risks(o, lang)),
    ]
    if o.not_raised or o.not_counted or o.unanswered:
        blocks: list[Block] = []
        if o.not_raised:
            blocks.append(Paragraph("Not raised by these answers: " + ", ".join(o.not_raised) + "."))
        blocks.extend(answer_gaps(o))
        sections.append(Section("Not raised", tuple(blocks)))
    sections.append(Section("Annex: method", rated_method(o, lang), annex=True))
    return tuple(sections)


def rated_decisions(o: rated.Outcome, lang: str) -> tuple[str, ...]:
    qn = o.questionnaire
    top = qn.ratings[0]
    out = []
    for r in o.risks:
        if r.rating.id != top.id:
            continue
        musts = sum(1 for s in r.steps if s.priority == "must")
        out.append(f"Accept or act on {r.risk.id} ({in_language(r.risk.title, lang)}), rated "
                   f"{in_language(r.rating.label, lang)}: agree who takes its {musts} must step"
                   f"{'' if musts == 1 else 's'} and by when.")
    if not out:
        out.append(f"Note that no risk is rated {in_language(top.label, lang)}; the overall rating is "
                   f"{in_language(o.overall.label, lang)}.")
    out.append(f"Accept the overall rating of {in_language(o.overall.label, lang)} and agree when the "
               "assessment is next reviewed.")
    out[:0] = gaps_decision(o, "rating")
    return tuple(out)


def rated_risks(o: rated.Outcome, lang: str) -> tuple[Block, ...]:
    if not o.risks:
        return (Paragraph("No risk is raised by these answers."),)
    qn = o.questionnaire
    blocks: list[Block] = [Table(("Risk", "Title", "Rating"), tuple(
        (Cell(r.risk.id), Cell(in_language(r.risk.title, lang)), Cell(in_language(r.rating.label, lang), _fill(qn, r.rating.id)))
        for r in o.risks), key="rated-risks")]
    for r in o.risks:
        blocks.append(Subheading(f"{r.risk.id}: {in_language(r.risk.title, lang)} ({in_language(r.rating.label, lang)})"))
        description = in_language(r.risk.description, lang)
        if description:
            blocks.append(Paragraph(description))
        why = [f"{question_text(qn, q, lang)}: {answer_text(qn, q, o.values.get(q), lang)}"
               for q in r.why if o.values.get(q) not in (None, "", [])]
        blocks.append(Paragraph("Why: " + ("the answers that set this rating:" if why else
                                           "the rule that always holds set this rating.")))
        if why:
            blocks.append(Items(tuple(why)))
        for priority in rated.PRIORITIES:
            steps = tuple(in_language(s.text, lang) for s in r.steps if s.priority == priority)
            if steps:
                blocks.append(Paragraph(f"{priority.capitalize()}:", strong=True))
                blocks.append(Items(steps))
        if not r.steps:
            blocks.append(Paragraph("No step applies for these answers."))
    return tuple(blocks)


def rated_method(o: rated.Outcome, lang: str) -> tuple[Block, ...]:
    qn = o.questionnaire
    ratings = ", ".join(in_language(r.label, lang) for r in qn.ratings)
    return (
        Paragraph(f"The {qn.model} model. Each risk in the questionnaire is raised or not by the answers. A raised risk "
                  "is rated by its rules, tried in order: the first rule that holds for the answers sets its rating "
                  "(the last rule always holds). The steps listed are those whose conditions hold, labelled must, "
                  "should or could."),
        Paragraph(f"Ratings, highest first: {ratings}. The overall rating is the highest rating of any raised risk "
                  f"({in_language(qn.ratings[-1].label, lang)} when none is raised)."),
        Paragraph("An answer to a question that was not shown is not counted."),
        Paragraph(f"Questionnaire {qn.label}" + (f", content hash (SHA-256) {qn.sha256}" if qn.sha256 else "")
                  + f". Written by risk-cli {__version__}."),
    )


# -- points -----------------------------------------------------------------------------------

def build_points(o: points.Outcome, lang: str, assessed_on: str) -> tuple[Section, ...]:
    qn = o.questionnaire
    level = in_language(o.level.label, lang)
    top = o.maximums[qn.score_total]
    summary = (f"Impact level: {level}. Final score {_n(o.score)} of {_n(top)} "
               f"({_pct(o.score / top) if top else '0%'} of the maximum); "
               + ("the discount applied." if o.applied else "no discount applied." if qn.adjustments else "no discount rule."))
    facts = _facts(qn, lang, assessed_on) + [f"Impact level: {level}"]
    totals = Table(("Total", "Points", "Maximum"), tuple(
        (Cell(in_language(t.label, lang)), Cell(str(o.totals[t.id])), Cell(_n(o.maximums[t.id]))) for t in qn.totals)
        + ((Cell("Final score"), Cell(_n(o.score)), Cell(_n(top))),), key="points-totals")
    sections = [
        Section("Summary", (Paragraph(summary), Items(tuple(facts)), totals)),
        Section("Decisions for the board", (Paragraph("The board is asked to:"),
                                            Items(points_decisions(o, lang), ordered=True))),
        Section("Discount", discount(o, lang)),
        Section("Impact levels", (level_table(o, lang),)),
        Section("Answers that scored the most points", top_answers(o, lang)),
    ]
    if o.not_counted or o.unanswered:
        sections.append(Section("Not counted", answer_gaps(o)))
    sections.append(Section("Annex: method", points_method(o, lang), annex=True))
    return tuple(sections)


def points_decisions(o: points.Outcome, lang: str) -> tuple[str, ...]:
    level = in_language(o.level.label, lang)
    out = list(gaps_decision(o, "impact level"))
    out.append(f"Accept the impact level {level} and the requirements that come with it.")
    if o.applied:
        out.append("Confirm that the mitigation measures the discount relies on are in place.")
    elif o.questionnaire.adjustments:
        out.append("Decide whether to strengthen mitigation: the discount did not apply.")
    out.append("Agree when the assessment is next reviewed.")
    return tuple(out)


def _total_label(qn: points.PointsQuestionnaire, tid: str, lang: str) -> str:
    return next((in_language(t.label, lang) for t in qn.totals if t.id == tid), tid)


def discount(o: points.Outcome, lang: str) -> tuple[Block, ...]:
    qn = o.questionnaire
    if not qn.adjustments:
        return (Paragraph("This questionnaire has no discount rule."),)
    applied = {id(a.adjustment): a for a in o.applied}
    blocks: list[Block] = []
    for adj in qn.adjustments:
        when, total = _total_label(qn, adj.when_total, lang), _total_label(qn, adj.total, lang)
        top = o.maximums[adj.when_total]
        share = o.totals[adj.when_total] / top if top else 0.0
        rule = (f"Rule: when {when} reaches {_pct(adj.at_least_share)} of its maximum, {total} is multiplied by "
                f"{adj.multiply:g}.")
        a = applied.get(id(adj))
        if a is not None:
            said = (f"Applied: {when} is {o.totals[adj.when_total]} of {_n(top)} ({_pct(a.share)}, at least "
                    f"{_pct(adj.at_least_share)}), so {total} went from {_n(a.before)} to {_n(a.after)}.")
        else:
            said = (f"Not applied: {when} is {o.totals[adj.when_total]} of {_n(top)} ({_pct(share)}, below "
                    f"{_pct(adj.at_least_share)}).")
        blocks += [Paragraph(rule), Paragraph(said, strong=True)]
    return tuple(blocks)


def level_table(o: points.Outcome, lang: str) -> Table:
    qn = o.questionnaire
    top = o.maximums[qn.score_total]
    rows = []
    low = 0.0
    for lv in qn.levels:
        if lv.up_to_share is None:
            band = f"above {_pct(low)} of the maximum (over {_n(low * top)})"
        else:
            band = f"up to {_pct(lv.up_to_share)} of the maximum (up to {_n(lv.up_to_share * top)})"
            low = lv.up_to_share
        this = lv.id == o.level.id
        label = in_language(lv.label, lang) + (" (this assessment)" if this else "")
        rows.append((Cell(label, "FFEB9C" if this else ""), Cell(band)))
    return Table(("Level", "Score band"), tuple(rows), key="levels")


def top_answers(o: points.Outcome, lang: str) -> tuple[Block, ...]:
    qn = o.questionnaire
    scored = [(points.points_of(q, o.values.get(q.id)), n, q) for n, q in enumerate(qn.questions)
              if q.id in o.visible and q.total is not None]
    scored = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))[:TOP_ANSWERS]
    if not scored:
        return (Paragraph("No answer scored any points."),)
    return (Table(("Question", "Answer", "Total", "Points"), tuple(
        (Cell(in_language(q.text, lang)), Cell(answer_text(qn, q.id, o.values.get(q.id), lang)),
         Cell(_total_label(qn, q.total or "", lang)), Cell(str(p))) for p, _, q in scored), key="top-answers"),)


def points_method(o: points.Outcome, lang: str) -> tuple[Block, ...]:
    qn = o.questionnaire
    return (
        Paragraph(f"The {qn.model} model. Each answer's choices carry points, added into the totals ("
                  + ", ".join(in_language(t.label, lang) for t in qn.totals) + "). Only questions shown for these "
                  "answers count. A total's maximum is counted over every question: the best choice of each, every "
                  "choice of a multiple-choice question."),
        Paragraph("A discount rule multiplies a total when another total reaches a share of its maximum; the result is "
                  "rounded half up."),
        Paragraph(f"The final score is {_total_label(qn, qn.score_total, lang)} after any discount; its level is the "
                  "first whose share of that total's maximum the score is within."),
        Paragraph(f"Questionnaire {qn.label}" + (f", content hash (SHA-256) {qn.sha256}" if qn.sha256 else "")
                  + f". Written by risk-cli {__version__}."),
    )
