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

def rating_columns(results: Sequence[Result]) -> list[tuple[str, str, str]]:
    """Every rating any register used, worst first, in the order first met (input order)."""
    seen: dict[str, tuple[str, str, str]] = {}
    for r in results:
        for band in r.ratings:
            seen.setdefault(band[1], band)
    return list(seen.values())


def summary_rows(plan: Plan, results: Sequence[Result]) -> tuple[list[str], list[list[Any]]]:
    """The summary sheet as a header and one row per input, in input order."""
    bands = rating_columns(results)
    header = ["No.", "File", "Kind", "Status", "Reason", "Use case", "Organisation", "Questionnaire", "Tier"]
    header += [f"Residual {label}" for _, label, _ in bands]
    header += ["Risks", "Worst residual risk", "Worst residual score", "Worst residual rating",
               "Appetite breaches", "Risks above appetite"]
    if plan.options.fail_on:
        header += [f"At or above {plan.options.fail_on}"]
    header += ["Register"] + (["ATRS record"] if plan.options.atrs else []) + ["Warnings"]
    rows: list[list[Any]] = []
    for n, r in enumerate(results, start=1):
        counts = {label: c for (_, label, _), c in zip(r.ratings, r.residual)}
        row: list[Any] = [n, r.file, r.kind, "OK" if r.ok else "Bad", r.reason, r.use_case, r.organisation,
                          r.questionnaire, r.tier]
        row += [counts.get(label, "" if not r.ok else 0) for _, label, _ in bands]
        row += ["" if not r.ok else r.risks, r.worst_id, "" if r.worst_score is None else r.worst_score,
                r.worst_rating, "" if not r.ok else len(r.breaches), ", ".join(r.breaches)]
        if plan.options.fail_on:
            row += [", ".join(r.fail_on_hits)]
        row += [Path(r.register).name if r.register else ""]
        if plan.options.atrs:
            row += [", ".join(Path(p).name for p in r.records)]
        row += ["\n".join(r.warnings)]
        rows.append(row)
    return header, rows


def write_summary(plan: Plan, results: Sequence[Result]) -> Path:
    """batch-summary.xlsx: Summary (one row per input), Problems (one row per problem), About."""
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
    sizes = {"No.": 6, "File": 40, "Kind": 10, "Status": 8, "Reason": 60, "Use case": 30, "Organisation": 26,
             "Questionnaire": 24, "Tier": 14, "Register": 36, "Warnings": 40, "Risks above appetite": 30}
    widths(ws, [sizes.get(h, 12) for h in header])
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            put(ws, r, c, value)
        if row[3] == "Bad":
            put(ws, r, 4, "Bad", fill_=fill("FFC7CE"))
    table(ws, "BatchSummary", 1, len(header), len(rows))
    ws.freeze_panes = "C2"
    bands = rating_columns(results)
    if rows and bands:
        from openpyxl.utils import get_column_letter

        col = get_column_letter(header.index("Worst residual rating") + 1)
        rating_formats(ws, f"{col}2:{col}{len(rows) + 1}", [_Band(label, colour) for _, label, colour in bands])

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
    for i, (label, value) in enumerate(facts, start=3):
        put(about, i, 1, label, font=BOLD)
        put(about, i, 2, value)
    put(about, len(facts) + 3, 1, "Protective marking", font=BOLD)
    put(about, len(facts) + 3, 2, plan.options.marking)
    subject = f"risk-cli batch summary: {len(results)} input(s)"
    for sheet in (ws, problems, about):
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
