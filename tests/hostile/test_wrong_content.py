"""Well-formed files with the wrong content, in each kind of input, in every command that reads it.

The same wrong answer is given as an answers file, inside a register (its hidden data sheet)
and in a filled template; each command names the file and the place (question id, or
sheet!cell for a template) in one line, with its documented exit code, and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import pytest
import yaml

from risk_cli.catalogue import bundled
from tests.conftest import MINI, mini_answers, write_yaml
from tests.hostile import files as H
from tests.hostile.harness import ANSWER_READERS, PREVIOUS, Command, check_refused, ids, invoke
from tests.template_fill import MINI_FILLED, fill, make_template

EVERY_READER = ANSWER_READERS + [PREVIOUS]


@dataclass(frozen=True)
class Case:
    name: str
    answers: dict[str, Any]  # overrides for mini_answers(): what is wrong
    message: str  # by question id: "qid: what"
    template: Optional[dict[str, Any]] = None  # the same, typed into a template: {question id: cell value}
    cell_message: Optional[str] = None  # what import says, at the cell
    previous: bool = True  # a previous register is checked too (missing answers are allowed there)


CASES = [
    Case("unknown question id", {"data__bogus": "x"}, "data.bogus: unknown question id"),
    Case("choice not allowed", {"data__personal": "maybe"},
         "data.personal: 'maybe' is not an allowed answer (allowed: yes, no, dont_know)",
         {"data.personal": "Maybe"},
         "Questions!E12: \"Maybe\" is not an allowed answer to data.personal (allowed: Yes, No or Don't know)"),
    Case("true for a choice", {"data__personal": True},
         "data.personal: true/false is not an allowed answer (allowed: yes, no, dont_know)",
         {"data.personal": True}, "Questions!E12: TRUE is not an allowed answer to data.personal (allowed: Yes, No or "
                                  "Don't know)"),
    Case("text for a number", {"data__volume": "lots"}, "data.volume: 'lots' is not a number",
         {"data.volume": "lots"},
         "Questions!E18: \"lots\" is not an allowed answer to data.volume (allowed: a number, at least 0)"),
    Case("number below its minimum", {"data__volume": -5}, "data.volume: -5 is below the minimum 0",
         {"data.volume": -5}, "Questions!E18: -5 is not an allowed answer to data.volume (allowed: a number, at least 0)"),
    Case("not a date", {"delivery__date": "next year"}, "delivery.date: 'next year' is not a date (YYYY-MM-DD)",
         {"delivery.date": "next year"},
         "Questions!E22: \"next year\" is not an allowed answer to delivery.date (allowed: a date, dd/mm/yyyy)"),
    Case("a word for a list", {"data__kinds": "finance"},
         "data.kinds: expected a list of choices such as [health, finance] (allowed: health, finance, none)"),
    Case("an exclusive choice with others", {"data__kinds": ["none", "health"]},
         "data.kinds: 'none' cannot be combined with other choices",
         {"data.kinds": ["Health", "None of these"]},
         "Questions!E17: \"None of these\" cannot be combined with other choices in data.kinds (also ticked: "
         "Health (E15))"),
    Case("a list for text", {"profile__name": ["a", "b"]}, "profile.name: expected text"),
    Case("missing required answer", {"delivery__skills": None},
         "delivery.skills: missing answer (required): Have the skills?",
         {"delivery.skills": None}, "Questions!E21: delivery.skills: missing answer (required): Have the skills?",
         previous=False),
]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    folder = tmp_path_factory.mktemp("base")
    good = write_yaml(folder / "good.yaml", mini_answers())
    register = folder / "register.xlsx"
    result, _ = invoke("assess", "-q", MINI, "--answers", good, "--no-input", "-o", register)
    assert result.exit_code == 0, result.output
    template = make_template(lambda *a: invoke(*a)[0], folder / "template.xlsx")
    return folder, good, register, template


def answers_text(case: Case) -> str:
    from tests.conftest import _NoAliasDumper

    return yaml.dump(mini_answers(**case.answers), Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True)


@pytest.mark.parametrize("command", ANSWER_READERS, ids=ids(ANSWER_READERS))
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_in_an_answers_file(case, command, base, tmp_path):
    _, good, _, _ = base
    path = write_yaml(tmp_path / "answers.yaml", mini_answers(**case.answers))
    check_refused(command, path, tmp_path / "w", good, [f"{path}: {case.message}"])


@pytest.mark.parametrize("command", EVERY_READER, ids=ids(EVERY_READER))
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_in_a_register(case, command, base, tmp_path):
    _, good, register, _ = base
    path = H.with_data_text(tmp_path, register, answers_text(case), "register.xlsx")
    if command is PREVIOUS:
        if not case.previous:  # a previous register may be incomplete: it is compared, not scored
            result, _ = invoke(*command.argv(path, tmp_path, good))
            assert result.exit_code == 0, result.output
            return
        check_refused(command, path, tmp_path / "w", good, [f"{path} [risk-cli data]: {case.message}"])
    else:
        check_refused(command, path, tmp_path / "w", good, [f"{path}: {case.message}"])


TEMPLATE_CASES = [c for c in CASES if c.template is not None]


@pytest.mark.parametrize("command", ANSWER_READERS, ids=ids(ANSWER_READERS))
@pytest.mark.parametrize("case", TEMPLATE_CASES, ids=[c.name for c in TEMPLATE_CASES])
def test_in_a_template(case, command, base, tmp_path):
    """Every command reads and checks a template the same way (inputs.read_checked): every problem,
    a missing answer too, is placed at its cell."""
    _, good, _, template = base
    answers = dict(MINI_FILLED)
    for qid, value in case.template.items():
        if value is None:
            answers.pop(qid)
        else:
            answers[qid] = value
    path = fill(template, tmp_path / "filled.xlsx", answers)
    check_refused(command, path, tmp_path / "w", good, [f"{path}: {case.cell_message}"])


# -- questionnaires the tool does not have ---------------------------------------------------

def bundled_ids() -> str:
    return ", ".join(sorted({e.id for e in bundled.catalogue()}))


def versions(qid: str) -> str:
    return ", ".join(e.version for e in bundled.catalogue() if e.id == qid)


def without_q(command: Command) -> Command:
    """The command as run without -q, so the questionnaire the input names is looked up."""
    def argv(f: Path, w: Path, g: Path) -> list[Any]:
        args = [str(a) for a in command.argv(f, w, g)]
        i = args.index("-q")
        return args[:i] + args[i + 2:]
    return Command(command.name, argv, command.outputs, command.exit_code, command.suffix, command.trailer,
                   command.kind, command.summary, command.force)


@pytest.mark.parametrize("command", ANSWER_READERS, ids=ids(ANSWER_READERS))
@pytest.mark.parametrize("ref", ["unknown id", "unknown version"])
def test_a_questionnaire_the_tool_does_not_have(ref, command, base, tmp_path):
    _, good, _, _ = base
    data = mini_answers()
    data["questionnaire"] = ({"id": "nope", "version": "1.0.0"} if ref == "unknown id"
                             else {"id": "uk-public-sector-ai", "version": "9.9.9"})
    path = write_yaml(tmp_path / "answers.yaml", data)
    if ref == "unknown id":
        why = f"no questionnaire 'nope' (bundled: {bundled_ids()}; or give a path to a YAML file)"
        available = "no version of it is bundled"
        qid, version = "nope", "1.0.0"
    else:
        why = (f"questionnaire uk-public-sector-ai version 9.9.9 is not bundled with this tool "
               f"(versions: {versions('uk-public-sector-ai')})")
        available = "versions here: " + ", ".join(f"uk-public-sector-ai {v}" for v in versions("uk-public-sector-ai").split(", "))
        qid, version = "uk-public-sector-ai", "9.9.9"
    if command.name == "portfolio":
        line = (f"{path}: answered against questionnaire {qid} {version}, which is not available ({available}); "
                "give its file with -q FILE")
    else:  # every command that reads inputs alike (inputs.read_checked) names the place too
        line = f"{path}: questionnaire: {why}"
    check_refused(without_q(command), path, tmp_path / "w", good, [line])


@pytest.mark.parametrize("command", ANSWER_READERS, ids=ids(ANSWER_READERS))
def test_answers_for_another_version_of_the_questionnaire_given(command, base, tmp_path):
    _, good, _, _ = base
    data = mini_answers()
    data["questionnaire"]["version"] = "9.9.9"
    path = write_yaml(tmp_path / "answers.yaml", data)
    if command.name == "portfolio":
        line = (f"{path}: answered against questionnaire mini 9.9.9, which is not available (versions here: "
                "mini 0.1.0); give its file with -q FILE")
    else:
        line = f"{path}: questionnaire.version: answers are for mini version 9.9.9; this questionnaire is version 0.1.0"
    check_refused(command, path, tmp_path / "w", good, [line])


@pytest.mark.parametrize("argv, line", [
    (["assess", "--answers", "{good}", "--no-input", "-q", "nope"], "no questionnaire 'nope' (bundled: {ids}; or give "
                                                                   "a path to a YAML file)"),
    (["assess", "--answers", "{good}", "--no-input", "-q", "uk-public-sector-ai@9.9.9"],
     "questionnaire uk-public-sector-ai version 9.9.9 is not bundled with this tool (versions: {versions})"),
    (["template", "-q", "nope", "-o", "{work}/t.xlsx"], "no questionnaire 'nope' (bundled: {ids}; or give a path to a "
                                                        "YAML file)"),
    (["import", "{good}", "-q", "nope", "-o", "{work}/out"], "no questionnaire 'nope' (bundled: {ids}; or give a path "
                                                             "to a YAML file)"),
    (["batch", "{good}", "-q", "nope", "-o", "{work}/out"], "no questionnaire 'nope' (bundled: {ids}; or give a path "
                                                            "to a YAML file)"),
    (["portfolio", "{good}", "-q", "nope.yaml", "-o", "{work}/p.xlsx"], "nope.yaml: no such file"),
], ids=["assess", "assess ID@VERSION", "template", "import", "batch", "portfolio"])
def test_a_q_option_the_tool_does_not_have(argv, line, base, tmp_path):
    _, good, _, _ = base
    values = {"good": good, "work": tmp_path, "ids": bundled_ids(), "versions": versions("uk-public-sector-ai")}
    result, seconds = invoke(*[a.format(**values) for a in argv])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [f"error: {line.format(**values)}"]
    assert "Traceback" not in result.output and seconds < 10
    assert list(tmp_path.iterdir()) == [], "nothing written"
