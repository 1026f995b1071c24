"""Every command reads and checks an input the same way (inputs.read_checked): which questionnaire
a file may choose, what counts as a number, and how a template is checked."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from risk_cli.readers import inputs
from risk_cli.readers import xlsx_guard
from risk_cli.catalogue import bundled
from risk_cli.catalogue import loader
from risk_cli.catalogue.versions import Versions
from tests.conftest import MINI, mini_answers, write_yaml
from tests.hostile import files as H
from tests.template_fill import MINI_FILLED, fill, make_template


def errors(result):
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def summary_problems(folder):
    wb = openpyxl.load_workbook(folder / "batch-summary.xlsx")
    return [row[1] for row in wb["Problems"].iter_rows(min_row=2, values_only=True)]


def newer_mini(folder, version="0.2.0", volume_min=0):
    """mini.yaml at another version, optionally with another minimum for data.volume."""
    text = MINI.read_text(encoding="utf-8").replace("version: 0.1.0", f"version: {version}")
    text = text.replace("sources: [src], min: 0, required: false}", f"sources: [src], min: {volume_min}, "
                                                                      "required: false}")
    path = folder / f"mini-{version}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def bundled_minis(tmp_path, monkeypatch):
    """A bundled folder holding mini 0.1.0 and 0.2.0 (so a template can be for an older version)."""
    folder = tmp_path / "bundled"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini-0.1.0.yaml")
    newer_mini(folder)
    monkeypatch.setattr(bundled, "bundled_dir", lambda: folder)
    return folder


# -- 1. a file names its questionnaire by id, never by path -----------------------------------

@pytest.fixture
def loads(monkeypatch):
    """Every questionnaire file loaded during the test."""
    seen: list[str] = []
    real = loader.load

    def spy(path, label=None):
        seen.append(str(path))
        return real(path, label)

    monkeypatch.setattr(loader, "load", spy)
    return seen


def elsewhere(tmp_path):
    """A perfectly good questionnaire (mini), which an input must not be able to choose by path."""
    folder = tmp_path / "x"
    folder.mkdir()
    target = folder / "other.yaml"
    shutil.copy(MINI, target)
    return target


@pytest.mark.parametrize("command", ["assess", "import", "batch"])
def test_an_answers_file_cannot_name_a_file_as_its_questionnaire(command, tmp_path, run, loads):
    target = elsewhere(tmp_path)
    doc = mini_answers()
    doc["questionnaire"] = {"id": str(target), "version": "0.1.0"}
    source = write_yaml(tmp_path / "answers.yaml", doc)
    argv = {"assess": ["assess", "--answers", source, "--no-input", "--format", "json"],
            "import": ["import", source, "-o", tmp_path / "out"],
            "batch": ["batch", source, "-o", tmp_path / "out", "--jobs", "1", "--quiet"]}[command]
    result = run(*argv)
    ids = ", ".join(sorted({e.id for e in bundled.catalogue()}))
    line = f"{source}: questionnaire: no questionnaire '{target}' (bundled: {ids}; or give a path to a YAML file)"
    assert errors(result) == [f"error: {line}"]
    assert result.exit_code == (3 if command == "batch" else 2)
    assert "Traceback" not in result.output
    assert str(target) not in loads, "the file the answers named was read"
    if command == "batch":
        assert summary_problems(tmp_path / "out") == [line]
    else:
        assert not (tmp_path / "out").exists()


def test_a_register_cannot_name_a_file_as_its_questionnaire(tmp_path, run, loads):
    target = elsewhere(tmp_path)
    register = tmp_path / "register.xlsx"
    good = write_yaml(tmp_path / "good.yaml", mini_answers())
    assert run("assess", "-q", MINI, "--answers", good, "--no-input", "-o", register).exit_code == 0
    text = H.data_text(register).replace("id: mini", f"id: {target}")
    edited = H.with_data_text(tmp_path, register, text)
    loads.clear()
    result = run("assess", "--answers", edited, "--no-input", "--format", "json")
    assert result.exit_code == 2
    assert len(errors(result)) == 1 and errors(result)[0].startswith(f"error: {edited}: questionnaire: no questionnaire")
    assert str(target) not in loads


def test_by_id_never_treats_its_argument_as_a_path():
    with pytest.raises(bundled.NotBundled):
        bundled.by_id(str(MINI))
    with pytest.raises(bundled.NotBundled):
        bundled.by_id("mini.yaml")
    assert bundled.resolve(str(MINI)).id == "mini"  # what a person types after -q may still be a path


# -- 2. numbers are finite --------------------------------------------------------------------

@pytest.mark.parametrize("text, shown", [("1e400", "inf"), ("-1e400", "-inf"), ("'inf'", "inf"), ("'1e400'", "1e400")])
def test_an_infinite_number_is_refused_in_an_answers_file(text, shown, tmp_path, run):
    """1e400 is a number to YAML, but an infinite one: it could be neither scored nor written back."""
    source = tmp_path / "a.yaml"
    source.write_text(yaml.safe_dump(mini_answers(), sort_keys=False).replace("data.volume: 5000",
                                                                               f"data.volume: {text}"), encoding="utf-8")
    result = run("assess", "-q", MINI, "--answers", source, "--no-input", "--format", "json")
    assert result.exit_code == 2, result.output
    assert errors(result) == [f"error: {source}: data.volume: '{shown}' is not a number risk-cli can use "
                              "(infinite, or too large to hold)"]


def test_nan_is_not_a_number(tmp_path, run):
    source = write_yaml(tmp_path / "a.yaml", mini_answers(data__volume="nan"))
    result = run("assess", "-q", MINI, "--answers", source, "--no-input", "--format", "json")
    assert errors(result) == [f"error: {source}: data.volume: 'nan' is not a number"]


@pytest.mark.parametrize("typed", ["1e400", "nan"])
def test_an_infinite_number_in_a_template_is_refused_at_its_cell(typed, tmp_path, run):
    template = make_template(run, tmp_path / "t.xlsx")
    source = fill(template, tmp_path / "filled.xlsx", {**MINI_FILLED, "data.volume": None}, text_cells={"E18": typed})
    out = tmp_path / "out"
    result = run("import", source, "-q", MINI, "-o", out)
    assert result.exit_code == 2, result.output
    assert errors(result) == [f"error: {source}: Questions!E18: \"{typed}\" is not an allowed answer to data.volume "
                              "(allowed: a number, at least 0)"]
    assert not out.exists()


# -- 3. one reader and checker for assess, batch and import ----------------------------------

def test_assess_and_batch_warn_of_a_blank_date_completed_at_its_cell(tmp_path, run):
    template = make_template(run, tmp_path / "t.xlsx")
    source = fill(template, tmp_path / "filled.xlsx", completed=None)
    warning = f"warning: {source}: Questions!E3: \"Date completed\" is blank; the register is dated today " \
              f"({dt.date.today().isoformat()})"
    result = run("assess", "-q", MINI, "--answers", source, "--no-input", "--format", "json")
    assert result.exit_code == 0, result.output
    assert warning in result.stderr.splitlines()
    result = run("batch", source, "-q", MINI, "-o", tmp_path / "out", "--jobs", "1", "--quiet")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(tmp_path / "out" / "batch-summary.xlsx")
    header = [c.value for c in wb["Summary"][1]]
    row = [c.value for c in wb["Summary"][2]]
    assert row[header.index("Warnings")] == warning.removeprefix("warning: ")


@pytest.mark.parametrize("command", ["assess", "import", "batch"])
def test_an_older_template_is_mapped_onto_the_newest_bundled_version(command, tmp_path, run, bundled_minis):
    template = make_template(run, tmp_path / "t.xlsx", bundled_minis / "mini-0.1.0.yaml")
    source = fill(template, tmp_path / "filled.xlsx")
    out = tmp_path / "out"
    argv = {"assess": ["assess", "--answers", source, "--no-input", "--format", "json"],
            "import": ["import", source, "-o", out],
            "batch": ["batch", source, "-o", out, "--jobs", "1", "--quiet"]}[command]
    result = run(*argv)
    assert result.exit_code == 0, result.output
    warning = (f"{source}: the template was made for mini version 0.1.0; importing into version 0.2.0: answers are "
               "matched by question id, and any that no longer map are reported")
    if command != "batch":  # batch lists warnings in its summary workbook
        assert f"warning: {warning}" in result.stderr.splitlines()
    if command == "assess":
        assert json.loads(result.stdout)["questionnaire"]["version"] == "0.2.0"
    elif command == "import":
        doc = yaml.safe_load((out / "filled-answers.yaml").read_text(encoding="utf-8"))
        assert doc["questionnaire"]["version"] == "0.2.0"
    else:
        wb = openpyxl.load_workbook(out / "batch-summary.xlsx")
        header = [c.value for c in wb["Summary"][1]]
        row = [c.value for c in wb["Summary"][2]]
        assert row[header.index("Questionnaire")] == "mini 0.2.0"
        assert row[header.index("Warnings")] == warning


@pytest.mark.parametrize("command", ["assess", "import", "batch"])
def test_a_number_is_checked_against_the_range_of_the_questionnaire_in_use(command, tmp_path, run):
    """The template showed 'at least 0'; the questionnaire now says at least 10000: the current range
    is the one that counts, and the problem is still at the cell."""
    template = make_template(run, tmp_path / "t.xlsx")
    source = fill(template, tmp_path / "filled.xlsx")  # data.volume 5000
    stricter = newer_mini(tmp_path, version="0.1.0", volume_min=10000)
    out = tmp_path / "out"
    argv = {"assess": ["assess", "-q", stricter, "--answers", source, "--no-input", "--format", "json"],
            "import": ["import", source, "-q", stricter, "-o", out],
            "batch": ["batch", source, "-q", stricter, "-o", out, "--jobs", "1", "--quiet"]}[command]
    result = run(*argv)
    line = f"{source}: Questions!E18: 5000 is not an allowed answer to data.volume (allowed: a number, at least 10,000)"
    assert errors(result) == [f"error: {line}"]
    assert result.exit_code == (3 if command == "batch" else 2)


def test_read_checked_says_what_kind_of_input_it_could_not_read(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("questionnaire: [\n", encoding="utf-8")
    checked = inputs.read_checked(bad, Versions(str(MINI)))
    assert checked.kind == "answers" and not checked.ok and checked.answers is None


# -- 5, 6. the portfolio's fast reader ----------------------------------------------------------

def test_column_number_matches_openpyxl():
    from openpyxl.utils import column_index_from_string

    for letters in ("A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"):
        assert xlsx_guard.column_number(letters) == column_index_from_string(letters)


def test_load_fast_scans_a_workbook_once(tmp_path, run, monkeypatch):
    """A template (or a register calamine is not given) falls back to openpyxl without a second scan."""
    good = write_yaml(tmp_path / "good.yaml", mini_answers())
    register = tmp_path / "register.xlsx"
    assert run("assess", "-q", MINI, "--answers", good, "--no-input", "-o", register).exit_code == 0
    template = fill(make_template(run, tmp_path / "t.xlsx"), tmp_path / "filled.xlsx")
    calls: list[str] = []
    real = xlsx_guard.check
    monkeypatch.setattr(xlsx_guard, "check", lambda path, label=None: (calls.append(str(path)), real(path, label)))
    assert inputs.load_fast(register).kind == "register"
    assert inputs.load_fast(template).kind == "template"
    assert calls == [str(register), str(template)]
    assert inputs.load_fast(register).answers == inputs.load(register).answers


def test_the_catalogue_reads_headers_and_agrees_with_the_files():
    """catalogue() lists each bundled version from its header; what it lists is what loads."""
    for entry in bundled.catalogue():
        qn = bundled.load_bundled(entry.path)
        assert (entry.id, entry.version, entry.title) == (qn.id, qn.version, qn.title)


def test_choosing_a_version_loads_that_one_alone(bundled_minis, loads):
    assert bundled.by_id("mini", "0.1.0").version == "0.1.0"
    assert [Path(p).name for p in loads] == ["mini-0.1.0.yaml"]
