"""batch-summary.xlsx: one row per input of a batch (tier, residual risks by rating, the worst
risk, appetite breaches, or why the input was bad), every problem, and what the batch was run with.

Workers send back only small `Result` records (see workflows.batch), so this writer works from
those alone, never from a questionnaire."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    from risk_cli.workflows.batch import Plan, Result

MODEL_NAMES = {"": "Orange Book 5x5", "rated": "Rated", "points": "Points"}  # the Model column
FIVE_BY_FIVE, RATED, POINTS = "Orange Book 5x5", "Rated", "Points"  # the sheets of a batch with format-2 inputs


def rating_columns(results: Sequence[Result]) -> list[tuple[str, str, str]]:
    """Every rating any register used, worst first, in the order first met (input order)."""
    seen: dict[str, tuple[str, str, str]] = {}
    for r in results:
        for band in r.ratings:
            seen.setdefault(band[1], band)
    return list(seen.values())


def has_format_2(results: Sequence[Result]) -> bool:
    """Whether any input was assessed with a format-2 model (rated or points)."""
    return any(r.ok and r.model for r in results)


def number(value: Any) -> Any:
    """A score as people read it: 9, not 9.0."""
    return int(value) if isinstance(value, float) and value.is_integer() else ("" if value is None else value)


def model_name(r: Result) -> str:
    return MODEL_NAMES.get(r.model, r.model) if r.ok else ""


def five_by_five(plan: Plan, r: Result, bands: list[tuple[str, str, str]]) -> list[Any]:
    """A format-1 row's tier, residual counts by rating, worst risk and appetite breaches."""
    counts = {label: c for (_, label, _), c in zip(r.ratings, r.residual)}
    row: list[Any] = [r.tier]
    row += [counts.get(label, "" if not r.ok else 0) for _, label, _ in bands]
    row += ["" if not r.ok else r.risks, r.worst_id, "" if r.worst_score is None else r.worst_score,
            r.worst_rating, "" if not r.ok else len(r.breaches), ", ".join(r.breaches)]
    return row


def five_by_five_header(bands: list[tuple[str, str, str]]) -> list[str]:
    return (["Tier"] + [f"Residual {label}" for _, label, _ in bands]
            + ["Risks", "Worst residual risk", "Worst residual score", "Worst residual rating",
               "Appetite breaches", "Risks above appetite"])


def summary_rows(plan: Plan, results: Sequence[Result]) -> tuple[list[str], list[list[Any]]]:
    """The summary sheet as a header and one row per input, in input order.

    Every input has its Model and its Result in one cell (a tier, an overall rating, an impact
    level). A batch of format-1 inputs alone also has the 5x5 columns here, as it always had; once
    a format-2 input is in the batch those move to the "Orange Book 5x5" sheet, so no row shows
    columns its model does not have (each model's own columns are on its sheet: model_sheets)."""
    bands = rating_columns(results)
    mixed = has_format_2(results)
    header = ["No.", "File", "Kind", "Status", "Reason", "Model", "Use case", "Organisation", "Questionnaire",
              "Result"]
    if not mixed:
        header += five_by_five_header(bands)
    if plan.options.fail_on:
        header += [f"At or above {plan.options.fail_on}"]
    header += ["Register"] + (["ATRS record"] if plan.options.atrs else []) + ["Warnings"]
    rows: list[list[Any]] = []
    for n, r in enumerate(results, start=1):
        row: list[Any] = [n, r.file, r.kind, "OK" if r.ok else "Bad", r.reason, model_name(r), r.use_case,
                          r.organisation, r.questionnaire, r.result]
        if not mixed:
            row += five_by_five(plan, r, bands)
        if plan.options.fail_on:
            row += [", ".join(r.fail_on_hits)]
        row += [Path(r.register).name if r.register else ""]
        if plan.options.atrs:
            row += [", ".join(Path(p).name for p in r.records)]
        row += ["\n".join(r.warnings)]
        rows.append(row)
    return header, rows


