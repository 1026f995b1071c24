"""The board pack as one self-contained HTML page: inline CSS, heat maps as inline SVG, no script,
nothing fetched from the network (a Content-Security-Policy says so to the browser as well), and
print rules (@page A4, page breaks) so that a browser prints it cleanly to PDF.

Only layout: the content is `model.report.Report`. Every text is HTML-escaped, and the marking
in the CSS page boxes is escaped as a CSS string, so typed text never becomes markup.
"""

from __future__ import annotations

import html
import re

from risk_cli.model.report import Block, Cell, HeatMap, Items, Paragraph, Report, Subheading, Table

_HEX = re.compile(r"[0-9A-Fa-f]{6}")

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.4; color: #0b0c0c;
       max-width: 190mm; margin: 0 auto; padding: 8mm; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.marking { text-align: center; font-weight: bold; letter-spacing: 0.05em; margin: 0 0 4mm; }
.marking.bottom { margin: 8mm 0 0; }
h1 { font-size: 20pt; margin: 0 0 2mm; }
.subtitle { color: #505a5f; margin: 0 0 6mm; }
h2 { font-size: 14pt; border-bottom: 2px solid #0b0c0c; padding-bottom: 1mm; margin: 8mm 0 3mm; }
h3 { font-size: 12pt; margin: 5mm 0 2mm; }
p, li, td, th { white-space: pre-line; }
table { border-collapse: collapse; width: 100%; margin: 0 0 4mm; font-size: 9pt; }
th, td { border: 1px solid #b1b4b6; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #f3f2f1; }
td.nb { white-space: nowrap; }
thead { display: table-header-group; }
tr, figure, svg { break-inside: avoid; page-break-inside: avoid; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
figure { margin: 0 0 5mm; }
figcaption { font-weight: bold; margin-bottom: 1mm; }
.legend span { display: inline-block; padding: 0 2mm; margin: 1mm 1mm 0 0; border: 1px solid #b1b4b6; font-size: 9pt; }
section.annex { break-before: page; page-break-before: always; }
@media print { body { padding: 0; max-width: none; } }
"""


def render(report: Report) -> str:
    """The whole page, the same text for the same report."""
    marking = html.escape(report.marking)
    page = ("@page { size: A4; margin: 16mm 14mm 18mm; "
            f"@top-center {{ content: {css_string(report.marking)}; font: bold 9pt Arial, sans-serif; }} "
            f"@bottom-center {{ content: {css_string(report.marking)} \" \\00B7  page \" counter(page); "
            "font: 9pt Arial, sans-serif; } }")
    out = ["<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
           '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{html.escape(report.title)} ({marking})</title>",
           "<style>" + CSS + page + "\n</style>", "</head>", "<body>",
           f'<p class="marking top">{marking}</p>', "<header>", f"<h1>{html.escape(report.title)}</h1>",
           f'<p class="subtitle">{html.escape(report.subtitle)}</p>', "</header>", "<main>"]
    for n, section in enumerate(report.sections, start=1):
        out.append(f'<section id="s{n}"' + (' class="annex"' if section.annex else "") + ">")
        out.append(f"<h2>{html.escape(section.heading)}</h2>")
        for block in section.blocks:
            out.append(_block(block))
        out.append("</section>")
    out += ["</main>", f'<p class="marking bottom">{marking}</p>', "</body>", "</html>"]
    return "\n".join(out) + "\n"


def css_string(text: str) -> str:
    """Text as a CSS string literal: every character but letters, digits and spaces as a CSS escape,
    so a quote, a backslash or `</style>` in it stays text."""
    return '"' + "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):06X}" for c in text) + '"'


def _fill(colour: str) -> str:
    """A cell's background as a style attribute, only for a six-digit hex colour, with a readable text colour."""
    if not colour or not _HEX.fullmatch(colour):
        return ""
    return f' style="background:#{colour.upper()};color:{text_colour(colour)}"'


def text_colour(colour: str) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return "#FFFFFF" if (0.299 * r + 0.587 * g + 0.114 * b) < 140 else "#0B0C0C"


def _block(block: Block) -> str:
    e = html.escape
    if isinstance(block, Paragraph):
        return f"<p><strong>{e(block.text)}</strong></p>" if block.strong else f"<p>{e(block.text)}</p>"
    if isinstance(block, Subheading):
        return f"<h3>{e(block.text)}</h3>"
    if isinstance(block, Items):
        tag = "ol" if block.ordered else "ul"
        return f"<{tag}>" + "".join(f"<li>{e(item)}</li>" for item in block.items) + f"</{tag}>"
    if isinstance(block, Table):
        head = "<thead><tr>" + "".join(f'<th scope="col">{e(h)}</th>' for h in block.headers) + "</tr></thead>"
        body = "".join("<tr>" + "".join(_td(c) for c in row) + "</tr>" for row in block.rows)
        key = f' class="{e(block.key)}"' if block.key else ""
        return f"<table{key}>{head}<tbody>{body}</tbody></table>"
    if isinstance(block, HeatMap):
        return heat_map_svg(block)
    raise TypeError(f"unknown block {type(block).__name__}")


_UNBROKEN = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+")  # an id or a date: never broken at its hyphens


def _td(cell: Cell) -> str:
    nb = ' class="nb"' if len(cell.text) <= 24 and _UNBROKEN.fullmatch(cell.text) else ""
    return f"<td{nb}{_fill(cell.fill)}>{html.escape(cell.text)}</td>"


LABEL_W, CELL_W, CELL_H, HEAD_H = 150, 96, 40, 44


def heat_map_svg(hm: HeatMap) -> str:
    """The likelihood x impact grid (5x5, or the questionnaire's scale sizes) as an inline SVG
    picture (no xmlns needed inside HTML), with a text alternative."""
    e = html.escape
    rows, cols = hm.levels
    width, height = LABEL_W + cols * CELL_W, HEAD_H + rows * CELL_H + 24
    parts = [f'<figure><figcaption>{e(hm.title)}</figcaption>',
             f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{e(hm.title)}: '
             f'{hm.total} risks by likelihood and impact" font-family="Arial, Helvetica, sans-serif" font-size="12">',
             f"<title>{e(hm.title)}</title>"]
    for i, label in enumerate(hm.impact, start=1):
        x = LABEL_W + (i - 1) * CELL_W + CELL_W / 2
        parts.append(f'<text x="{x:g}" y="18" text-anchor="middle" font-weight="bold">{i}</text>'
                     f'<text x="{x:g}" y="34" text-anchor="middle">{e(label)}</text>')
    for r, (level, row) in enumerate(zip(range(rows, 0, -1), hm.rows)):
        y = HEAD_H + r * CELL_H
        parts.append(f'<text x="{LABEL_W - 8}" y="{y + CELL_H / 2 + 4:g}" text-anchor="end">'
                     f'<tspan font-weight="bold">{level}</tspan> {e(hm.likelihood[level - 1])}</text>')
        for c, cell in enumerate(row):
            x = LABEL_W + c * CELL_W
            colour = cell.fill.upper() if _HEX.fullmatch(cell.fill or "") else "FFFFFF"
            parts.append(f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="#{colour}" '
                         'stroke="#FFFFFF" stroke-width="2"/>')
            if cell.text:
                parts.append(f'<text x="{x + CELL_W / 2:g}" y="{y + CELL_H / 2 + 6:g}" text-anchor="middle" '
                             f'font-size="17" font-weight="bold" fill="{text_colour(colour)}">{e(cell.text)}</text>')
    bottom = HEAD_H + rows * CELL_H + 18
    parts.append(f'<text x="{LABEL_W - 8}" y="{bottom}" text-anchor="end" font-style="italic">Likelihood \u2191</text>'
                 f'<text x="{LABEL_W + cols * CELL_W / 2:g}" y="{bottom}" text-anchor="middle" font-style="italic">'
                 "Impact \u2192</text>")
    parts.append("</svg>")
    parts.append('<p class="legend">' + "".join(f"<span{_fill(c.fill)}>{e(c.text)}</span>" for c in hm.legend)
                 + f" {hm.total} risks in all.</p></figure>")
    return "".join(parts)
