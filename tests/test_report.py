"""`risk-cli report` and `risk-cli portfolio --report`: a board pack in Markdown, HTML and Word,
through the real CLI. Each format is written and read back; typed text stays text in each; bad
input, a bad marking or an existing output are refused in one line with nothing written; the same
input gives the same document."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIVE_BY_FIVE_SAMPLES, ROOT, write_yaml

SAMPLES = ROOT / "sample_outputs"
CHATBOT = SAMPLES / "council-chatbot-answers.yaml"
HOSTILE_NAME = "<script>alert(1)</script> =1+1 **x** & [link](http://evil.example) # not a heading"

SECTIONS = ["Summary", "Assurance tier", "Decisions for the board", "Top risks", "Heat maps",
            "Mandatory and recommended checks", "Delivery barriers", "Actions by priority", "Annex: method"]


def hostile_answers(tmp_path: Path, name: str = HOSTILE_NAME) -> Path:
    data = yaml.safe_load(CHATBOT.read_text(encoding="utf-8"))
    data["profile"]["profile.name"] = name
    data["profile"]["profile.owner"] = "=HYPERLINK(\"http://evil.example\") & <b>owner</b>"
    return write_yaml(tmp_path / "hostile-answers.yaml", data)


def one_error_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    return lines[0]


# -- Markdown -------------------------------------------------------------------------------

def test_markdown_is_printed_without_o(run):
    result = run("report", CHATBOT)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    lines = text.strip().splitlines()
    assert lines[0] == "**OFFICIAL**" and lines[-1] == "**OFFICIAL**"
    assert "# Board pack: Ask the Council chatbot" in text
    headings = [line[3:] for line in lines if line.startswith("## ")]
    assert headings == SECTIONS
    assert "Tier 3: high" in text and "What would move it down" in text
    assert "1. Approve Ask the Council chatbot at Tier 3: high" in text
    assert "Make sure Data protection impact assessment (DPIA) is completed by 2026-12-27" in text
    assert "| AI-VFM-001 | Benefits are not realised or cannot be shown |" in text
    assert "about 70%" in text  # the NAO survey share beside the barrier
    assert "### Must (due within 30 days of the assessment)" in text
    assert "uk-public-sector-ai" in text and "SHA-256" in text and "Likelihood scale" in text


def test_markdown_file_is_written_and_matches_stdout(run, tmp_path):
    out = tmp_path / "pack.md"
    result = run("report", CHATBOT, "-o", out, "--marking", "OFFICIAL-SENSITIVE")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert f"Board pack written to {out}" in result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("**OFFICIAL-SENSITIVE**\n") and text.endswith("**OFFICIAL-SENSITIVE**\n")
    again = run("report", CHATBOT, "--marking", "OFFICIAL-SENSITIVE")
    assert again.stdout == text


def test_a_register_gives_the_same_pack_as_its_answers(run, tmp_path):
    from_answers = run("report", CHATBOT).stdout
    from_register = run("report", SAMPLES / "council-chatbot-register.xlsx").stdout
    assert from_register == from_answers


def test_typed_text_stays_text_in_markdown(run, tmp_path):
    result = run("report", hostile_answers(tmp_path))
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "<script>" not in text and "<b>" not in text
    assert "\\<script\\>" in text and "\\*\\*x\\*\\*" in text and "\\&" in text
    assert "[link]" not in text and "\\[link\\]" in text
    assert "\n# not a heading" not in text


def test_the_same_input_gives_the_same_markdown(run, tmp_path):
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    assert run("report", CHATBOT, "-o", a).exit_code == 0
    assert run("report", CHATBOT, "-o", b).exit_code == 0
    assert a.read_bytes() == b.read_bytes()


# -- refusals -------------------------------------------------------------------------------

@pytest.mark.parametrize("marking, says", [
    ("x" * 51, "at most 50 characters"),
    ("OFFICIAL\nerror: forged", "control character U+000A"),
    ("OFFICIAL\x1b[31m", "control character U+001B"),
    ("   ", "give the protective marking"),
])
def test_a_bad_marking_is_one_line_and_nothing_is_written(run, tmp_path, marking, says):
    out = tmp_path / "pack.md"
    result = run("report", CHATBOT, "-o", out, "--marking", marking)
    assert result.exit_code == 2
    assert says in one_error_line(result)
    assert not out.exists() and result.stdout == ""


def test_fifty_characters_of_marking_are_accepted(run):
    result = run("report", CHATBOT, "--marking", "O" * 50)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("**" + "O" * 50 + "**")


def test_bad_input_is_one_line_and_nothing_is_written(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("questionnaire: [unclosed\n", encoding="utf-8")
    out = tmp_path / "pack.md"
    result = run("report", bad, "-o", out)
    assert result.exit_code == 2
    one_error_line(result)
    assert not out.exists()
    missing = run("report", tmp_path / "missing.yaml", "-o", out)
    assert missing.exit_code == 2
    one_error_line(missing)
    assert not out.exists()


def test_an_unknown_suffix_is_refused_before_any_work(run, tmp_path):
    out = tmp_path / "pack.pdf"
    result = run("report", tmp_path / "missing.yaml", "-o", out)
    assert result.exit_code == 2
    assert ".md (Markdown), .html" in one_error_line(result)
    assert not out.exists()


def test_an_existing_output_is_kept_without_force(run, tmp_path):
    out = tmp_path / "pack.md"
    out.write_text("keep me", encoding="utf-8")
    result = run("report", CHATBOT, "-o", out)
    assert result.exit_code == 2
    assert "already exists; use --force" in one_error_line(result)
    assert out.read_text(encoding="utf-8") == "keep me"
    assert run("report", CHATBOT, "-o", out, "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("**OFFICIAL**")


def test_appetite_and_questionnaire_options_follow_atrs(run, tmp_path):
    appetite = write_yaml(tmp_path / "appetite.yaml", {"source": "Example City Council appetite 2026",
                                                       "appetite": {"financial": "open"}})
    result = run("report", CHATBOT, "--appetite", appetite, "-q", "uk-public-sector-ai@1.1.0")
    assert result.exit_code == 0, result.stderr
    assert "Source: Example City Council appetite 2026." in result.stdout
    bad = run("report", CHATBOT, "-q", "no-such-questionnaire")
    assert bad.exit_code == 2


# -- HTML -----------------------------------------------------------------------------------

class Page(HTMLParser):
    """What a browser would see: every start tag with its attributes, the text, headings, tables."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.stack: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.style = ""
        self.title = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop() == tag:
                break

    def handle_data(self, data):
        where = self.stack[-1] if self.stack else ""
        if where == "style":
            self.style += data
            return
        if where == "title" and "svg" not in self.stack:
            self.title = data
            return
        self.text.append(data)
        if where in ("h1", "h2", "h3"):
            self.headings.append((where, data))

    def count(self, tag: str) -> int:
        return sum(1 for t, _ in self.tags if t == tag)