def model_sheets(plan: Plan, results: Sequence[Result]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """With format-2 inputs in the batch: a sheet per model with that model's own columns, one row
    per input assessed with it, numbered as on the Summary sheet. Orange Book 5x5: the tier, the
    residual risks by rating, the worst risk and appetite breaches; Rated: the overall rating, the
    risks at each rating and those rated highest; Points: the impact level, the score against its
    maximum and whether the mitigation discount applied."""
    if not has_format_2(results):
        return []
    numbered = list(enumerate(results, start=1))
    fail = [f"At or above {plan.options.fail_on}"] if plan.options.fail_on else []
    common = ["No.", "File", "Use case", "Questionnaire"]
    out: list[tuple[str, list[str], list[list[Any]]]] = []

    def tail(r: Result) -> list[Any]:
        return ([", ".join(r.fail_on_hits)] if fail else []) + [Path(r.register).name]

    five = [(n, r) for n, r in numbered if r.ok and not r.model]
    if five:
        bands = rating_columns([r for _, r in five])
        out.append((FIVE_BY_FIVE, ["No.", "File", "Use case", "Organisation", "Questionnaire"]
                    + five_by_five_header(bands) + fail + ["Register"],
                    [[n, r.file, r.use_case, r.organisation, r.questionnaire] + five_by_five(plan, r, bands) + tail(r)
                     for n, r in five]))
    rated = [(n, r) for n, r in numbered if r.ok and r.model == "rated"]
    if rated:
        labels: dict[str, None] = {}
        for _, r in rated:
            for _, label, _ in r.rated:
                labels.setdefault(label)
        out.append((RATED, common + ["Language", "Overall rating"] + [f"{label} risks" for label in labels]
                    + ["Risks raised", "Rated highest"] + fail + ["Register"],
                    [[n, r.file, r.use_case, r.questionnaire, r.language, r.overall[1]]
                     + [{label: c for _, label, c in r.rated}.get(label, "") for label in labels]
                     + [r.risks, ", ".join(r.highest)] + tail(r) for n, r in rated]))
    points = [(n, r) for n, r in numbered if r.ok and r.model == "points"]
    if points:
        out.append((POINTS, common + ["Language", "Impact level", "Score", "Of a maximum of", "Discount applied"]
                    + fail + ["Register"],
                    [[n, r.file, r.use_case, r.questionnaire, r.language, r.level[1], number(r.score),
                      number(r.maximum), "" if r.discount is None else "Yes" if r.discount else "No"] + tail(r)
                     for n, r in points]))
    return out


def write_summary(plan: Plan, results: Sequence[Result]) -> Path:
    """batch-summary.xlsx: Summary (one row per input), a sheet per model when format-2 inputs are in
    the batch (model_sheets), Problems (one row per problem), About."""
    from openpyxl import Workbook

    from risk_cli import __version__
    from risk_cli.writers.register import generated_at
    from risk_cli.writers.xlsx import (
        BOLD, TITLE, WRAP, fill, header_row, print_setup, properties, put, rating_formats, save, table, widths,
    )

    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    header, rows = summary_rows(plan, results)
    header_row(ws, 1, header)
    sizes = {"No.": 6, "File": 40, "Kind": 10, "Status": 8, "Reason": 60, "Model": 16, "Use case": 30,
             "Organisation": 26, "Questionnaire": 24, "Result": 34, "Tier": 14, "Register": 36, "Warnings": 40,
             "Risks above appetite": 30, "Rated highest": 30, "Overall rating": 14, "Impact level": 14}
    widths(ws, [sizes.get(h, 12) for h in header])
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            put(ws, r, c, value)
        if row[3] == "Bad":
            put(ws, r, 4, "Bad", fill_=fill("FFC7CE"))
    table(ws, "BatchSummary", 1, len(header), len(rows))
    ws.freeze_panes = "C2"
    sheets = [ws]
    for name, model_header, model_rows in model_sheets(plan, results):
        mws = wb.create_sheet(name)
        header_row(mws, 1, model_header)
        widths(mws, [sizes.get(h, 12) for h in model_header])
        for r, row in enumerate(model_rows, start=2):
            for c, value in enumerate(row, start=1):
                put(mws, r, c, value)
        table(mws, "Batch" + name.replace(" ", "").replace("5x5", "FiveByFive"), 1, len(model_header), len(model_rows))
        mws.freeze_panes = "C2"
        sheets.append(mws)
    bands = rating_columns(results)
    for sheet in sheets[:2]:  # the 5x5 columns: on Summary, or on their own sheet in a mixed batch
        headers = [c.value for c in sheet[1]]
        if sheet.max_row > 1 and bands and "Worst residual rating" in headers:
            from openpyxl.utils import get_column_letter

            col = get_column_letter(headers.index("Worst residual rating") + 1)
            rating_formats(sheet, f"{col}2:{col}{sheet.max_row}", [_Band(label, colour) for _, label, colour in bands])

    problems = wb.create_sheet("Problems")
    header_row(problems, 1, ["File", "Problem"])
    widths(problems, [40, 100])
    r = 1
    for result in results:
        for line in result.problems:
            r += 1
            put(problems, r, 1, result.file)
            put(problems, r, 2, line, align=WRAP)
    table(problems, "BatchProblems", 1, 2, r - 1)

    about = wb.create_sheet("About")
    widths(about, [28, 60])
    put(about, 1, 1, "risk-cli batch summary", font=TITLE)
    good = sum(1 for x in results if x.ok)
    facts: list[tuple[str, Any]] = [
        ("Tool", f"risk-cli {__version__}"), ("Generated", generated_at()), ("Inputs", len(results)),
        ("Assessed", good), ("Bad inputs", len(results) - good),
        ("Questionnaire (-q)", plan.options.questionnaire or "the one each input names"),
        ("--fail-on", plan.options.fail_on or ""),
    ]
    if has_format_2(results):
        by_model: dict[str, int] = {}
        for x in results:
            if x.ok:
                by_model[model_name(x)] = by_model.get(model_name(x), 0) + 1
        facts.insert(4, ("Assessed by model", ", ".join(f"{name}: {n}" for name, n in by_model.items())))
    for i, (label, value) in enumerate(facts, start=3):
        put(about, i, 1, label, font=BOLD)
        put(about, i, 2, value)
    put(about, len(facts) + 3, 1, "Protective marking", font=BOLD)
    put(about, len(facts) + 3, 2, plan.options.marking)
    subject = f"risk-cli batch summary: {len(results)} input(s)"
    for sheet in sheets + [problems, about]:
        print_setup(sheet, subject, plan.options.marking, title_rows=None if sheet is about else "1:1")
    properties(wb, "risk-cli batch summary", f"{good} of {len(results)} input(s) assessed")
    save(wb, plan.summary_path, force=plan.options.force)
    return plan.summary_path


@dataclass(frozen=True)
class _Band:
    """A rating's label and colour for `xlsx.rating_formats`, rebuilt from a Result because workers
    send back no questionnaire."""

    label: str
    colour: str
