"""sample_outputs/ must match what the tool writes today (cell values, not bytes).

Regenerate after a deliberate change with:
    for n in caseworker-reply-assistant benefit-fraud-ranking council-chatbot; do
      risk-cli assess --answers sample_outputs/$n-answers.yaml --no-input --force -o sample_outputs/$n-register.xlsx
      risk-cli atrs sample_outputs/$n-answers.yaml --force -o sample_outputs/$n-atrs.md \
        -o sample_outputs/$n-atrs.xlsx -o sample_outputs/$n-atrs.json
      for s in md html docx; do
        risk-cli report sample_outputs/$n-answers.yaml --force -o sample_outputs/$n-report.$s
      done
    done
The rated-model samples (questionnaire ai-data-protection-rated; no ATRS record, which needs a 5x5 one):
    for n in benefit-triage-dp; do
      risk-cli assess --answers sample_outputs/$n-answers.yaml --no-input --force -o sample_outputs/$n-register.xlsx
      risk-cli assess --answers sample_outputs/$n-answers.yaml --no-input --format json > sample_outputs/$n-result.json
      for s in md html docx; do
        risk-cli report sample_outputs/$n-answers.yaml --force -o sample_outputs/$n-report.$s
      done
    done
"""

from __future__ import annotations

import openpyxl
import pytest

from tests.conftest import FIVE_BY_FIVE_SAMPLES, RATED_SAMPLES as RATED_ANSWERS, ROOT

ATRS_SUFFIXES = (".md", ".xlsx", ".json")
REPORT_SUFFIXES = (".md", ".html", ".docx")
SAMPLES = [p.name[: -len("-answers.yaml")] for p in FIVE_BY_FIVE_SAMPLES]
RATED = ROOT / "sample_outputs"
RATED_SAMPLES = [p.name[: -len("-answers.yaml")] for p in RATED_ANSWERS]


def values(path):
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                out[(ws.title, cell.coordinate)] = cell.value
    # the time of writing is the one thing allowed to differ
    if "About" in wb.sheetnames:
        for row in wb["About"].iter_rows():
            if row[0].value == "Generated":
                out.pop(("About", row[1].coordinate), None)
    return out


def test_there_are_at_least_three_samples():
    assert len(SAMPLES) >= 3
    for name in SAMPLES:
        assert (ROOT / "sample_outputs" / f"{name}-register.xlsx").exists(), f"{name}: no register"
        for suffix in ATRS_SUFFIXES:
            assert (ROOT / "sample_outputs" / f"{name}-atrs{suffix}").exists(), f"{name}: no ATRS draft ({suffix})"
        for suffix in REPORT_SUFFIXES:
            assert (ROOT / "sample_outputs" / f"{name}-report{suffix}").exists(), f"{name}: no board pack ({suffix})"


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_register_matches_what_the_tool_writes(tmp_path, run, name):
    answers = ROOT / "sample_outputs" / f"{name}-answers.yaml"
    out = tmp_path / f"{name}.xlsx"
    result = run("assess", "--answers", answers, "--no-input", "-o", out)
    assert result.exit_code == 0, result.output
    expected = values(ROOT / "sample_outputs" / f"{name}-register.xlsx")
    actual = values(out)
    changed = sorted(k for k in expected.keys() | actual.keys() if expected.get(k) != actual.get(k))
    assert not changed, f"sample_outputs/{name}-register.xlsx is stale at {changed[:5]}: regenerate it (see this file's docstring)"


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_atrs_draft_matches_what_the_tool_writes(tmp_path, run, name):
    samples = ROOT / "sample_outputs"
    outputs = [tmp_path / f"{name}-atrs{suffix}" for suffix in ATRS_SUFFIXES]
    result = run("atrs", samples / f"{name}-answers.yaml", *[x for out in outputs for x in ("-o", out)])
    assert result.exit_code == 0, result.output
    stale = f"sample_outputs/{name}-atrs.* are stale: regenerate them (see this file's docstring)"
    for out in outputs[::2]:  # Markdown and JSON: the very text
        assert out.read_text(encoding="utf-8") == (samples / out.name).read_text(encoding="utf-8"), stale
    expected, actual = values(samples / outputs[1].name), values(outputs[1])
    assert expected == actual, stale


def word_text(path):
    """A Word document's text, paragraph by paragraph and cell by cell, headers and footers too."""
    import docx

    doc = docx.Document(str(path))
    out = [p.text for s in doc.sections for part in (s.header, s.footer) for p in part.paragraphs]
    out += [p.text for p in doc.paragraphs]
    out += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return out, doc.core_properties.created, doc.core_properties.modified


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_board_packs_match_what_the_tool_writes(tmp_path, run, name):
    samples = ROOT / "sample_outputs"
    stale = f"sample_outputs/{name}-report.* are stale: regenerate them (see this file's docstring)"
    for suffix in REPORT_SUFFIXES:
        out = tmp_path / f"{name}-report{suffix}"
        result = run("report", samples / f"{name}-answers.yaml", "-o", out)
        assert result.exit_code == 0, result.output
        if suffix == ".docx":
            assert word_text(out) == word_text(samples / out.name), stale
        else:  # Markdown and HTML: the very text
            assert out.read_text(encoding="utf-8") == (samples / out.name).read_text(encoding="utf-8"), stale


def test_there_is_a_rated_sample():
    assert RATED_SAMPLES
    for name in RATED_SAMPLES:
        for suffix in ("register.xlsx", "result.json", "report.md", "report.html", "report.docx"):
            assert (RATED / f"{name}-{suffix}").exists(), f"{name}: no {suffix}"


@pytest.mark.parametrize("name", RATED_SAMPLES)
def test_rated_sample_matches_what_the_tool_writes(tmp_path, run, name):
    answers = RATED / f"{name}-answers.yaml"
    out = tmp_path / f"{name}.xlsx"
    result = run("assess", "-q", "ai-data-protection-rated", "--answers", answers, "--no-input", "-o", out)
    assert result.exit_code == 0, result.output
    expected = values(RATED / f"{name}-register.xlsx")
    actual = values(out)
    changed = sorted(k for k in expected.keys() | actual.keys() if expected.get(k) != actual.get(k))
    assert not changed, f"sample_outputs/{name}-register.xlsx is stale at {changed[:5]}: regenerate it (see this file's docstring)"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "Risks", "Answers", "risk-cli data"]
    assert not [c.coordinate for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    js = run("assess", "-q", "ai-data-protection-rated", "--answers", answers, "--no-input", "--format", "json")
    assert js.output == (RATED / f"{name}-result.json").read_text(encoding="utf-8"), \
        f"sample_outputs/{name}-result.json is stale: regenerate it (see this file's docstring)"


@pytest.mark.parametrize("name", RATED_SAMPLES)
@pytest.mark.parametrize("suffix", REPORT_SUFFIXES)
def test_rated_report_sample_matches_what_the_tool_writes(tmp_path, run, name, suffix):
    sample = RATED / f"{name}-report{suffix}"
    out = tmp_path / sample.name
    result = run("report", RATED / f"{name}-answers.yaml", "-o", out)
    assert result.exit_code == 0, result.output
    stale = f"sample_outputs/{sample.name} is stale: regenerate it (see this file's docstring)"
    if suffix == ".docx":
        assert word_text(out) == word_text(sample), stale
    else:
        assert out.read_text(encoding="utf-8") == sample.read_text(encoding="utf-8"), stale
