"""Round-trip properties through the real CLI (hypothesis): nothing a person enters is ever
silently altered on its way through files and workbooks.

(i) Any text (formula prefixes, unicode, control characters, very long text) in an answers
    file goes to a register (assess -o) and back (import re-reads the register's hidden data
    sheet) unchanged, or is refused with one clear line naming the question.
(ii) A template filled in (as a person would, with openpyxl) and imported gives back exactly
    the answers filled in.
Scoring properties (determinism, "don't know" never safer) are in test_properties.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from risk_cli.model import answers as answers_mod
from risk_cli.model.answers import clean_text
from tests.conftest import MINI, mini_answers, own_formula
from tests.hostile.harness import invoke
from tests.strategies import CELL_TEXT, PRINTABLE_TEXT, USER_TEXT
from tests.template_fill import locate, make_template

# Each example runs the real CLI twice, so shrinking a failure can take minutes: it is left out
# (a failure shows the example as drawn), which keeps a failing run as quick as a passing one.
SOME = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                phases=[Phase.explicit, Phase.reuse, Phase.generate])
ORDER = ["profile.name", "profile.organisation", "profile.owner", "profile.phase", "profile.role", "data.personal",
         "data.dpia", "data.kinds", "data.volume", "data.note", "delivery.skills", "delivery.date"]


class ExactDumper(yaml.SafeDumper):
    """Writes every text double-quoted, the one YAML style that can hold any character exactly,
    so the answers file holds exactly the text under test."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


ExactDumper.add_representer(str, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style='"'))


@SOME
@given(data=st.data())
def test_any_text_round_trips_through_a_register_or_is_refused_by_question(tmp_path_factory, data):
    text = data.draw(st.sampled_from([PRINTABLE_TEXT, USER_TEXT]), label="kind of text")  # half go all the way
    name, organisation, owner, note_text, note_a, note_b = (data.draw(text, label=f"text {i}") for i in range(6))
    tmp = tmp_path_factory.mktemp("text")
    texts = {"profile.name": name, "profile.organisation": organisation, "profile.owner": owner,
             "data.note": note_text}
    notes = {"data.personal": note_a, "delivery.skills": note_b}
    doc = mini_answers(**{k.replace(".", "__"): v for k, v in texts.items()})
    for qid, note in notes.items():
        doc["answers"][qid] = {"answer": doc["answers"][qid], "note": note}
    source = tmp / "answers.yaml"
    source.write_text(yaml.dump(doc, Dumper=ExactDumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
    register = tmp / "register.xlsx"
    result, _ = invoke("assess", "-q", MINI, "--answers", source, "--no-input", "-o", register)

    expected_errors = []
    for qid, text in texts.items():
        _, message = clean_text(text, "the answer")
        if message:
            expected_errors.append((ORDER.index(qid), f"error: {source}: {qid}: {message}"))
    for qid, note in notes.items():
        _, message = clean_text(note, "the note")
        if message:
            expected_errors.append((ORDER.index(qid), f"error: {source}: {qid}: {message}"))
    if expected_errors:
        assert result.exit_code == 2, result.output
        assert result.stderr.splitlines() == [line for _, line in sorted(expected_errors)]
        assert not register.exists()
        return

    assert result.exit_code == 0, result.output
    out = tmp / "imported"
    result, _ = invoke("import", register, "-q", MINI, "-o", out)
    assert result.exit_code == 0, result.output
    back = answers_mod.load(out / "register-answers.yaml")
    for qid, text in texts.items():  # line breaks are kept as line feeds, as in every spreadsheet cell
        assert back.values[qid].value == clean_text(text, "")[0], qid
    for qid, note in notes.items():
        assert back.values[qid].note == clean_text(note, "")[0], qid
    wb = openpyxl.load_workbook(register)
    try:
        for ws in wb.worksheets:  # no formula but risk-cli's own scores and ratings
            for row in ws.iter_rows():
                assert all(cell.data_type != "f" or own_formula(ws, cell) for cell in row), ws.title
    finally:
        wb.close()


# -- template -> filled -> import -------------------------------------------------------------

CHOICES = {"profile.phase": {"Alpha": "alpha", "Live": "live"},
           "profile.role": {"Supports staff": "supports", "Decides": "decides"}}
YESNO = {"Yes": "yes", "No": "no", "Don't know": "dont_know"}
KINDS = {"Health": "health", "Finance": "finance", "None of these": "none"}
DATES = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31))
# the date of an assessment is refused past 9000-12-31 (its review dates must fit before 9999)
COMPLETED_DATES = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9000, 12, 31))


