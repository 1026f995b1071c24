"""`risk-cli atrs`: a draft ATRS record from answers or a register, through the real CLI.

Field order against the standard's list, no field filled without an answer or register item
behind it, free text staying text in the workbook, the scope line, what is withheld for
publication, the mapping checked by `validate`, and bad input refused in one line with nothing
written."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml

from risk_cli.catalogue import atrs_standard
from tests.conftest import FIVE_BY_FIVE_SAMPLES, FIXTURES, ROOT, answers_document, write_yaml

QN = FIXTURES / "atrs-mini.yaml"

# ATRS v4.0 in the template's order: (reference, field name), Tier 1 then Tier 2. Written out here
# rather than read from the package, so a reordered or renamed field in the data fails the test.
V4_FIELDS = [
    ("0.1", "Title"), ("0.2", "Organisation name"), ("0.3", "Phase"), ("0.4", "Region"),
    ("0.5", "One sentence description"), ("1.1", "Name"), ("1.2", "Description"), ("1.3", "Website URL"),
    ("1.4", "Contact email"),
    ("2.1.1", "Organisation or department"), ("2.1.2", "Team"), ("2.1.3", "Senior responsible owner"),
    ("2.1.4", "Third party involvement"), ("2.1.4.1", "Third party"), ("2.1.4.2", "Companies House Number"),
    ("2.1.4.3", "Third party role"), ("2.1.4.4", "Procurement procedure type"),
    ("2.1.4.5", "Third party data access terms"),
    ("2.2.1", "Detailed description"), ("2.2.2", "Benefits"), ("2.2.3", "Previous process"),
    ("2.2.4", "Alternatives considered"),
    ("2.3.1", "Integration into broader operational process"), ("2.3.2", "Human review"),
    ("2.3.3", "Required training"), ("2.3.4", "Appeals and review"),
    ("2.4.1.1", "System architecture"), ("2.4.1.2", "System-level input"), ("2.4.1.3", "System-level output"),
    ("2.4.1.4", "Maintenance"), ("2.4.1.5", "Models"),
    ("2.4.2.1", "Model name"), ("2.4.2.2", "Model version"), ("2.4.2.3", "Model task"), ("2.4.2.4", "Model input"),
    ("2.4.2.5", "Model output"), ("2.4.2.6", "Model architecture"), ("2.4.2.7", "Model performance"),
    ("2.4.2.8", "Datasets and their purposes"),
    ("2.4.3.1", "Development data description"), ("2.4.3.2", "Data modality"), ("2.4.3.3", "Data quantities"),
    ("2.4.3.4", "Sensitive attributes"), ("2.4.3.5", "Data completeness and representativeness"),
    ("2.4.3.6", "Source data URL"), ("2.4.3.7", "Data collection"), ("2.4.3.8", "Data cleaning"),
    ("2.4.3.9", "Data sharing agreements"), ("2.4.3.10", "Data access and storage"),
    ("2.4.4.1", "Operational data description"), ("2.4.4.2", "Sensitive attributes"),
    ("2.5.1", "Impact assessments"), ("2.5.2", "Risks and mitigations"),
]
V4_SECTIONS = ["Summary Information", "Owner and Responsibility", "Description and Rationale", "Deployment Context",
               "Tool Specification", "Model Specification", "Development Data Specification",
               "Operational Data Specification", "Risks, Mitigations and Impact Assessments"]


def answers(**overrides) -> dict:
    """A complete answers document for atrs-mini.yaml; `a__b=value` replaces answer a.b, None drops it."""
    values = {
        "profile.name": "Reply drafter", "profile.organisation": "Department for Tests",
        "profile.org_type": "central_department", "profile.owner": "Director of Services",
        "profile.purpose": "Drafts replies to letters for caseworkers to check and send.",
        "profile.phase": "alpha", "profile.role": "supports", "profile.public": "yes",
        "data.personal": "yes", "data.dpia": "no", "data.kinds": ["health", "finance"],
        "oversight.review": "all", "oversight.training": "yes", "commercial.supplier": "in_house",
        "security.tested": "no", "transparency.published": "no",
    }
    return answers_document("atrs-mini", "0.1.0", "2026-12-01", values, overrides)


def unmapped(tmp_path) -> Path:
    """Answers to the bundled questionnaire 1.0.0, which has no ATRS mapping (and never will: it is frozen)."""
    source = FIXTURES / "uk-1.0.0-council-chatbot-answers.yaml"
    assert yaml.safe_load(source.read_text(encoding="utf-8"))["questionnaire"]["version"] == "1.0.0"
    return write_yaml(tmp_path / "old.yaml", yaml.safe_load(source.read_text(encoding="utf-8")))


def record_json(run, tmp_path, *extra, **overrides) -> dict:
    source = write_yaml(tmp_path / "a.yaml", answers(**overrides))
    result = run("atrs", source, "-q", QN, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def fields(data: dict) -> dict:
    return {f["id"]: f for f in data["fields"]}


# -- the standard's order --------------------------------------------------------------------

def test_the_field_list_is_atrs_4_0_in_the_templates_order():
    standard = atrs_standard.load("4.0")
    assert [(f.ref, f.name) for f in standard.fields] == V4_FIELDS
    assert [s.heading for s in standard.sections] == V4_SECTIONS
    assert [s.tier for s in standard.sections] == [1] + [2] * 8
    assert all(len(s.sheet) <= 31 for s in standard.sections)
    assert atrs_standard.newest() == "4.0"


def test_every_format_keeps_the_standards_order_and_headings(run, tmp_path):
    source = write_yaml(tmp_path / "a.yaml", answers())
    out = [tmp_path / "r.md", tmp_path / "r.xlsx", tmp_path / "r.json"]
    result = run("atrs", source, "-q", QN, *[x for p in out for x in ("-o", p)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "ATRS v4.0 (May 2025)" in result.stderr

    data = json.loads(out[2].read_text(encoding="utf-8"))
    assert [(f["ref"], f["name"]) for f in data["fields"]] == V4_FIELDS
    assert data["standard"]["version"] == "4.0"

    text = out[0].read_text(encoding="utf-8")
    headings = [line[4:] for line in text.splitlines() if line.startswith("### ")]
    assert headings == [f"{ref} {name}" for ref, name in V4_FIELDS]
    sections = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert sections == [f"Tier {1 if i == 0 else 2} - {s}" for i, s in enumerate(V4_SECTIONS)]
    assert "Algorithmic Transparency Recording Standard v4.0 (May 2025)" in text

    wb = openpyxl.load_workbook(out[1])
    standard = atrs_standard.load("4.0")
    assert wb.sheetnames == ["Info Page"] + [s.sheet for s in standard.sections]
    rows = []
    for section in standard.sections:
        ws = wb[section.sheet]
        assert ws["A1"].value == section.label
        assert [c.value for c in ws[3]] == ["Ref", "Field", "What the standard asks", "Entry", "Status",
                                            "Drawn from", "Reviewer comments"]
        rows += [(r[0], r[1]) for r in ws.iter_rows(min_row=4, max_col=2, values_only=True) if r[0]]
    assert rows == V4_FIELDS


# -- nothing without a source ----------------------------------------------------------------

def assert_every_filled_field_has_its_source(data: dict, answers_doc: dict) -> None:
    given = {**answers_doc["profile"], **answers_doc["answers"]}
    for f in data["fields"]:
        if f["status"] == "To complete":
            assert f["value"] is None and f["paragraphs"] == [] and f["drawn_from"] == [], f["id"]
            continue
        assert f["value"] and f["drawn_from"], f"{f['id']} is filled with nothing behind it"
        for source in f["drawn_from"]:
            if ":" in source or source == "tier":
                continue  # a register item: checked below
            assert source in given and given[source] not in (None, "dont_know", ""), f"{f['id']}: {source}"


def test_no_field_is_filled_without_a_source_answer(run, tmp_path):
    doc = answers()
    data = record_json(run, tmp_path)
    assert_every_filled_field_has_its_source(data, doc)
    by_id = fields(data)
    assert by_id["title"]["value"] == "Reply drafter" and by_id["title"]["drawn_from"] == ["profile.name"]
    assert by_id["third_party_involvement"]["value"] == "No"
    assert by_id["operational_sensitive_attributes"]["value"] == \
        "The tool handles personal data: health records and financial details."
    assert by_id["risks_and_mitigations"]["drawn_from"] == ["risk:AI-LEG-001", "risk:AI-OPS-001"]
    assert by_id["impact_assessments"]["drawn_from"] == ["check:dpia", "tier"]
    assert by_id["region"]["status"] == "To complete"  # the mapping gives nothing for it
    assert by_id["region"]["guidance"].startswith("The main area")


def test_unknown_and_missing_answers_fill_nothing(run, tmp_path):
    data = record_json(run, tmp_path, commercial__supplier="dont_know", profile__purpose=None,
                       profile__owner=None, profile__phase="beta")
    by_id = fields(data)
    for fid in ("third_party_involvement", "third_party", "description", "senior_responsible_owner", "phase"):
        assert by_id[fid]["status"] == "To complete", fid
    assert_every_filled_field_has_its_source(data, answers(commercial__supplier="dont_know", profile__purpose=None,
                                                          profile__owner=None, profile__phase="beta"))


def test_statuses_say_how_far_the_answers_go(run, tmp_path):
    data = record_json(run, tmp_path)
    by_id = fields(data)
    assert by_id["name"]["status"] == "Drafted"
    assert by_id["human_review"]["status"] == "Partly drafted"
    assert data["counts"] == {s: sum(1 for f in data["fields"] if f["status"] == s)
                              for s in ("Drafted", "Partly drafted", "To complete")}
    text = run("atrs", write_yaml(tmp_path / "b.yaml", answers()), "-q", QN).stdout
    block = text.split("### 2.3.2 Human review", 1)[1].split("###", 1)[0]
    assert "The team reports that a person reviews every output before it is used." in block
    assert "*Partly drafted from:* `oversight.review`" in block
    assert "**To complete:** Where people check" in block


# -- scope --------------------------------------------------------------------------------------

@pytest.mark.parametrize("overrides,status,label", [
    ({}, "mandatory", "mandatory"),
    ({"profile__org_type": "alb", "profile__alb_public": "yes"}, "mandatory", "mandatory"),
    ({"profile__org_type": "alb", "profile__alb_public": "no"}, "recommended", "recommended"),
    ({"profile__org_type": "local_authority"}, "recommended", "recommended"),
    ({"profile__org_type": "dont_know", "profile__alb_public": "no"}, "not known", "mandatory until shown otherwise"),
    ({"profile__public": "no"}, "not in scope", "voluntary"),
])
def test_the_top_says_whether_the_standard_is_mandatory(run, tmp_path, overrides, status, label):
    data = record_json(run, tmp_path, **overrides)
    assert data["scope"]["status"] == status and data["scope"]["label"] == label
    text = run("atrs", write_yaml(tmp_path / "b.yaml", answers(**overrides)), "-q", QN).stdout
    top = text.split("## Tier 1", 1)[0]
    assert f"**Scope: {label}.**" in top
    if status == "recommended":
        assert "Recommended for other public bodies" in top  # the check's basis, in its wording for these answers
    if status in ("mandatory", "recommended"):
        assert "*From:* `profile.org_type`" in top
    if status == "not known":
        assert "*Not known:* `profile.org_type`" in top


# -- publication: security withheld -------------------------------------------------------------

def test_security_risks_and_find_out_actions_are_left_out_unless_asked(run, tmp_path):
    data = record_json(run, tmp_path, oversight__training="dont_know")
    risks = fields(data)["risks_and_mitigations"]
    assert "risk:AI-SEC-001" not in risks["drawn_from"] and "attacked" not in risks["value"]
    assert "find out" not in risks["value"].lower()
    assert data["withheld"]["risks"] == ["AI-SEC-001"] and data["withheld"]["find_out_actions"] >= 1
    assert "Security category" in data["withheld"]["note"] and "--include-security" in data["withheld"]["note"]

    full = record_json(run, tmp_path, "--include-security", oversight__training="dont_know")
    risks = fields(full)["risks_and_mitigations"]
    assert "risk:AI-SEC-001" in risks["drawn_from"] and "Planned: test the security." in risks["value"]
    assert "find out and record the answer to oversight.training" in risks["value"]
    assert full["withheld"]["risks"] == [] and "clear them with your security team" in full["withheld"]["note"]


def test_risks_carry_their_mitigations_and_checks_their_status(run, tmp_path):
    data = record_json(run, tmp_path, data__dpia="yes")
    by_id = fields(data)
    risks = by_id["risks_and_mitigations"]["paragraphs"]
    assert risks[0].startswith("Wrong outputs reach people. Because no person reviews outputs")
    assert "In place: users are trained." in risks[0] and "Planned: review every output." in risks[0]
    assert any("In place: a DPIA is done." in p for p in risks)
    impact = by_id["impact_assessments"]["paragraphs"]
    assert impact[0] == "Data protection impact assessment (DPIA): done, as the team reports."
    assert "assurance tier" in impact[1] and "2026-12-01" in impact[1]


# -- the workbook ------------------------------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2", "@SUM(A1)", "=1+1"]


def test_free_text_stays_text_in_the_workbook(run, tmp_path):
    doc = answers(profile__name=HOSTILE[0], profile__organisation=HOSTILE[1], profile__owner=HOSTILE[2],
                  profile__purpose=HOSTILE[3] + "\n" + HOSTILE[4])
    source = write_yaml(tmp_path / "a.yaml", doc)
    out = tmp_path / "r.xlsx"
    assert run("atrs", source, "-q", QN, "-o", out).exit_code == 0
    wb = openpyxl.load_workbook(out)
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str) and cell.value in HOSTILE + [HOSTILE[3] + "\n" + HOSTILE[4]]:
                    assert cell.data_type == "s"
                    seen.add(cell.value)
    assert {HOSTILE[0], HOSTILE[1], HOSTILE[2]} <= seen
    summary = wb["Summary Information"]
    assert summary["D4"].value == HOSTILE[0] and summary["D4"].quotePrefix


def test_the_workbook_has_the_templates_dropdowns_and_an_info_page(run, tmp_path):
    source = write_yaml(tmp_path / "a.yaml", answers())
    out = tmp_path / "r.xlsx"
    assert run("atrs", source, "-q", QN, "-o", out).exit_code == 0
    wb = openpyxl.load_workbook(out)
    info = [c.value for row in wb["Info Page"].iter_rows() for c in row if c.value]
    assert "Algorithmic Transparency Recording Standard" in info and "v4.0 (May 2025)" in info
    assert any(isinstance(v, str) and v.startswith("DRAFT") for v in info)
    summary = wb["Summary Information"]
    assert summary["D6"].value == "Pre-deployment" and summary["E6"].value == "Drafted"
    lists = {str(dv.sqref): dv.formula1 for dv in summary.data_validations.dataValidation}
    assert lists["D6"] == '"Pre-deployment,Private beta,Public beta,Production,Retired"'
    assert wb["Model Specification"]["A2"].value.startswith("Leave this section")


# -- Markdown is literal -------------------------------------------------------------------------

def test_typed_text_never_becomes_markdown_markup(run, tmp_path):
    source = write_yaml(tmp_path / "a.yaml", answers(profile__name="# Big <script>alert(1)</script> [x](http://e)",
                                                      profile__purpose="1. first\n- second"))
    text = run("atrs", source, "-q", QN).stdout
    assert "<script>" not in text
    assert "\\# Big \\<script\\>alert(1)\\</script\\> \\[x\\](http://e)" in text  # literal: no link, no HTML
    assert "1\\. first\n\\- second" in text
    assert not any(line.startswith("# Big") for line in text.splitlines())


# -- bad input: one line, exit 2, nothing written -----------------------------------------------

def one_error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def test_a_bad_answers_file_is_one_line_and_nothing_is_written(run, tmp_path):
    source = write_yaml(tmp_path / "a.yaml", answers(oversight__review="maybe"))
    out = tmp_path / "r.md"
    line = one_error(run("atrs", source, "-q", QN, "-o", out))
    assert "a.yaml" in line and "oversight.review" in line and "'maybe'" in line
    assert not out.exists()


def test_a_register_that_cannot_be_read_is_one_line(run, tmp_path):
    bad = tmp_path / "register.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    out = tmp_path / "r.xlsx"
    assert "register.xlsx" in one_error(run("atrs", bad, "-o", out))
    assert not out.exists()


def test_a_questionnaire_without_a_mapping_is_one_line(run, tmp_path):
    source = unmapped(tmp_path)
    out = tmp_path / "r.md"
    line = one_error(run("atrs", source, "-o", out))
    assert "uk-public-sector-ai 1.0.0" in line and "no ATRS mapping" in line
    assert not out.exists()


def test_outputs_are_refused_before_any_work(run, tmp_path):
    source = write_yaml(tmp_path / "a.yaml", answers())
    assert "'.docx'" in one_error(run("atrs", source, "-q", QN, "-o", tmp_path / "r.docx"))
    existing = tmp_path / "r.md"
    existing.write_text("keep me", encoding="utf-8")
    assert "already exists" in one_error(run("atrs", source, "-q", QN, "-o", existing, "-o", tmp_path / "r.xlsx"))
    assert existing.read_text(encoding="utf-8") == "keep me" and not (tmp_path / "r.xlsx").exists()
    assert run("atrs", source, "-q", QN, "-o", existing, "--force").exit_code == 0
    assert existing.read_text(encoding="utf-8").startswith("# ATRS record (draft): Reply drafter")
    assert "--format" in one_error(run("atrs", source, "-q", QN, "-o", tmp_path / "x.md", "--format", "json"))


def test_a_register_gives_the_same_record_as_its_answers(run, tmp_path):
    source = write_yaml(tmp_path / "a.yaml", answers())
    register = tmp_path / "register.xlsx"
    assert run("assess", "--answers", source, "-q", QN, "--no-input", "-o", register).exit_code == 0
    from_answers = run("atrs", source, "-q", QN).stdout
    from_register = run("atrs", register, "-q", QN).stdout
    assert from_answers == from_register and "Reply drafter" in from_register


# -- batch ---------------------------------------------------------------------------------------

def test_batch_writes_a_record_for_each_input(run, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_yaml(inputs / "one.yaml", answers())
    write_yaml(inputs / "two.yaml", answers(profile__name="Letter sorter", profile__org_type="local_authority"))
    out = tmp_path / "out"
    result = run("batch", inputs, "-o", out, "-q", QN, "--atrs", "--jobs", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    for name in ("one", "two"):
        assert (out / f"{name}-atrs.md").exists() and (out / f"{name}-atrs.xlsx").exists()
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(p).name for p in lines[1]["atrs_records"]] == ["two-atrs.md", "two-atrs.xlsx"]
    assert "**Scope: recommended.**" in (out / "two-atrs.md").read_text(encoding="utf-8")
    direct = run("atrs", inputs / "one.yaml", "-q", QN).stdout
    assert (out / "one-atrs.md").read_text(encoding="utf-8") == direct.rstrip("\n") + "\n"
    summary = openpyxl.load_workbook(out / "batch-summary.xlsx")["Summary"]
    header = [c.value for c in summary[1]]
    assert summary.cell(row=2, column=header.index("ATRS record") + 1).value == "one-atrs.md, one-atrs.xlsx"

    (out / "batch-summary.xlsx").unlink()  # (a batch summary in a folder is not an input either: another matter)
    again = run("batch", out, "-o", tmp_path / "again", "-q", QN, "--jobs", "1", "--format", "json")
    assert again.exit_code == 0, again.output  # the records in the folder are outputs, not inputs
    assert sorted(Path(json.loads(line)["file"]).name for line in again.stdout.splitlines()) == \
        ["one-register.xlsx", "two-register.xlsx"]


def test_batch_reports_an_input_it_cannot_draft_a_record_for(run, tmp_path):
    old = unmapped(tmp_path)
    out = tmp_path / "out"
    result = run("batch", old, "-o", out, "--atrs", "--jobs", "1")
    assert result.exit_code == 3, result.output
    assert "no ATRS mapping" in result.stderr
    assert not (out / "old-register.xlsx").exists() and not (out / "old-atrs.md").exists()


def test_include_security_needs_atrs_in_batch(run, tmp_path):
    source = write_yaml(tmp_path / "a.yaml", answers())
    assert "--atrs" in one_error(run("batch", source, "-o", tmp_path / "out", "-q", QN, "--include-security"))


# -- the mapping is questionnaire data, checked by validate --------------------------------------

def with_mapping(tmp_path, change) -> Path:
    data = yaml.safe_load(QN.read_text(encoding="utf-8"))
    change(data["atrs"])
    return write_yaml(tmp_path / "q.yaml", data)


@pytest.mark.parametrize("change,where,message", [
    (lambda m: m["fields"].update({"colour": [{"text": "{profile.name}"}]}),
     "atrs.fields.colour", "'colour' is not a field of ATRS 4.0"),
    (lambda m: m.update({"standard": "3.0"}), "atrs.standard", "ATRS version 3.0 is not known"),
    (lambda m: m["fields"].update({"team": [{"text": "{profile.team}"}]}),
     "atrs.fields.team[0].text", "{profile.team} names no question"),
    (lambda m: m["fields"].update({"team": [{"text": "The policy team"}]}),
     "atrs.fields.team[0]", "a sentence must rest on an answer"),
    (lambda m: m["fields"].update({"team": [{"text": "x", "when": {"question": "nope", "equals": "y"}}]}),
     "atrs.fields.team[0].when", "unknown question 'nope'"),
    (lambda m: m["fields"].update({"impact_assessments": [{"register": "checks", "checks": ["eqia"]}]}),
     "atrs.fields.impact_assessments[0].checks", "unknown check 'eqia'"),
    (lambda m: m["fields"].update({"risks_and_mitigations": [{"register": "top_risks", "withhold": ["cyber"]}]}),
     "atrs.fields.risks_and_mitigations[0].withhold", "unknown category 'cyber'"),
    (lambda m: m["fields"].update({"risks_and_mitigations": [{"register": "gossip"}]}),
     "atrs.fields.risks_and_mitigations[0].register", "'gossip' is not a register item"),
    (lambda m: m["fields"].update({"team": [{"text": "{profile.name}", "register": "tier"}]}),
     "atrs.fields.team[0]", "either 'text'"),
    (lambda m: m["fields"].update({"team": [{"text": "{profile.name}", "compleat": True}]}),
     "atrs.fields.team[0].compleat", "unknown key 'compleat'"),
    (lambda m: m.update({"scope": {"check": "dpia", "mandatory_when": {"question": "profile.public", "equals": "yes"}}}),
     "atrs.scope.mandatory_when", "give 'check' alone"),
    (lambda m: m.update({"scope": {"check": "nope"}}), "atrs.scope.check", "unknown check 'nope'"),
    (lambda m: m.pop("scope"), "atrs", "missing required key 'scope'"),
])
def test_validate_checks_the_mapping_against_the_standards_fields(run, tmp_path, change, where, message):
    path = with_mapping(tmp_path, change)
    result = run("validate", path)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert any(f": {where}: " in line and message in line for line in errors), result.stderr


def test_a_mapping_can_give_its_scope_directly(run, tmp_path):
    def direct(m):
        m["scope"] = {"mandatory_when": {"question": "profile.org_type", "equals": "central_department"},
                      "basis": "Mandatory for departments"}
    path = with_mapping(tmp_path, direct)
    assert run("validate", path).exit_code == 0
    source = write_yaml(tmp_path / "a.yaml", answers(profile__org_type="local_authority"))
    data = json.loads(run("atrs", source, "-q", path, "--format", "json").stdout)
    assert data["scope"]["status"] == "recommended" and data["scope"]["basis"] == "Mandatory for departments"


def test_the_fixture_and_the_field_list_ship_with_the_package():
    assert (Path(atrs_standard.__file__).parent / "atrs-4.0.yaml").exists()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"risk_cli.catalogue" = ["*.yaml"]' in pyproject


def test_docs_list_every_field_of_the_standard():
    text = (ROOT / "docs" / "atrs.md").read_text(encoding="utf-8").split("## The fields of ATRS v4.0", 1)[1]
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    standard = atrs_standard.load("4.0")
    assert rows == [f"| `{f.id}` | {f.ref} | {s.heading} | {f.name} | {f.verified} |"
                    for s in standard.sections for f in s.fields]


# -- the bundled questionnaire's mapping, on the samples ------------------------------------------

SAMPLES = FIVE_BY_FIVE_SAMPLES  # an ATRS record is drafted from a 5x5 assessment


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_the_samples_records_rest_on_their_answers_and_registers(run, sample):
    doc = yaml.safe_load(sample.read_text(encoding="utf-8"))
    for block in ("profile", "answers"):  # {answer, note} to the answer alone
        doc[block] = {k: v["answer"] if isinstance(v, dict) else v for k, v in doc[block].items()}
    data = json.loads(run("atrs", sample, "--format", "json").stdout)
    assert data["questionnaire"]["version"] == "1.1.0" and data["standard"]["version"] == "4.0"
    assert_every_filled_field_has_its_source(data, doc)
    register = json.loads(run("assess", "--answers", sample, "--no-input", "--format", "json").stdout)
    risks = {r["id"]: r["category"] for r in register["risks"]}
    checks = {c["id"] for c in register["checks"]}
    for f in data["fields"]:
        for source in f["drawn_from"]:
            kind, _, ident = source.partition(":")
            if kind == "risk":
                assert ident in risks and risks[ident] != "security", (f["id"], source)
            elif kind == "check":
                assert ident in checks, (f["id"], source)
    listed = fields(data)["risks_and_mitigations"]["drawn_from"]
    expected = [r["id"] for r in sorted(register["risks"], key=lambda r: (-r["residual"]["score"], -r["inherent"]["score"]))
                if r["category"] != "security"][:10]
    assert listed == [f"risk:{rid}" for rid in expected]
    top = run("atrs", sample).stdout.split("## Tier 1", 1)[0]
    profile = doc["profile"]
    mandatory = profile["profile.org_type"] == "central_department" or (
        profile["profile.org_type"] == "alb" and profile.get("profile.alb_public") == "yes")
    assert ("**Scope: mandatory.**" in top) == mandatory and ("**Scope: recommended.**" in top) != mandatory
