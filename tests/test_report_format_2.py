"""`risk-cli report` on format-2 inputs (the rated and points models): a board pack in each model's
own words, in Markdown, HTML and Word, in the chosen language, the same bytes each time, with no
5x5 words."""

from __future__ import annotations

import re

import docx
import pytest
import yaml

from tests.conftest import FIXTURES, ROOT

RATED = ROOT / "sample_outputs" / "benefit-triage-dp-answers.yaml"
POINTS_QN = FIXTURES / "points" / "mini-points.yaml"
POINTS = FIXTURES / "points" / "answers-high.yaml"
BILINGUAL = FIXTURES / "points" / "bilingual-points.yaml"
FIVE_BY_FIVE = re.compile(r"likelihood|impact scale|5x5|5 x 5|inherent|residual|heat map|appetite", re.I)


def pack_args(model: str) -> list:
    return [RATED] if model == "rated" else [POINTS, "-q", POINTS_QN]


def docx_text(path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def written(run, tmp_path, model: str, suffix: str, *extra) -> str:
    out = tmp_path / f"pack-{model}.{suffix}"
    result = run("report", *pack_args(model), "-o", out, "--force", *extra)
    assert result.exit_code == 0, result.stderr
    return docx_text(out) if suffix == "docx" else out.read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", ["md", "html", "docx"])
def test_rated_pack_has_summary_decisions_risks_steps_and_method(run, tmp_path, suffix):
    text = written(run, tmp_path, "rated", suffix)
    for want in ("Overall rating: High", "ai-data-protection-rated", "version 1.0.0", "Model: rated", "Language: en",
                 "Decisions for the board", "Accept or act on solely-automated", "Risks, highest rating first",
                 "Why: the answers that set this rating", "Must:", "Should:", "Annex: method",
                 "the first rule that holds", "highest rating"):
        assert want in text, want
    assert text.index("solely-automated") < text.index("training-data-security")  # worst first
    assert not FIVE_BY_FIVE.search(text)


@pytest.mark.parametrize("suffix", ["md", "html", "docx"])
def test_points_pack_has_level_totals_discount_bands_and_top_answers(run, tmp_path, suffix):
    text = written(run, tmp_path, "points", suffix)
    for want in ("Impact level: Level IV", "Model: points", "Raw impact", "Mitigation", "Final score",
                 "Applied: Mitigation is 2 of 2 (100%, at least 80%)", "Level I", "up to 25% of the maximum",
                 "Answers that scored the most points", "Health, Liberty", "Annex: method"):
        assert want in text, want
    assert not FIVE_BY_FIVE.search(text)


def test_md_has_no_empty_columns(run, tmp_path):
    for model in ("rated", "points"):
        text = written(run, tmp_path, model, "md")
        for line in text.splitlines():
            if line.startswith("| ") and "---" not in line:
                assert "|   |" not in line and not line.endswith("|   |"), line


@pytest.mark.parametrize("model", ["rated", "points"])
@pytest.mark.parametrize("suffix", ["md", "html", "docx"])
def test_same_input_gives_the_same_bytes(run, tmp_path, model, suffix):
    outs = []
    for n in (1, 2):
        out = tmp_path / f"{n}.{suffix}"
        assert run("report", *pack_args(model), "-o", out).exit_code == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_printed_without_o_is_the_markdown(run, tmp_path):
    result = run("report", RATED)
    assert result.exit_code == 0
    assert "# Board pack:" in result.stdout and "Overall rating: High" in result.stdout


def bilingual_answers(tmp_path, **extra):
    answers = {"personal-data": "yes", "languages": ["english", "welsh"], "checked": "yes"}
    path = tmp_path / "bilingual-answers.yaml"
    path.write_text(yaml.safe_dump({"questionnaire": {"id": "bilingual-points", "version": "0.1.0"}, **extra,
                                    "answers": answers}), encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", ["md", "html", "docx"])
def test_lang_chooses_the_questionnaires_language(run, tmp_path, suffix):
    answers = bilingual_answers(tmp_path)
    out = tmp_path / f"cy.{suffix}"
    result = run("report", answers, "-q", BILINGUAL, "--lang", "cy", "-o", out)
    assert result.exit_code == 0, result.stderr
    text = docx_text(out) if suffix == "docx" else out.read_text(encoding="utf-8")
    assert "Asesiad effaith" in text and "Effaith" in text and "Language: cy" in text
    assert "Impact assessment" not in text
    en = run("report", answers, "-q", BILINGUAL)
    assert "Impact assessment" in en.stdout and "Asesiad effaith" not in en.stdout


def test_a_language_not_offered_is_one_line(run, tmp_path):
    out = tmp_path / "x.md"
    result = run("report", bilingual_answers(tmp_path), "-q", BILINGUAL, "--lang", "fr", "-o", out)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --lang fr") and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_typed_text_is_escaped_in_html(run, tmp_path):
    out = tmp_path / "x.html"
    result = run("report", RATED, "-o", out, "--marking", "<b>OFFICIAL</b>")
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "<b>OFFICIAL</b>" not in html and "&lt;b&gt;OFFICIAL&lt;/b&gt;" in html


def test_a_rated_workbook_risk_cli_wrote_gives_the_same_pack(run, tmp_path):
    book = tmp_path / "rated.xlsx"
    assert run("assess", "-q", "ai-data-protection-rated", "--answers", RATED, "-o", book).exit_code == 0
    from_book = run("report", book)
    assert from_book.exit_code == 0, from_book.stderr
    assert "Overall rating: High" in from_book.stdout and "Must:" in from_book.stdout
    assert not FIVE_BY_FIVE.search(from_book.stdout)
