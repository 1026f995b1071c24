"""A draft ATRS record as people and tools read it: Markdown to read and review, JSON for tools.
Both come from the one `model.atrs.Record`, field by field in the standard's order, as does the
workbook (writers.atrs_xlsx)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from risk_cli import __version__
from risk_cli.output.formats import Formats, OutputFormat, Rendering, json_document

if TYPE_CHECKING:
    from risk_cli.model.atrs import Record, RecordField

CLEARANCE = ("Draft for internal review, not cleared for publication. Before it goes to the ATRS team it needs "
             "written clearance by the team that runs the tool, its senior responsible owner and the communications "
             "or press office; check every drafted field against what is true today.")


def summary_line(record: "Record") -> str:
    """One line: the standard followed, the scope, and how many fields the answers filled."""
    c = record.counts()
    return (f"{record.standard.label}: {c['Drafted']} field(s) drafted, {c['Partly drafted']} partly drafted, "
            f"{c['To complete']} to complete, of {len(record.fields)}; scope: {record.scope.label}")


def to_dict(record: "Record") -> dict[str, Any]:
    """The record for tools: stable keys, every field in the standard's order, null when To complete."""
    st, qn = record.standard, record.questionnaire
    return {
        "tool": {"name": "risk-cli", "version": __version__},
        "draft": True,
        "standard": {"name": st.name, "version": st.version, "released": st.released,
                     "guidance_url": st.guidance_url, "hub_url": st.hub_url, "field_list_checked": st.checked},
        "questionnaire": {"id": qn.id, "version": qn.version, "sha256": qn.sha256},
        "use_case": {"name": record.use_case, "organisation": record.organisation},
        "assessed_on": record.assessed_on,
        "scope": {"status": record.scope.status, "label": record.scope.label, "headline": record.scope.headline,
                  "basis": record.scope.basis, "drawn_from": list(record.scope.drawn_from),
                  "unknown": list(record.scope.unknown)},
        "withheld": {"include_security": record.include_security, "risks": list(record.withheld_risks),
                     "find_out_actions": record.withheld_actions, "note": record.withheld_note},
        "counts": record.counts(),
        "fields": [
            {"id": f.field.id, "ref": f.field.ref, "tier": f.section.tier, "section": f.section.heading,
             "name": f.field.name, "status": f.status, "value": f.value if f.filled else None,
             "paragraphs": list(f.paragraphs), "drawn_from": list(f.drawn_from), "guidance": f.field.guidance,
             "verified": f.field.verified}
            for f in record.fields
        ],
    }


def markdown(record: "Record") -> str:
    """The record to read and review: the standard's headings, each field's text and sources."""
    st = record.standard
    c = record.counts()
    lines = [f"# ATRS record (draft): {md(record.use_case)}", "",
             f"{md(record.organisation)} · {md(st.name)} v{st.version} ({st.released})", "",
             f"> **{CLEARANCE}** Prepared by risk-cli {__version__} from the self-assessment of "
             f"{record.assessed_on} ({md(record.questionnaire.label)}).", "",
             f"**Scope: {record.scope.label}.** {md(record.scope.headline)}"
             + (f" {md(_sentence(record.scope.basis))}" if record.scope.basis else "")
             + (f" *From:* {ids(record.scope.drawn_from)}" if record.scope.drawn_from else "")
             + (f" *Not known:* {ids(record.scope.unknown)}" if record.scope.unknown else ""), ""]
    if record.withheld_note:
        lines += [f"**{md(record.withheld_note)}**", ""]
    lines += [f"Fields: {c['Drafted']} drafted, {c['Partly drafted']} partly drafted and {c['To complete']} to "
              f"complete, of the {len(record.fields)} in the standard. Guidance: <{st.guidance_url}>", ""]
    for section in st.sections:
        lines += [f"## {md(section.label)}", ""]
        if section.note:
            lines += [f"*{md(section.note)}*", ""]
        for f in record.in_section(section):
            lines += _field(f)
    lines.append(f"*Field list: {md(st.label)}, checked against the standard's guidance and change log on "
                 f"{st.checked}; where the template you download differs, follow the template.*")
    return "\n".join(lines) + "\n"


def _field(f: "RecordField") -> list[str]:
    out = [f"### {f.field.ref} {md(f.field.name)}", ""]
    for paragraph in f.paragraphs:
        out += [md(paragraph), ""]
    if f.filled:
        out += [f"*{f.status} from:* {ids(f.drawn_from)}", ""]
    from risk_cli.model.atrs import DRAFTED

    if f.status != DRAFTED:
        out += [f"**To complete:** {md(f.field.guidance)}", ""]
    return out


# CommonMark treats these as markup anywhere; a backslash makes each one literal text
_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
# and these only at the start of a line (headings, lists, quotes, rules)
_LINE_START = re.compile(r"^(\s*)(#|>|[-+=]|\d+(?=[.)]))", re.MULTILINE)


def _sentence(text: str) -> str:
    from risk_cli.model.atrs import sentence  # the model imports the questionnaire: not at start-up

    return sentence(text)


def ids(sources: tuple[str, ...]) -> str:
    """Question ids and register items (risk:AI-SAF-001) as code, which Markdown shows as written."""
    return ", ".join(f"`{s}`" for s in sources)


def md(text: str) -> str:
    """Text as literal Markdown: what a person typed never becomes a link, an image, HTML or a heading."""
    text = _INLINE.sub(r"\\\1", text)
    return _LINE_START.sub(_literal_start, text)


def _literal_start(m: re.Match) -> str:
    """`# x` becomes `\\# x`, and `1. x` becomes `1\\. x`."""
    indent, mark = m.group(1), m.group(2)
    return indent + (mark + "\\" if mark.isdigit() else "\\" + mark)


FORMATS: Formats[Any] = Formats(
    Rendering("markdown", OutputFormat.MARKDOWN, lambda result: markdown(result.record).rstrip("\n"), "the record to read and review"),
    Rendering("json", OutputFormat.JSON, lambda result: json_document(to_dict(result.record)),
              "the record for tools"),
)
