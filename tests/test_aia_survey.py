"""The real Canada Algorithmic Impact Assessment survey (canada-ca/aia-eia-js, src/survey-enfr.json,
tool v1.0.1), converted with `risk-cli convert` and scored with `risk-cli assess`, against values
worked out by hand from the AIA's published rules. The survey is not part of this project: the
test runs only when AIA_SURVEY names a copy of it, and is skipped otherwise.

    AIA_SURVEY=/path/to/survey-enfr.json python -m pytest tests/test_aia_survey.py

The rules (from the AIA's store.ts): a question's points are its chosen value's number after the
last hyphen (a checkbox adds up its ticks); names ending -RS feed the raw impact total, -MS the
mitigation total. Maximums count every question, shown or not: raw 167; mitigation 154, halved
to 77 because the design and implementation pages repeat each other. If mitigation >= 80% of 77
(61.6) the score is round(0.85 x raw), halves up; otherwise it is raw. Levels compare the score
with 167: I up to 41.75 (25%), II up to 83.5 (50%), III up to 125.25 (75%), IV above.

Hand working (phase "design", projectDetailsPhase = item1, in every case):

RAW_48, one answer each:
    riskProfile1 3 + riskProfile2 3 + riskProfile3 1 + riskProfile4 4 + riskProfile7 3
    + riskProfile8 1 = 15; projectAuthority1 2 -> 17; aboutSystem5 2 + aboutSystem6 2
    + aboutSystem7 2 + aboutSystem11 4 -> 27; aboutAlgorithm2 3 + aboutAlgorithm8 3 -> 33;
    impact3 4 + impact6 4 + impact7 4 + impact9 3 -> 48.
RAW_25: riskProfile1 3 + riskProfile2 3 + riskProfile4 4 + impact3 4 + impact6 4
    + aboutAlgorithm2 3 + aboutSystem11 4 = 25.
The design mitigation pages at their best: consultation 2+2+3+3 = 10 (its checkboxes carry 0);
    data quality 3+1+1+1+2+1+2+1+2 = 14; fairness 1+1+2+2+2+2+1+2+2+1+2+2+2+2+2+2+2+5 (checkbox
    21, five ticks of 1)+2+2+2+2+1 = 44; privacy 2+2+2+1+1+1 = 9; 10+14+44+9 = 77 (= 154 / 2).
MIT_62: that, less fairnessDesign21 unticked (5), privacyDesign1, 2, 9 "no" (6), privacyDesign3,
    4, 7 "no" (3) and fairnessDesign7 "no" (1): 77 - 15 = 62. MIT_61: also fairnessDesign9 "no": 61.
RAW_ALL: every raw question at its best answer (each is then shown): 167. RAW_130: that with the
    eight impact dropdowns (impact6, 7, 9, 11, 13, 15, 24, 28) at 1 instead of 4 (-24),
    aboutDataSource5 "no" (-4) and aboutDataSource14 unticked (1+1+3+3+1 = -9): 167 - 37 = 130.

| case | raw | mitigation | discount | score | level |
| level I: RAW_25, no mitigation | 25 | 0 | no | 25 | I (<= 41.75) |
| boundary 62: RAW_48 + MIT_62 | 48 | 62 | 62 >= 61.6: yes | round(40.8) = 41 | I |
| boundary 61: RAW_48 + MIT_61 | 48 | 61 | 61 < 61.6: no | 48 | II |
| hidden: RAW_48, aboutDataSource1 "no" (0) so aboutDataSource9 (2) and aboutDataSource14 (3+3)
  are hidden though answered; privacyImplementation1 and 2 (2 each) answered on a hidden page | 48 | 0 | no | 48 | II |
| level III: RAW_130 + all design mitigation (77) | 130 | 77 | yes | round(110.5) = 111 (half up) | III |
| level IV: RAW_130, no mitigation | 130 | 0 | no | 130 | IV (> 125.25) |
| top: RAW_ALL + all design mitigation | 167 | 77 | yes | round(141.95) = 142 | IV |
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from risk_cli.cli import cli

SURVEY = os.environ.get("AIA_SURVEY")
pytestmark = pytest.mark.skipif(not SURVEY or not Path(SURVEY).is_file(),
                                reason="set AIA_SURVEY to a copy of the AIA's src/survey-enfr.json")

DESIGN = {"projectDetailsPhase": "item1"}
RAW_48 = {"riskProfile1": "item1-3", "riskProfile2": "item1-3", "riskProfile3": "item1-1", "riskProfile4": "item3-4",
          "riskProfile7": "item1-3", "riskProfile8": "item1-1", "projectAuthority1": "item1-2",
          "aboutSystem5": "item3-2", "aboutSystem6": "item2-2", "aboutSystem7": "item2-2", "aboutSystem11": "item4-4",
          "aboutAlgorithm2": "item1-3", "aboutAlgorithm8": "item1-3",
          "impact3": "item1-4", "impact6": "item4-4", "impact7": "item4-4", "impact9": "item3-3"}
RAW_25 = {"riskProfile1": "item1-3", "riskProfile2": "item1-3", "riskProfile4": "item3-4", "impact3": "item1-4",
          "impact6": "item4-4", "aboutAlgorithm2": "item1-3", "aboutSystem11": "item4-4"}


def _points(value: str) -> int:
    tail = value.rsplit("-", 1)[-1] if "-" in value else ""
    return int(tail) if re.fullmatch(r"[0-9]+", tail) else 0


def best_answers(kind: str, page_prefix: str = "") -> dict:
    """This test's own reading of the survey: every question feeding `kind` (-RS or -MS, by its
    name or its panel's) on pages whose name starts with `page_prefix`, at its best answer."""
    survey = json.loads(Path(SURVEY).read_text(encoding="utf-8"))
    out: dict = {}

    def walk(elements: list, inherited: bool) -> None:
        for e in elements:
            name = e.get("name", "")
            feeds = name.endswith(kind) or (inherited and not re.search(r"-(RS|MS|NS)$", name))
            if e["type"] == "panel":
                walk(e.get("elements", []), feeds)
            elif feeds and e["type"] in ("radiogroup", "dropdown", "checkbox"):
                values = [c["value"] if isinstance(c, dict) else c for c in e["choices"]]
                out[name] = values if e["type"] == "checkbox" else max(values, key=_points)

    for page in survey["pages"]:
        if page["name"].startswith(page_prefix):
            walk(page.get("elements", []), False)
    return out