@st.composite
def filled_answers(draw) -> dict[str, Any]:
    """What a person types into mini's template: labels, ticks, numbers, dates, any text."""
    answers: dict[str, Any] = {
        "profile.name": draw(CELL_TEXT),
        "profile.organisation": draw(CELL_TEXT),
        "profile.phase": draw(st.sampled_from(sorted(CHOICES["profile.phase"]))),
        "profile.role": draw(st.sampled_from(sorted(CHOICES["profile.role"]))),
        "data.personal": draw(st.sampled_from(sorted(YESNO))),
        "data.dpia": draw(st.sampled_from(sorted(YESNO))),
        "data.kinds": draw(st.just(["None of these"]) | st.lists(st.sampled_from(["Health", "Finance"]), min_size=1,
                                                                  unique=True)),
        "delivery.skills": draw(st.sampled_from(sorted(YESNO))),
    }
    optional = {
        "profile.owner": CELL_TEXT,
        # what a spreadsheet can hold exactly: 15 significant digits, as in Excel
        "data.volume": st.integers(0, 10**15 - 1) | st.floats(0, 1e9, allow_nan=False).map(lambda f: round(f, 4)),
        "data.note": CELL_TEXT,
        "delivery.date": DATES,
    }
    for qid, strategy in optional.items():
        if draw(st.booleans()):
            answers[qid] = draw(strategy)
    return answers


def expected_value(qid: str, value: Any) -> Any:
    if qid in CHOICES:
        return CHOICES[qid][value]
    if qid in ("data.personal", "data.dpia", "delivery.skills"):
        return YESNO[value]
    if qid == "data.kinds":
        return [KINDS[label] for label in KINDS if label in value]  # questionnaire order
    if qid == "delivery.date":
        return value.isoformat()
    if qid == "data.volume":
        return int(value) if float(value).is_integer() else value
    return value


def fill_like_a_person(template: Path, out: Path, answers: dict[str, Any], notes: dict[str, str],
                       completed: dt.date) -> Path:
    """Type each answer into its cell: text always as text (as Excel stores a text-formatted cell)."""
    wb = openpyxl.load_workbook(template)
    ws = wb["Questions"]
    questions, choices = locate(ws)
    ws["E3"] = completed
    for qid, value in answers.items():
        if isinstance(value, list):
            for label in value:
                ws.cell(row=choices[(qid, label)], column=5, value="Yes")
            continue
        cell = ws.cell(row=questions[qid], column=5, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
    for qid, note in notes.items():
        cell = ws.cell(row=questions[qid], column=6, value=note)
        cell.data_type = "s"
    wb.save(out)
    return out


@SOME
@given(answers=filled_answers(), notes=st.dictionaries(st.sampled_from(ORDER), CELL_TEXT, max_size=4),
       completed=COMPLETED_DATES)
def test_a_filled_template_imports_exactly_what_was_filled_in(tmp_path_factory, template_path, answers, notes,
                                                             completed):
    tmp = tmp_path_factory.mktemp("filled")
    source = fill_like_a_person(template_path, tmp / "team.xlsx", answers, notes, completed)
    out = tmp / "out"
    result, _ = invoke("import", source, "-q", MINI, "-o", out)
    assert result.exit_code == 0, result.output
    assert "error" not in result.stderr
    back = answers_mod.load(out / "team-answers.yaml")
    assert back.assessed_on == completed.isoformat()
    got = {qid: a.value for qid, a in back.values.items() if a.value is not None}
    assert got == {qid: expected_value(qid, v) for qid, v in answers.items()}
    assert {qid: a.note for qid, a in back.values.items() if a.note} == notes


@pytest.fixture(scope="module")
def template_path(tmp_path_factory) -> Path:
    """One template for every example (writing it is the slow part; import never changes it)."""
    return make_template(lambda *a: invoke(*a)[0], tmp_path_factory.mktemp("template") / "t.xlsx")
