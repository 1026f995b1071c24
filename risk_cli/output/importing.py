"""An import as people and pipelines see it: a line per input and a closing line, or the JSON report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from risk_cli.output.formats import Formats, OutputFormat, Rendering, json_document

if TYPE_CHECKING:
    from risk_cli.workflows.importing import Item, Report

def summary(item: "Item") -> dict[str, Any]:
    reg = item.register
    data: dict[str, Any] = {
        "file": str(item.path), "kind": item.kind or None, "ok": item.ok, "made_for": item.made_for or None,
        "questionnaire": ({"id": item.questionnaire.id, "version": item.questionnaire.version}
                          if item.questionnaire else None),
        "errors": [str(p) for p in item.errors], "warnings": [str(p) for p in item.warnings],
        "outputs": [str(p) for p in item.outputs] if item.ok else [],
    }
    f2 = item.format_2
    if f2 is not None:
        outcome = f2.outcome()
        data["questionnaire"] = {"id": f2.questionnaire.id, "version": f2.questionnaire.version,
                                 "model": f2.questionnaire.model}
        data["language"] = f2.lang
        data["result"] = outcome.to_dict(f2.lang)
    if reg is not None:
        data.update({
            "use_case": reg.profile("name"), "organisation": reg.profile("organisation"),
            "tier": reg.tier.level.level, "risks": len(reg.risks), "above_appetite": len(reg.breaches),
            "residual": reg.counts(),
            "provisional": reg.provisional, "unanswered": list(reg.unanswered),
            "missing_required": list(reg.missing_required),
        })
    return data


def to_dict(report: "Report") -> dict[str, Any]:
    return {
        "dry_run": report.dry_run, "written": report.written, "exit_code": int(report.exit_code),
        "output_folder": str(report.out_dir),
        "imported": len(report.written_items), "inputs": len(report.items),
        "problems": [str(p) for p in report.problems],
        "items": [summary(i) for i in report.items],
    }


def item_line(item: "Item", report: "Report") -> str:
    from risk_cli.errors import one_line

    return one_line(_item_line(item, report))  # a file found in a folder may have any name


def _item_line(item: "Item", report: "Report") -> str:
    if not item.ok:
        n = len(item.errors)
        return f"{item.path}: {n} problem{'s' if n != 1 else ''}; nothing written for it"
    reg = item.register
    verb = "written" if item.written else "would write" if report.dry_run and not report.problems else "not written"
    if item.format_2 is not None:
        f2 = item.format_2
        return (f"{item.path}: ok ({item.kind}, {f2.questionnaire.label}, {f2.questionnaire.model} model, "
                f"language {f2.lang}): {len(f2.values)} answers; {verb}: {', '.join(str(p) for p in item.outputs)}")
    assert reg is not None and item.questionnaire is not None
    n = len(reg.missing_required)
    status = f"PROVISIONAL, {n} required question{'s' if n != 1 else ''} not answered" if reg.provisional else "ok"
    return (f"{item.path}: {status} ({item.kind}, {item.questionnaire.label}): {len(reg.risks)} risks, "
            f"{reg.tier.level.label}, {len(reg.breaches)} above appetite; {verb}: "
            f"{', '.join(str(p) for p in item.outputs)}")


def closing_line(report: "Report") -> str:
    good, total = len(report.good), len(report.items)
    bad = total - good
    inputs = f"{total} input{'s' if total != 1 else ''}"
    tail = f"; {bad} had problems (see the errors above)" if bad else ""
    written = len(report.written_items)
    if report.problems and written:
        return (f"Stopped: {written} of {good} input{'s' if good != 1 else ''} written to {report.out_dir} (each "
                f"with its answers file and register; nothing half-written); the rest not written: fix the problem "
                f"above and run the import again with --force.")
    if report.problems:
        return f"Nothing written: fix the problems above{'' if report.dry_run else ' and run the import again'}."
    if report.dry_run:
        return f"Dry run: {good} of {inputs} would be imported into {report.out_dir}{tail}. Nothing was written."
    if not good:
        return f"Nothing imported: {'the input has' if total == 1 else f'all {total} inputs have'} problems."
    return f"Imported {good} of {inputs} into {report.out_dir}{tail}."


def text(report: "Report") -> str:
    return "\n".join([item_line(item, report) for item in report.items] + [closing_line(report)])


FORMATS: Formats[Any] = Formats(
    Rendering("text", OutputFormat.TEXT, text, "a line per input for people"),
    Rendering("json", OutputFormat.JSON, lambda report: json_document(to_dict(report)), "the full report on stdout"),
)