def mitigation(less: dict) -> dict:
    values = {k: v for k, v in best_answers("-MS").items() if "Design" in k}
    values.update(less)
    return values


MIT_62_LESS = {"fairnessDesign21": [], "privacyDesign1": "item2-0", "privacyDesign2": "item2-0",
               "privacyDesign9": "item2-0", "privacyDesign3": "item2-0", "privacyDesign4": "item2-0",
               "privacyDesign7": "item2-0", "fairnessDesign7": "item2-0"}
MIT_61_LESS = {**MIT_62_LESS, "fairnessDesign9": "item2-0"}


def raw_130() -> dict:
    values = best_answers("-RS")
    values.update({q: "item1-1" for q in ("impact6", "impact7", "impact9", "impact11", "impact13", "impact15",
                                          "impact24", "impact28")})
    values.update({"aboutDataSource5": "item2-0", "aboutDataSource14": []})
    return values


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("aia") / "aia.yaml"
    result = CliRunner().invoke(cli, ["convert", SURVEY, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.stderr


def score(qn: Path, tmp_path: Path, values: dict) -> dict:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": {**DESIGN, **values}}), encoding="utf-8")
    result = CliRunner().invoke(cli, ["assess", "-q", str(qn), "--answers", str(answers), "--no-input",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_counts_of_the_converted_survey(converted):
    _, report = converted
    assert "295 questions (160 scored), 124 conditions; maximums: raw 167, mitigation 154 -> 77" in report


CASES = {
    "level I": (lambda: RAW_25, 25, 0, 25, "I"),
    "boundary 62": (lambda: {**RAW_48, **mitigation(MIT_62_LESS)}, 48, 62, 41, "I"),
    "boundary 61": (lambda: {**RAW_48, **mitigation(MIT_61_LESS)}, 48, 61, 48, "II"),
    "hidden": (lambda: {**RAW_48, "aboutDataSource1": "item2-0", "aboutDataSource9": "item2-2",
                        "aboutDataSource14": ["item4-3", "item5-3"], "privacyImplementation1": "item1-2",
                        "privacyImplementation2": "item1-2"}, 48, 0, 48, "II"),
    "level III": (lambda: {**raw_130(), **mitigation({})}, 130, 77, 111, "III"),
    "level IV": (raw_130, 130, 0, 130, "IV"),
    "top": (lambda: {**best_answers("-RS"), **mitigation({})}, 167, 77, 142, "IV"),
}


@pytest.mark.parametrize("case", CASES)
def test_hand_worked_cases(converted, tmp_path, case):
    values, raw, mit, final, level = CASES[case]
    data = score(converted[0], tmp_path, values())
    assert data["maximums"] == {"raw": 167, "mitigation": 77}
    assert (data["totals"]["raw"], data["totals"]["mitigation"], data["score"], data["level"]["id"]) == \
        (raw, mit, final, level)
    if case == "hidden":
        assert sorted(data["not_counted"]) == ["aboutDataSource14", "aboutDataSource9", "privacyImplementation1",
                                               "privacyImplementation2"]
