"""`risk-cli import`: filled templates (and answers files, registers) in; answers files and
freshly scored registers out; every problem reported at its cell."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
import yaml

from risk_cli.writers.template import META
from tests.conftest import MINI, ROOT, mini_answers, own_formula, write_yaml
from tests.template_fill import MINI_FILLED, fill, make_template


@pytest.fixture
def template(tmp_path, run):
    return make_template(run, tmp_path / "questionnaire.xlsx")


def filled(template, tmp_path, name="team-a.xlsx", **changes):
    answers = dict(MINI_FILLED)
    for qid, value in changes.pop("answers", {}).items():
        if value is None:
            answers.pop(qid, None)
        else:
            answers[qid] = value
    return fill(template, tmp_path / name, answers, **changes)


def assess_json(run, source):
    result = run("assess", "-q", MINI, "--answers", source, "--no-input", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def errors(result):
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


# -- round trips ----------------------------------------------------------------------------

def test_round_trip_gives_the_same_answers_and_scores(template, tmp_path, run):
    source = filled(template, tmp_path, notes={"data.dpia": "Signed off by the DPO", "data.volume": 5000})
    out = tmp_path / "imported"
    result = run("import", source, "-q", MINI, "-o", out)
    assert result.exit_code == 0, result.output
    assert errors(result) == [] and "warning" not in result.stderr
    answers_file, register = out / "team-a-answers.yaml", out / "team-a-register.xlsx"
    assert result.stdout.splitlines()[0] == (f"{source}: ok (template, mini 0.1.0): 3 risks, Tier 1, 0 above appetite; "
                                             f"written: {answers_file}, {register}")
    doc = yaml.safe_load(answers_file.read_text(encoding="utf-8"))
    expected = mini_answers()
    assert doc["assessed_on"] == "2026-11-27"
    assert doc["questionnaire"]["version"] == "0.1.0"
    assert doc["profile"] == expected["profile"]
    assert doc["answers"]["data.dpia"] == {"answer": "yes", "note": "Signed off by the DPO"}
    assert doc["answers"]["data.volume"] == {"answer": 5000, "note": "5000"}
    plain = {k: (v["answer"] if isinstance(v, dict) else v) for k, v in doc["answers"].items()}
    assert plain == expected["answers"]
    reference = assess_json(run, write_yaml(tmp_path / "ref.yaml", mini_answers()))
    assert assess_json(run, answers_file) == reference
    assert assess_json(run, source) == reference  # assess reads a filled template directly too
    wb = openpyxl.load_workbook(register, data_only=True)  # a score is a formula; its value is cached
    assert "risk-cli data" in wb.sheetnames
    rows = list(wb["Risk register"].iter_rows(min_row=2, values_only=True))
    header = [c.value for c in wb["Risk register"][1]]
    scores = {r[0]: r[header.index("Residual score")] for r in rows}
    assert scores == {r["id"]: r["residual"]["score"] for r in reference["risks"]}


def test_labels_ids_case_and_curly_quotes_are_accepted(template, tmp_path, run):
    source = filled(template, tmp_path, answers={"data.personal": "  yes ", "data.dpia": "Don\u2019t know",
                                                 "profile.phase": "alpha", "profile.role": "SUPPORTS STAFF",
                                                 "delivery.date": "31/01/2027", "data.volume": "5,000"})
    result = run("import", source, "-q", MINI, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    doc = yaml.safe_load((tmp_path / "out" / "team-a-answers.yaml").read_text(encoding="utf-8"))
    assert doc["answers"]["data.dpia"] == "dont_know"
    assert doc["answers"]["delivery.date"] == "2027-01-31"
    assert doc["answers"]["data.volume"] == 5000
    assert doc["profile"]["profile.role"] == "supports"


def test_text_that_looks_like_a_formula_stays_text(template, tmp_path, run):
    source = filled(template, tmp_path, answers={"profile.name": None, "data.note": None},
                    text_cells={"E6": "=1+1", "E19": "+44 20 7946 0000", "F21": "@team -2"})
    out = tmp_path / "out"
    result = run("import", source, "-q", MINI, "-o", out)
    assert result.exit_code == 0, result.output
    doc = yaml.safe_load((out / "team-a-answers.yaml").read_text(encoding="utf-8"))
    assert doc["profile"]["profile.name"] == "=1+1"
    assert doc["answers"]["data.note"] == "+44 20 7946 0000"
    assert doc["answers"]["delivery.skills"] == {"answer": "yes", "note": "@team -2"}
    wb = openpyxl.load_workbook(out / "team-a-register.xlsx")
    seen = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in ("=1+1", "+44 20 7946 0000", "@team -2"):
                    seen[cell.value] = cell.data_type
                assert cell.data_type != "f" or own_formula(ws, cell), f"{ws.title}!{cell.coordinate}"
    assert seen == {"=1+1": "s", "+44 20 7946 0000": "s", "@team -2": "s"}


# -- every kind of problem, at its cell ------------------------------------------------------

def test_every_problem_is_reported_with_its_cell(template, tmp_path, run):
    source = filled(
        template, tmp_path,
        answers={"data.personal": "Maybe", "data.volume": "lots", "delivery.date": "31/13/2027",
                 "data.kinds": ["Health", "None of these"], "delivery.skills": None, "profile.phase": True},
        cells={"E6": "=A1", "F18": "=SUM(A1:A3)", "E16": "x", "E8": dt.date(2026, 1, 2)},
        completed="soon",
    )
    out = tmp_path / "out"
    result = run("import", source, "-q", MINI, "-o", out)
    assert result.exit_code == 2
    f = f"error: {source}: Questions!"
    assert errors(result) == [
        f'{f}E3: "soon" is not a date for "Date completed" (allowed: a date, dd/mm/yyyy)',
        f"{f}E6: a formula (=A1) is not allowed in the answer to profile.name; type the value itself "
        "(formulas are never calculated on import)",
        f"{f}E9: TRUE is not an allowed answer to profile.phase (allowed: Alpha or Live)",
        f'{f}E12: "Maybe" is not an allowed answer to data.personal (allowed: Yes, No or Don\'t know)',
        f'{f}E16: "x" is not an allowed tick for "Finance" in data.kinds (allowed: Yes, No, or leave it blank)',
        f'{f}E17: "None of these" cannot be combined with other choices in data.kinds (also ticked: Health (E15))',
        f'{f}E18: "lots" is not an allowed answer to data.volume (allowed: a number, at least 0)',
        f"{f}F18: a formula (=SUM(A1:A3)) is not allowed in the note to data.volume; type the value itself "
        "(formulas are never calculated on import)",
        f"{f}E21: delivery.skills: missing answer (required): Have the skills?",  # reported with the rest
        f'{f}E22: "31/13/2027" is not an allowed answer to delivery.date (allowed: a date, dd/mm/yyyy)',
    ]
    assert "Traceback" not in result.output
    assert not out.exists()
    assert result.stdout.splitlines() == [f"{source}: 10 problems; nothing written for it",
                                          "Nothing imported: the input has problems."]


def test_missing_and_out_of_range_answers(template, tmp_path, run):
    source = filled(template, tmp_path, answers={"delivery.skills": None, "profile.name": None, "data.kinds": None,
                                                 "data.volume": -5})
    result = run("import", source, "-q", MINI, "-o", tmp_path / "out")
    assert result.exit_code == 2
    f = f"error: {source}: Questions!"
    assert errors(result) == [  # every problem at once: the bad value and the missing answers
        f"{f}E6: profile.name: missing answer (required): Name?",
        f"{f}E15:E17: data.kinds: missing answer (required): Which kinds?",
        f"{f}E18: -5 is not an allowed answer to data.volume (allowed: a number, at least 0)",
        f"{f}E21: delivery.skills: missing answer (required): Have the skills?",
    ]
    fixed = filled(template, tmp_path, name="team-b.xlsx",
                   answers={"delivery.skills": None, "profile.name": None, "data.kinds": None})
    result = run("import", fixed, "-q", MINI, "-o", tmp_path / "out")
    assert result.exit_code == 2
    f = f"error: {fixed}: Questions!"
    assert errors(result) == [
        f"{f}E6: profile.name: missing answer (required): Name?",
        f"{f}E15:E17: data.kinds: missing answer (required): Which kinds?",
        f"{f}E21: delivery.skills: missing answer (required): Have the skills?",
    ]


def test_wrong_types_in_cells(template, tmp_path, run):
    source = filled(template, tmp_path, answers={"data.volume": dt.date(2027, 1, 1), "delivery.date": "next year",
                                                 "data.personal": 1},
                    cells={"E7": "#N/A"})
    result = run("import", source, "-q", MINI, "-o", tmp_path / "out")
    assert result.exit_code == 2
    f = f"error: {source}: Questions!"
    assert errors(result) == [
        f"{f}E7: the spreadsheet error #N/A is not allowed in the answer to profile.organisation; type the value itself",
        f"{f}E12: 1 is not an allowed answer to data.personal (allowed: Yes, No or Don't know)",
        f"{f}E18: the date 01/01/2027 is not an allowed answer to data.volume (allowed: a number, at least 0)",
        f'{f}E22: "next year" is not an allowed answer to delivery.date (allowed: a date, dd/mm/yyyy)',
    ]


def test_answers_to_questions_that_do_not_apply_are_kept_with_a_warning(template, tmp_path, run):
    source = filled(template, tmp_path, answers={"data.personal": "No"})  # data.dpia and data.kinds still filled
    out = tmp_path / "out"
    result = run("import", source, "-q", MINI, "-o", out)
    assert result.exit_code == 0, result.output
    warning = f"warning: {source}: Questions!"
    assert f"{warning}E13: data.dpia: answered, but the question does not apply to these answers; the answer is not scored" \
        in result.stderr.splitlines()
    assert f"{warning}E15:E17: data.kinds: answered, but the question does not apply to these answers; the answer is " \
           "not scored" in result.stderr.splitlines()
    doc = yaml.safe_load((out / "team-a-answers.yaml").read_text(encoding="utf-8"))
    assert doc["answers"]["data.dpia"] == "yes"  # kept, never silently dropped
    assert set(assess_json(run, out / "team-a-answers.yaml")["dropped"]) == {"data.dpia", "data.kinds"}


def test_text_outside_answer_cells_is_an_error(template, tmp_path, run):
    source = filled(template, tmp_path, cells={"E14": "Health", "F15": "a note on a tick row", "E30": "stray"})
    result = run("import", source, "-q", MINI, "-o", tmp_path / "out")
    assert result.exit_code == 2
    f = f"error: {source}: Questions!"
    assert errors(result) == [
        f'{f}E14: "Health" is in the question row of data.kinds, where it would be lost; answer by choosing Yes in the '
        "rows below it (E15:E17)",
        f'{f}F15: "a note on a tick row" is outside the answer and note cells, where it would be lost; move it into the '
        "Note cell of its question",
        f'{f}E30: "stray" is outside the answer and note cells, where it would be lost; move it into the Note cell of '
        "its question",
    ]


def test_moved_rows_are_refused(template, tmp_path, run):
    source = filled(template, tmp_path, cells={"A12": "data.dpia", "A13": "data.personal"})
    result = run("import", source, "-q", MINI, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert errors(result) == [
        f"error: {source}: Questions!A12: expected the question id of data.personal in this row, found 'data.dpia'; "
        "rows have been moved, inserted, deleted or sorted, so answers cannot be matched to questions safely. Undo "
        "the change, or copy the answers into a fresh template"]


def test_tampered_or_missing_metadata(template, tmp_path, run):
    source = filled(template, tmp_path)
    wb = openpyxl.load_workbook(source)
    wb[META]["A3"] = wb[META]["A3"].value.replace('"E12"', '"E13"')
    wb.save(tmp_path / "tampered.xlsx")
    del wb[META]
    wb.save(tmp_path / "no-meta.xlsx")
    result = run("import", tmp_path / "tampered.xlsx", tmp_path / "no-meta.xlsx", "-q", MINI, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert errors(result) == [
        f"error: {tmp_path / 'tampered.xlsx'}: {META}: the template's hidden metadata has been changed (its checksum "
        "does not match); the answers cannot be matched to questions safely. Fill in a fresh template from "
        "`risk-cli template`",
        f"error: {tmp_path / 'no-meta.xlsx'}: the template's hidden '{META}' sheet is missing; the answers cannot be "
        "matched to questions safely. Fill in a fresh template from `risk-cli template`",
    ]


def test_damaged_metadata_with_a_matching_checksum_is_still_refused(template, tmp_path, run):
    import hashlib

    source = filled(template, tmp_path)
    wb = openpyxl.load_workbook(source)
    wb[META]["A3"] = '{"questionnaire": {"id": "mini"}}'
    wb[META]["B2"] = hashlib.sha256(wb[META]["A3"].value.encode()).hexdigest()
    wb.save(tmp_path / "damaged.xlsx")
    wb[META]["B1"] = 2
    wb.save(tmp_path / "future.xlsx")
    result = run("import", tmp_path / "damaged.xlsx", tmp_path / "future.xlsx", "-q", MINI, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert errors(result) == [
        f"error: {tmp_path / 'damaged.xlsx'}: {META}: the template's hidden metadata is damaged; the answers cannot be "
        "matched to questions safely. Fill in a fresh template from `risk-cli template`",
        f"error: {tmp_path / 'future.xlsx'}: {META}: template format 2 is not one this version of risk-cli reads (it "
        "reads format 1); update risk-cli",
    ]


def test_workbooks_that_are_not_templates(tmp_path, run):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "just a spreadsheet"
    wb.save(tmp_path / "other.xlsx")
    (tmp_path / "data.xlsx").write_text("a,b\n1,2\n", encoding="utf-8")
    result = run("import", tmp_path / "other.xlsx", tmp_path / "data.xlsx", tmp_path / "missing.xlsx",
                 "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert errors(result) == [
        f"error: {tmp_path / 'missing.xlsx'}: no such file or folder",
        f"error: {tmp_path / 'other.xlsx'}: is not a risk-cli register or questionnaire template (no 'risk-cli data' "
        "sheet and no template metadata)",
        f"error: {tmp_path / 'data.xlsx'}: is not an .xlsx workbook (a text or CSV file)",
    ]


def test_template_for_a_questionnaire_that_is_not_bundled(template, tmp_path, run):
    source = filled(template, tmp_path)
    result = run("import", source, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert errors(result) == [f"error: {source}: questionnaire: the template is for questionnaire 'mini', which is not "
                              "bundled with risk-cli; give its YAML file with -q FILE"]


# -- older questionnaire versions --------------------------------------------------------------

def newer_mini(tmp_path, version="0.2.0"):
    """mini with data.note removed and the Health choice gone."""
    text = MINI.read_text(encoding="utf-8").replace("version: 0.1.0", f"version: {version}")
    text = text.replace('      - {id: data.note, type: text, text: "Anything else?", help: Free text., sources: [src], '
                        'required: false}\n', "")
    text = text.replace("          - {id: health, label: Health}\n", "")
    text = text.replace("        - {when: {question: data.kinds, includes: health}, points: 1, because: Health data}\n",
                        "        - {when: {question: data.kinds, includes: finance}, points: 1, because: Finance data}\n")
    path = tmp_path / f"mini-{version}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_older_version_template_reports_what_no_longer_maps(template, tmp_path, run):
    v2 = newer_mini(tmp_path)
    source = filled(template, tmp_path, answers={"data.kinds": ["Health"]}, notes={"data.note": "old note"})
    result = run("import", source, "-q", v2, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"warning: {source}: the template was made for mini version 0.1.0; importing into version 0.2.0: " \
           "answers are matched by question id, and any that no longer map are reported" in result.stderr
    f = f"error: {source}: Questions!"
    assert errors(result) == [
        f"{f}E15: choice 'health' is no longer an answer to data.kinds in mini 0.2.0 (choices now: Finance, None of "
        "these)",
        f"{f}E19: data.note is no longer a question in mini 0.2.0; this answer cannot be imported (clear it, or fill in "
        "a fresh template)",
        f"{f}F19: data.note is no longer a question in mini 0.2.0; this note cannot be imported",
    ]
    assert not (tmp_path / "out").exists()


def test_older_version_template_whose_answers_all_map_is_imported(template, tmp_path, run):
    v2 = newer_mini(tmp_path)
    source = filled(template, tmp_path, answers={"data.note": None})
    out = tmp_path / "out"
    result = run("import", source, "-q", v2, "-o", out)
    assert result.exit_code == 0, result.output
    assert "the template was made for mini version 0.1.0; importing into version 0.2.0" in result.stderr
    doc = yaml.safe_load((out / "team-a-answers.yaml").read_text(encoding="utf-8"))
    assert doc["questionnaire"]["version"] == "0.2.0"
    assert doc["answers"]["data.kinds"] == ["finance"]
    same_version = newer_mini(tmp_path, version="0.1.0")  # content changed, version not bumped
    result = run("import", source, "-q", same_version, "-o", tmp_path / "out2")
    assert result.exit_code == 0, result.output
    assert "the template was made for different content of mini 0.1.0" in result.stderr


# -- the run as a whole ---------------------------------------------------------------------

def snapshot(paths):
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}


def test_mixed_inputs_good_ones_written_bad_ones_reported(template, tmp_path, run):
    good = filled(template, tmp_path, name="team-a.xlsx")
    bad = filled(template, tmp_path, name="team-b.xlsx", answers={"data.personal": "Maybe"})
    answers = write_yaml(tmp_path / "team-c.yaml", mini_answers())
    register = tmp_path / "team-d.xlsx"
    assert run("assess", "-q", MINI, "--answers", answers, "-o", register).exit_code == 0
    inputs = [good, bad, answers, register]
    before = snapshot(inputs)
    out = tmp_path / "out"
    result = run("import", *inputs, "-q", MINI, "-o", out, "--format", "json")
    assert result.exit_code == 3
    assert snapshot(inputs) == before  # inputs are never modified
    report = json.loads(result.stdout)
    assert [(i["kind"], i["ok"]) for i in report["items"]] == [("template", True), ("template", False),
                                                               ("answers", True), ("register", True)]
    assert report["exit_code"] == 3 and report["written"] and report["imported"] == 3
    assert report["items"][1]["errors"] == [f'{bad}: Questions!E12: "Maybe" is not an allowed answer to data.personal '
                                            "(allowed: Yes, No or Don't know)"]
    assert sorted(p.name for p in out.iterdir()) == [
        "team-a-answers.yaml", "team-a-register.xlsx", "team-c-answers.yaml", "team-c-register.xlsx",
        "team-d-answers.yaml", "team-d-register.xlsx"]
    reference = assess_json(run, answers)
    for name in ("team-a", "team-c", "team-d"):
        assert assess_json(run, out / f"{name}-answers.yaml")["risks"] == reference["risks"]
        assert assess_json(run, out / f"{name}-register.xlsx")["risks"] == reference["risks"]


def test_dry_run_writes_nothing(template, tmp_path, run):
    source = filled(template, tmp_path)
    before = snapshot([source])
    out = tmp_path / "out"
    result = run("import", source, "-q", MINI, "-o", out, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would write" in result.stdout
    assert result.stdout.splitlines()[-1] == f"Dry run: 1 of 1 input would be imported into {out}. Nothing was written."
    assert not out.exists()
    assert snapshot([source]) == before
    here = sorted(p.name for p in tmp_path.iterdir())
    result = run("import", source, "-q", MINI, "-o", tmp_path, "--dry-run")
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == here


def test_existing_outputs_stop_the_whole_run(template, tmp_path, run):
    a = filled(template, tmp_path, name="a.xlsx")
    b = filled(template, tmp_path, name="b.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    (out / "b-register.xlsx").write_bytes(b"old")
    result = run("import", a, b, "-q", MINI, "-o", out)
    assert result.exit_code == 2
    assert errors(result) == [f"error: {out / 'b-register.xlsx'}: already exists; use --force to replace it"]
    assert sorted(p.name for p in out.iterdir()) == ["b-register.xlsx"]  # nothing written, not even for a.xlsx
    assert (out / "b-register.xlsx").read_bytes() == b"old"
    result = run("import", a, b, "-q", MINI, "-o", out, "--force")
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out / "b-register.xlsx").sheetnames[0] == "Summary"


def test_an_output_never_replaces_an_input(template, tmp_path, run):
    a = filled(template, tmp_path, name="a.xlsx")
    clash = write_yaml(tmp_path / "a-answers.yaml", mini_answers())
    before = snapshot([clash])
    result = run("import", a, clash, "-q", MINI, "-o", tmp_path, "--force")
    assert result.exit_code == 2
    assert f"error: {clash}: would replace the input {clash}; inputs are never modified, so choose another folder " \
           "with -o" in result.stderr
    assert snapshot([clash]) == before


def test_a_folder_of_returns(template, tmp_path, run):
    returns = tmp_path / "returns"
    returns.mkdir()
    filled(template, returns, name="one.xlsx")
    filled(template, returns, name="two.xlsx", answers={"profile.name": "Second use case"})
    out = tmp_path / "out"
    result = run("import", returns, "-q", MINI, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"Imported 2 of 2 inputs into {out}."
    doc = yaml.safe_load((out / "two-answers.yaml").read_text(encoding="utf-8"))
    assert doc["profile"]["profile.name"] == "Second use case"


def test_blank_date_completed_is_today_with_a_warning(template, tmp_path, run):
    source = filled(template, tmp_path, completed=None)
    result = run("import", source, "-q", MINI, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    today = dt.date.today().isoformat()
    assert f"warning: {source}: Questions!E3: \"Date completed\" is blank; the register is dated today ({today})" \
        in result.stderr.splitlines()


@pytest.mark.skipif(not (ROOT / "questionnaires" / "uk-public-sector-ai-1.1.0.yaml").exists(),
                    reason="the bundled questionnaire is not written yet")
def test_bundled_questionnaire_round_trip(tmp_path, run):
    from risk_cli.catalogue import bundled

    qn = bundled.resolve("uk-public-sector-ai")
    template = make_template(run, tmp_path / "uk.xlsx", "uk-public-sector-ai")
    labels: dict = {}
    ids: dict = {}
    for q in qn.questions:  # a plain answer to every question; ones that do not apply only warn
        if q.type in ("choice", "yesno"):
            c = next(c for c in q.choices if not c.unknown)
            labels[q.id], ids[q.id] = c.label, c.id
        elif q.type == "multi":
            c = next(c for c in q.choices if not (c.exclusive or c.unknown))
            labels[q.id], ids[q.id] = [c.label], [c.id]
        elif q.type == "number":
            n = int(q.min) if q.min is not None else 1
            labels[q.id] = ids[q.id] = n
        elif q.type == "date":
            labels[q.id], ids[q.id] = dt.date(2027, 1, 31), "2027-01-31"
        else:
            labels[q.id] = ids[q.id] = f"Answer to {q.id}"
    source = fill(template, tmp_path / "uk-filled.xlsx", labels)
    out = tmp_path / "out"
    result = run("import", source, "-o", out)
    assert result.exit_code == 0, result.output
    profile = {k: v for k, v in ids.items() if k.startswith("profile.")}
    doc = {"questionnaire": {"id": qn.id, "version": qn.version}, "assessed_on": "2026-11-27", "profile": profile,
           "answers": {k: v for k, v in ids.items() if k not in profile}}
    reference = write_yaml(tmp_path / "uk.yaml", doc)
    run_json = lambda src: json.loads(run("assess", "--answers", src, "--no-input", "--format", "json").stdout)  # noqa: E731
    assert run_json(out / "uk-filled-answers.yaml") == run_json(reference)


def test_a_date_and_time_keeps_its_time_in_a_note_as_in_an_answer(template, tmp_path, run):
    """A note and a text answer are turned into text by one helper: a date and time typed into
    either keeps its time (the note used to lose it)."""
    when = dt.datetime(2026, 11, 2, 14, 30)
    source = filled(template, tmp_path, answers={"data.note": when}, notes={"data.dpia": when, "data.note": dt.date(2026, 11, 3)})
    out = tmp_path / "out"
    result = run("import", source, "-q", MINI, "-o", out)
    assert result.exit_code == 0, result.output
    doc = yaml.safe_load((out / "team-a-answers.yaml").read_text(encoding="utf-8"))
    assert doc["answers"]["data.dpia"] == {"answer": "yes", "note": "2026-11-02 14:30:00"}
    assert doc["answers"]["data.note"] == {"answer": "2026-11-02 14:30:00", "note": "2026-11-03"}
