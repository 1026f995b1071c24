"""The board pack as Markdown: printed by `risk-cli report` without -o, and written for `-o FILE.md`.

Only layout: the content is `model.report.Report`. Every text goes through `md`, so a name such as
`**x**`, `<script>` or `# heading` stays the text it is.
"""

from __future__ import annotations

from risk_cli.model.report import Block, Cell, HeatMap, Items, Paragraph, Report, Subheading, Table
from risk_cli.output.atrs import md


def markdown(report: Report) -> str:
    marking = f"**{md(report.marking)}**"
    lines = [marking, "", f"# {md(report.title)}", "", md(report.subtitle), ""]
    for section in report.sections:
        lines += [f"## {md(section.heading)}", ""]
        for block in section.blocks:
            lines += _block(block)
    lines += [marking]
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cell(cell: Cell) -> str:
    return md(_one_line(cell.text)) or " "


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        text = md(_one_line(block.text))
        return [f"**{text}**" if block.strong else text, ""]
    if isinstance(block, Subheading):
        return [f"### {md(_one_line(block.text))}", ""]
    if isinstance(block, Items):
        return [(f"{n}. " if block.ordered else "- ") + md(_one_line(item))
                for n, item in enumerate(block.items, start=1)] + [""]
    if isinstance(block, Table):
        out = [_row([md(h) for h in block.headers]), _row(["---"] * len(block.headers))]
        return out + [_row([_cell(c) for c in row]) for row in block.rows] + [""]
    if isinstance(block, HeatMap):
        return _heat_map(block)
    raise TypeError(f"unknown block {type(block).__name__}")


def _heat_map(hm: HeatMap) -> list[str]:
    out = [f"### {md(hm.title)}", "", f"Number of risks in each cell ({hm.total} in all); likelihood down, impact across.", ""]
    out.append(_row(["Likelihood / Impact"] + [f"{n} {md(label)}" for n, label in enumerate(hm.impact, start=1)]))
    rows, cols = hm.levels
    out.append(_row(["---"] * (cols + 1)))
    for n, row in zip(range(rows, 0, -1), hm.rows):
        out.append(_row([f"**{n} {md(hm.likelihood[n - 1])}**"] + [c.text or "·" for c in row]))
    return out + ["", "Cells coloured by rating: " + ", ".join(md(c.text) for c in hm.legend) + ".", ""]