def parsed(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def test_html_is_one_self_contained_page_that_prints_to_a4(run, tmp_path):
    out = tmp_path / "pack.html"
    result = run("report", CHATBOT, "-o", out)
    assert result.exit_code == 0, result.stderr
    raw = out.read_text(encoding="utf-8")
    page = parsed(out)
    assert page.count("script") == 0 and page.count("link") == 0 and page.count("img") == 0
    assert page.count("iframe") == 0 and page.count("object") == 0
    assert not re.search(r"https?://", raw), "the page names a network address"
    assert all(not k.startswith("on") for _, attrs in page.tags for k in attrs), "an event handler attribute"
    assert page.count("svg") == 2 and page.count("rect") == 50  # two heat maps of 5x5 cells
    assert "@page" in page.style and "size: A4" in page.style and "break-before: page" in page.style
    assert [h for tag, h in page.headings if tag == "h2"] == SECTIONS
    text = [t.strip() for t in page.text if t.strip()]
    assert text[0] == "OFFICIAL" and text[-1] == "OFFICIAL"
    assert page.title == "Board pack: Ask the Council chatbot (OFFICIAL)"
    top = [attrs for tag, attrs in page.tags if tag == "table" and attrs.get("class") == "top-risks"]
    assert len(top) == 1
    body = raw.split('<table class="top-risks">', 1)[1].split("</table>", 1)[0]
    assert body.count("<tr>") == 11  # header and the top 10
    assert "AI-VFM-001" in body and "Sam Reid, Head of Digital Services" in body


def test_typed_text_stays_text_in_html(run, tmp_path):
    out = tmp_path / "pack.html"
    marking = '</style><script>alert(1)</script>"\\'
    result = run("report", hostile_answers(tmp_path), "-o", out, "--marking", marking)
    assert result.exit_code == 0, result.stderr
    page = parsed(out)
    assert page.count("script") == 0 and page.count("b") == 0 and page.count("a") == 0
    assert page.count("style") == 1 and "</style>" not in page.style and "<script" not in page.style
    text = "".join(page.text)
    assert HOSTILE_NAME in text  # shown exactly as typed
    assert '=HYPERLINK("http://evil.example") & <b>owner</b>' in text
    assert marking in text
    assert all("evil" not in v for _, attrs in page.tags for v in attrs.values() if v)


def test_the_same_input_gives_the_same_html(run, tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    assert run("report", CHATBOT, "-o", a).exit_code == 0
    assert run("report", SAMPLES / "council-chatbot-register.xlsx", "-o", b).exit_code == 0
    assert a.read_bytes() == b.read_bytes()


# -- Word -----------------------------------------------------------------------------------

def document_text(doc) -> list[str]:
    """Every paragraph and table cell, headers and footers included, in order."""
    out = [p.text for s in doc.sections for part in (s.header, s.footer) for p in part.paragraphs]
    body = doc.element.body
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            out.append(DocxParagraph(child, doc).text)
        elif child.tag.endswith("}tbl"):
            out += ["\t".join(c.text for c in row.cells) for row in DocxTable(child, doc).rows]
    return out


def test_word_has_the_headings_and_the_top_risk_table(run, tmp_path):
    import docx

    out = tmp_path / "pack.docx"
    result = run("report", CHATBOT, "-o", out)
    assert result.exit_code == 0, result.stderr
    doc = docx.Document(str(out))
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    assert paragraphs[0].text == "OFFICIAL" and paragraphs[-1].text == "OFFICIAL"
    assert doc.sections[0].header.paragraphs[0].text == "OFFICIAL"
    assert doc.sections[0].footer.paragraphs[0].text == "OFFICIAL"
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == ["Board pack: Ask the Council chatbot"]
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == SECTIONS
    assert "What would move it down" in [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    top = next(t for t in doc.tables if t.rows[0].cells[0].text == "Risk" and len(t.columns) == 10)
    assert [c.text for c in top.rows[0].cells] == ["Risk", "Title", "Category", "Inherent", "Residual", "Appetite",
                                                   "Risk owner", "Action owner", "Treatment", "Target date"]
    assert len(top.rows) == 11
    first = [c.text for c in top.rows[1].cells]
    assert first[0] == "AI-VFM-001" and first[6] == "Sam Reid, Head of Digital Services" and first[8] == "Treat"
    assert first[9] == "2027-02-25"
    assert len(doc.inline_shapes) == 2  # the inherent and residual heat maps
    alt = [shape._inline.docPr.get("descr") for shape in doc.inline_shapes]
    assert alt[0].startswith("Inherent risk (before controls): 43 risks; ")
    assert "likelihood 3, impact 3: 16" in alt[0]
    pictures = [part for part in doc.part.package.parts if part.content_type == "image/png"]
    assert pictures
    width, height, pixels = png_pixels(pictures[0].blob)
    assert (width, height) == (700, 492)
    assert pixel(pixels, width, 84 + 4 * 120 + 60, 16 + 10) == (0xFF, 0x00, 0x00)  # likelihood 5 x impact 5: Extreme
    assert pixel(pixels, width, 84 + 10, 16 + 4 * 80 + 10) == (0x92, 0xD0, 0x50)  # likelihood 1 x impact 1: Low
    props = doc.core_properties
    assert props.created.date().isoformat() == "2026-11-27" == props.modified.date().isoformat()
    assert props.author == "risk-cli" and props.keywords == "OFFICIAL"


def png_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Decode the plain RGB PNG the heat map writer makes (filter type 0 on every row)."""
    import struct
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert (depth, colour) == (8, 2)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * 3 + 1
    assert all(raw[r * stride] == 0 for r in range(height))
    return width, height, b"".join(raw[r * stride + 1:(r + 1) * stride] for r in range(height))


def pixel(pixels: bytes, width: int, x: int, y: int) -> tuple[int, int, int]:
    i = (y * width + x) * 3
    return tuple(pixels[i:i + 3])


def test_word_keeps_typed_text_as_plain_runs(run, tmp_path):
    import docx

    out = tmp_path / "pack.docx"
    result = run("report", hostile_answers(tmp_path), "-o", out, "--marking", "OFFICIAL <b>&amp;")
    assert result.exit_code == 0, result.stderr
    doc = docx.Document(str(out))
    text = "\n".join(document_text(doc))
    assert f"Board pack: {HOSTILE_NAME}" in text
    assert '=HYPERLINK("http://evil.example") & <b>owner</b>' in text
    assert doc.sections[0].header.paragraphs[0].text == "OFFICIAL <b>&amp;"
    import zipfile

    with zipfile.ZipFile(out) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "<w:hyperlink" not in xml and "<w:fldSimple" not in xml and "<w:instrText" not in xml


def test_the_same_input_gives_the_same_word_document(run, tmp_path):
    import docx

    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    assert run("report", CHATBOT, "-o", a).exit_code == 0
    assert run("report", SAMPLES / "council-chatbot-register.xlsx", "-o", b).exit_code == 0
    assert document_text(docx.Document(str(a))) == document_text(docx.Document(str(b)))
    assert a.read_bytes() == b.read_bytes()


def test_word_is_not_imported_for_markdown(tmp_path):
    import json
    import subprocess
    import sys

    probe = ("import sys; sys.argv = ['risk-cli', 'report', sys.argv[1]]\n"
             "from risk_cli.cli import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "import json; print(json.dumps([m for m in ('docx', 'lxml') if m in sys.modules]), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", probe, str(CHATBOT)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert json.loads(proc.stderr.strip().splitlines()[-1]) == []


# -- portfolio --report ---------------------------------------------------------------------

PORTFOLIO_SECTIONS = ["Summary", "Escalations", "Tiers", "Use cases", "Top risks across the portfolio", "Heat maps",
                      "Delivery barriers", "Annex: method"]


def sample_answers() -> list[Path]:
    return FIVE_BY_FIVE_SAMPLES  # the 5x5 packs (format-2 packs: tests/test_report_format_2.py)


def test_portfolio_report_puts_escalations_first(run, tmp_path):
    out = tmp_path / "board.md"
    result = run("portfolio", *sample_answers(), "--report", out)
    assert result.exit_code == 0, result.stderr
    assert f"Board pack written to {out}" in result.stderr
    text = out.read_text(encoding="utf-8")
    lines = text.strip().splitlines()
    assert lines[0] == "**OFFICIAL**" and lines[-1] == "**OFFICIAL**"
    assert [line[3:] for line in lines if line.startswith("## ")] == PORTFOLIO_SECTIONS
    escalations = text.split("## Escalations", 1)[1].split("## Tiers", 1)[0]
    order = [name for name in ("Claim review prioritisation model", "Ask the Council chatbot",
                               "Caseworker reply assistant") if name in escalations]
    assert order and [escalations.index(n) for n in order] == sorted(escalations.index(n) for n in order)
    assert "| 1 | Claim review prioritisation model | Example Benefits Agency | Tier 4: very high |" in escalations
    assert "1. Decide on Claim review prioritisation model" in escalations
    barriers = text.split("## Delivery barriers", 1)[1]
    assert "| Attracting and keeping staff with AI skills |" in barriers and "about 70%" in barriers


@pytest.mark.parametrize("suffix", [".html", ".docx"])
def test_portfolio_report_in_html_and_word(run, tmp_path, suffix):
    out = tmp_path / f"board{suffix}"
    workbook = tmp_path / "portfolio.xlsx"
    result = run("portfolio", *sample_answers(), "-o", workbook, "--report", out)
    assert result.exit_code == 0, result.stderr
    assert workbook.exists()
    if suffix == ".html":
        page = parsed(out)
        assert page.count("script") == 0 and page.count("svg") == 2
        assert [h for tag, h in page.headings if tag == "h2"] == PORTFOLIO_SECTIONS
        assert not re.search(r"https?://", out.read_text(encoding="utf-8"))
    else:
        import docx

        doc = docx.Document(str(out))
        assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == PORTFOLIO_SECTIONS
        esc = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:2] == ["#", "Use case"])
        assert esc.rows[1].cells[1].text == "Claim review prioritisation model"
        assert doc.core_properties.created.date().isoformat() == "2026-11-27"


def test_portfolio_report_keeps_typed_text_as_text(run, tmp_path):
    out = tmp_path / "board.html"
    result = run("portfolio", hostile_answers(tmp_path), "--report", out)
    assert result.exit_code == 0, result.stderr
    page = parsed(out)
    assert page.count("script") == 0 and page.count("b") == 0
    assert HOSTILE_NAME in "".join(page.text)


def test_portfolio_report_is_refused_before_any_work(run, tmp_path):
    existing = tmp_path / "board.md"
    existing.write_text("keep me", encoding="utf-8")
    result = run("portfolio", *sample_answers(), "--report", existing)
    assert result.exit_code == 2
    assert "already exists; use --force" in one_error_line(result)
    assert existing.read_text(encoding="utf-8") == "keep me"
    bad = tmp_path / "board.txt"
    result = run("portfolio", *sample_answers(), "--report", bad)
    assert result.exit_code == 2 and ".md (Markdown)" in one_error_line(result)
    same = tmp_path / "same.md"
    result = run("portfolio", *sample_answers(), "-o", same, "--report", same)
    assert result.exit_code == 2 and "the same file" in one_error_line(result)
    assert not same.exists() and not bad.exists()


def test_the_same_inputs_give_the_same_portfolio_report(run, tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    assert run("portfolio", *sample_answers(), "--report", a).exit_code == 0
    assert run("portfolio", *reversed(sample_answers()), "--report", b).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
