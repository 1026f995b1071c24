"""Workbooks that are not what they claim, and hostile ones, fed to every command that reads one.

Each case is generated at test time from a real register or filled template (see files.py),
then given to assess --answers, --resume and --previous, import (and --dry-run), batch and
portfolio. Each must give the exact one-line error, its documented exit code, quickly, with no
traceback, writing nothing and leaving an earlier output at the same path byte for byte.
"""

from __future__ import annotations

import re
import resource
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import openpyxl
import openpyxl.xml
import pytest

from risk_cli.readers import xlsx_guard
from tests.conftest import MINI, mini_answers, write_yaml
from tests.hostile import files as H
from tests.hostile.harness import (ANSWER_READERS, PREVIOUS, WORKBOOK_READERS, check_refused, escape_refused, ids,
                                   invoke)
from tests.template_fill import fill, make_template

DATA = H.REGISTER_DATA_PART
QUESTIONS = H.TEMPLATE_QUESTIONS_PART
META_PART = "xl/worksheets/sheet4.xml"  # the template's very hidden metadata sheet
NOT_A_REGISTER = "is a questionnaire template, not a register: give the register risk-cli wrote for the previous assessment"
STOPS = "delete them and try again (reading stops there, so nothing below can be checked)"


@dataclass
class Sources:
    folder: Path
    answers: Path  # a good answers file for mini.yaml
    register: Path  # the register assess wrote from it
    template: Path  # a blank template
    filled: Path  # the template filled in with the same answers


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> Sources:
    folder = tmp_path_factory.mktemp("sources")
    answers = write_yaml(folder / "good.yaml", mini_answers())
    register = folder / "register.xlsx"
    result, _ = invoke("assess", "-q", MINI, "--answers", answers, "--no-input", "-o", register)
    assert result.exit_code == 0, result.output
    template = make_template(lambda *a: invoke(*a)[0], folder / "template.xlsx")
    return Sources(folder, answers, register, template, fill(template, folder / "filled.xlsx"))


def parse_error(xml: bytes) -> str:
    """What expat (under openpyxl) says about damaged XML: the same parser, the same words."""
    try:
        ET.fromstring(xml)
    except ET.ParseError as exc:
        return str(exc)
    raise AssertionError("the XML is not damaged")


def ratio_line(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    return f"part {part} expands {info.file_size // info.compress_size:,} times; refused as a possible zip bomb"


def parts_line(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        n = len(z.infolist())
    return f"has {n:,} parts; workbooks with over 2,000 are refused"


def long_answer(d: Path, s: Sources) -> Path:
    """A template whose answer cell holds 40,000 characters (more than a cell may: 32,767)."""
    return H.replace_text(d, s.filled, QUESTIONS, b"<t>Reply drafter</t>", b"<t>" + b"x" * 40_000 + b"</t>",
                          "long-answer.xlsx")


def long_data_answer(d: Path, s: Sources) -> Path:
    """A register whose data sheet says profile.name is 40,000 characters long, in one cell."""
    xml = H.part(s.register, DATA)
    xml = xml.replace(b"profile.name: Reply drafter", b"profile.name: " + b"x" * 40_000, 1)
    return H.rewrite(s.register, d / "long-data.xlsx", parts={DATA: xml})


def formula_answer(d: Path, s: Sources) -> Path:
    """A formula where an answer belongs, with a cached value a careless reader would take."""
    return H.replace_text(d, s.filled, QUESTIONS,
                          b'<c r="E6" s="10" t="inlineStr"><is><t>Reply drafter</t></is></c>',
                          b'<c r="E6" s="10" t="str"><f>HYPERLINK("http://example.org","x")</f><v>x</v></c>',
                          "formula.xlsx")


def formula_data(d: Path, s: Sources) -> Path:
    """A formula in the register's data sheet, where risk-cli writes the answers as text."""
    xml = H.part(s.register, DATA)
    xml = re.sub(rb'<c r="A2"([^>]*)t="inlineStr"><is><t[^>]*>', rb'<c r="A2"\1t="str"><f>"a"&amp;"b"</f><v>', xml,
                 count=1)
    xml = re.sub(rb'(<c r="A2"[^>]*t="str"><f>[^<]*</f><v>.*?)</t></is></c>', rb"\1</v></c>", xml, count=1, flags=re.S)
    return H.rewrite(s.register, d / "formula-data.xlsx", parts={DATA: xml})


def escaped_answer(d: Path, s: Sources) -> Path:
    """Excel stores a control character in a cell as _x0007_: python-calamine and Excel read the
    character, openpyxl the seven characters, so every command refuses it rather than differ."""
    return H.replace_text(d, s.filled, QUESTIONS, b"<t>Reply drafter</t>", b"<t>Reply_x0007_drafter</t>",
                          "escaped.xlsx")


def escaped_data_answer(d: Path, s: Sources) -> Path:
    """A register (from before escapes were refused) whose data sheet keeps an answer holding one:
    the portfolio's fast reader (python-calamine) would read "ReplyAdrafter", the others not."""
    xml = H.part(s.register, DATA)
    xml = xml.replace(b"profile.name: Reply drafter", b"profile.name: Reply_x0041_drafter", 1)
    return H.rewrite(s.register, d / "escaped-data.xlsx", parts={DATA: xml})


def damaged(d: Path, s: Sources, what: bytes) -> Path:
    xml = H.part(s.filled, QUESTIONS).replace(b"</sheetData>", b'<row r="30">' + what + b"</row></sheetData>", 1)
    return H.rewrite(s.filled, d / "damaged.xlsx", parts={QUESTIONS: xml})


def damaged_line(p: Path, what: bytes, s: Sources) -> str:
    xml = H.part(s.filled, QUESTIONS).replace(b"</sheetData>", b'<row r="30">' + what + b"</row></sheetData>", 1)
    return f"{p}: Questions: is damaged: the sheet cannot be read (ParseError: {parse_error(xml)})"


UNCLOSED = b'<c r="E30"><v>1</v>'  # a cell never closed: mismatched tags
CONTROL = b'<c r="E30" t="inlineStr"><is><t>Reply\x07drafter</t></is></c>'  # a raw control character


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path, Sources], Path]
    lines: Callable[[Path, Sources], list[str]]  # the problem lines, without "error: "
    previous: Optional[Callable[[Path, Sources], list[str]]] = None  # assess --previous, when it says otherwise

    def for_command(self, command: str, path: Path, s: Sources) -> list[str]:
        if command == PREVIOUS.name and self.previous is not None:
            return self.previous(path, s)
        return self.lines(path, s)


def same(message: str) -> Callable[[Path, Sources], list[str]]:
    return lambda p, s: [f"{p}: {message}"]


def template_case(name: str, make: Callable[[Path, Sources], Path], message: Callable[[Path, Sources], str]) -> Case:
    """A filled template with one problem: --previous says it is not a register at all."""
    return Case(name, make, lambda p, s: [message(p, s)], previous=same(NOT_A_REGISTER))


CASES = [
    # not what they claim
    Case("empty", lambda d, s: H.empty(d), same("is empty (0 bytes), not a workbook")),
    Case("truncated", lambda d, s: H.truncated(d, s.register),
         same("is not a readable .xlsx workbook (damaged or truncated: File is not a zip file)")),
    Case("csv renamed", lambda d, s: H.csv_renamed(d), same("is not an .xlsx workbook (a text or CSV file)")),
    Case("text renamed", lambda d, s: H.text_renamed(d), same("is not an .xlsx workbook (a text or CSV file)")),
    Case("old xls", lambda d, s: H.old_xls(d),
         same("is an old Excel 97-2003 (.xls) workbook, or a password-protected one; save it unprotected as .xlsx "
              "and try again")),
    Case("encrypted", lambda d, s: H.encrypted(d),
         same("is password-protected (encrypted); save it without a password as .xlsx and try again")),
    Case("zip not xlsx", lambda d, s: H.zip_not_xlsx(d),
         same("is a zip archive but not an .xlsx workbook (no xl/workbook.xml)")),
    Case("over 50 MB", lambda d, s: H.oversized(d),
         same("is 60,000,000 bytes; workbooks over 50,000,000 bytes are refused")),
    # hostile workbooks
    Case("zip bomb", lambda d, s: H.zip_bomb(d, s.register, DATA),
         same(f"part {DATA} would expand to 150,000,000 bytes; refused as a possible zip bomb")),
    Case("compression ratio", lambda d, s: H.ratio_bomb(d, s.register, DATA), lambda p, s: [f"{p}: {ratio_line(p, DATA)}"]),
    Case("zip sizes that lie", lambda d, s: H.lying_sizes(d, s.register, DATA),
         same(f"is not a readable .xlsx workbook (damaged or truncated: Bad CRC-32 for file '{DATA}')")),
    Case("entities in a sheet", lambda d, s: H.entity_bomb(d, s.register, DATA),
         same(f"part {DATA} declares XML entities (<!DOCTYPE>); refused as a possible entity-expansion attack "
              "(no spreadsheet program writes them)")),
    Case("entities in shared strings", lambda d, s: H.entity_bomb(d, s.register, "xl/sharedStrings.xml"),
         same("part xl/sharedStrings.xml declares XML entities (<!DOCTYPE>); refused as a possible entity-expansion "
              "attack (no spreadsheet program writes them)")),
    Case("entities in a template", lambda d, s: H.entity_bomb(d, s.filled, QUESTIONS),
         same(f"part {QUESTIONS} declares XML entities (<!DOCTYPE>); refused as a possible entity-expansion attack "
              "(no spreadsheet program writes them)")),
    Case("a million rows in the data sheet", lambda d, s: H.million_rows(d, s.register, DATA, "A"),
         same(f"risk-cli data: has rows below row 10,000, where a register's data sheet has nothing; {STOPS}")),
    Case("row 999,999,999 in the data sheet", lambda d, s: H.huge_row_number(d, s.register, DATA),
         same(f"risk-cli data: has rows below row 10,000, where a register's data sheet has nothing; {STOPS}")),
    template_case("a million rows in a template", lambda d, s: H.million_rows(d, s.filled, QUESTIONS),
                  lambda p, s: f"{p}: Questions: has rows below row 1,022, where a questionnaire template has "
                               f"nothing; {STOPS}"),
    template_case("row 999,999,999 in a template", lambda d, s: H.huge_row_number(d, s.filled, QUESTIONS),
                  lambda p, s: f"{p}: Questions: has rows below row 1,022, where a questionnaire template has "
                               f"nothing; {STOPS}"),
    template_case("row 999,999,999 in template metadata", lambda d, s: H.huge_row_number(d, s.filled, META_PART),
                  lambda p, s: f"{p}: risk-cli template: has rows below row 10,000, where the template's metadata "
                               f"has nothing; {STOPS}"),
    Case("thousands of sheets", lambda d, s: H.many_sheets(d, s.register, 3000), lambda p, s: [f"{p}: {parts_line(p)}"]),
    Case("hundreds of sheet parts", lambda d, s: H.many_sheets(d, s.register, 300),
         same("has 306 sheets; workbooks with over 200 are refused")),
    Case("thousands of sheets on one part", lambda d, s: H.many_sheet_entries(d, s.register, 20_000),
         same("lists 20,006 sheets; workbooks with over 200 are refused")),
    template_case("damaged sheet XML", lambda d, s: damaged(d, s, UNCLOSED), lambda p, s: damaged_line(p, UNCLOSED, s)),
    template_case("a control character in a cell", lambda d, s: damaged(d, s, CONTROL),
                  lambda p, s: damaged_line(p, CONTROL, s)),
    template_case("a 40,000-character answer cell", long_answer,
                  lambda p, s: f"{p}: Questions!E6: the answer to profile.name is 40,000 characters; the limit is "
                               "10,000"),
    Case("a 40,000-character answer in the data sheet", long_data_answer,
         same("profile.name: the answer is 40,000 characters; the limit is 10,000"),
         previous=lambda p, s: [f"{p} [risk-cli data]: profile.name: the answer is 40,000 characters; the limit is "
                                "10,000"]),
    template_case("a formula in an answer cell", formula_answer,
                  lambda p, s: f"{p}: Questions!E6: a formula (=HYPERLINK(\"http://example.org\",\"x\")) is not "
                               "allowed in the answer to profile.name; type the value itself (formulas are never "
                               "calculated on import)"),
    template_case("an escaped control character in an answer cell", escaped_answer,
                  lambda p, s: f"{p}: Questions!E6: " + escape_refused("the answer to profile.name", "_x0007_", "0007")),
    Case("an escape in the data sheet", escaped_data_answer,
         same("profile.name: " + escape_refused("the answer", "_x0041_")),
         previous=lambda p, s: [f"{p} [risk-cli data]: profile.name: " + escape_refused("the answer", "_x0041_")]),
    Case("a formula in the data sheet", formula_data,
         same("risk-cli data!A2: holds a damaged data sheet (a formula, where risk-cli wrote text)")),
]


@pytest.fixture(scope="module")
def hostile(sources, tmp_path_factory):
    """Each hostile workbook, made once (the bombs take a moment) and shared: commands only read them."""
    made: dict[str, Path] = {}

    def get(case: Case) -> Path:
        if case.name not in made:
            made[case.name] = case.make(tmp_path_factory.mktemp("hostile"), sources)
        return made[case.name]
    return get


@pytest.mark.parametrize("existing", [False, True], ids=["nothing written", "earlier output kept"])
@pytest.mark.parametrize("command", WORKBOOK_READERS, ids=ids(WORKBOOK_READERS))
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_workbook(case, command, existing, hostile, sources, tmp_path):
    path = hostile(case)
    check_refused(command, path, tmp_path, sources.answers, case.for_command(command.name, path, sources), existing)


# -- a folder or a path that is not there --------------------------------------------------

PLAIN = {"assess --answers", "assess --resume", "assess --previous"}  # these take one file


@pytest.mark.parametrize("command", WORKBOOK_READERS, ids=ids(WORKBOOK_READERS))
def test_a_folder_given_as_a_workbook(command, sources, tmp_path):
    folder = H.directory(tmp_path)
    if command.name in PLAIN:
        check_refused(command, folder, tmp_path / "w", sources.answers, [f"{folder}: is a directory, not a workbook"])
    else:  # the others search folders: this one holds nothing to read; batch has nothing to do (2)
        check_refused(command, folder, tmp_path / "w", sources.answers,
                      [f"{folder}: folder holds no answers files (.yaml) or workbooks (.xlsx)"], exit_code=2)


@pytest.mark.parametrize("command", WORKBOOK_READERS, ids=ids(WORKBOOK_READERS))
def test_a_missing_path(command, sources, tmp_path):
    path = H.missing(tmp_path)
    message = "no such file" if command.name in PLAIN else "no such file or folder"
    check_refused(command, path, tmp_path / "w", sources.answers, [f"{path}: {message}"], exit_code=2)


# -- what the defences rest on --------------------------------------------------------------

def test_openpyxl_parses_xml_with_defusedxml():
    """openpyxl refuses DTDs only when defusedxml is installed and not switched off: it must be."""
    assert openpyxl.xml.DEFUSEDXML is True


def test_a_zip_bomb_is_refused_before_it_is_inflated(hostile, sources, tmp_path):
    """150 MB of zeros in a 150 KB file: every command refuses it without inflating it."""
    bomb = hostile(CASES[[c.name for c in CASES].index("zip bomb")])
    assert bomb.stat().st_size < 1_000_000
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux
    for command in WORKBOOK_READERS:
        outcome = check_refused(command, bomb, tmp_path / command.name.replace(" ", "_"), sources.answers,
                                [f"{bomb}: part {DATA} would expand to 150,000,000 bytes; refused as a possible zip bomb"])
        assert outcome.seconds < 2
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak
    assert grown < 50_000, f"the peak memory grew by {grown:,} kB reading a zip bomb"


def test_a_part_that_lies_about_its_size_is_never_inflated_past_it(hostile, sources, tmp_path):
    """The zip directory says 1 KB; the data inflates to 150 MB. Reading stops at the 1 KB."""
    lying = hostile(CASES[[c.name for c in CASES].index("zip sizes that lie")])
    with zipfile.ZipFile(lying) as z:
        assert z.getinfo(DATA).file_size == 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    check_refused(ANSWER_READERS[0], lying, tmp_path, sources.answers,
                  [f"{lying}: is not a readable .xlsx workbook (damaged or truncated: Bad CRC-32 for file '{DATA}')"])
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 50_000


def test_the_guard_refuses_entities_itself(hostile):
    """The guard looks for a DTD before any XML parser runs, so the defence does not rest on one
    library's setting (OPENPYXL_DEFUSEDXML=False turns openpyxl's off) or reach python-calamine."""
    laughs = hostile(CASES[[c.name for c in CASES].index("entities in shared strings")])
    with pytest.raises(xlsx_guard.InputProblems) as info:
        xlsx_guard.check(laughs)
    assert "declares XML entities" in info.value.lines()[0]


def test_registers_with_huge_visible_sheets_are_read_from_their_data_sheet(sources, tmp_path):
    """Only --previous reads a register's Risk register sheet; the rest re-score from the data sheet,
    so a sheet swollen to a million rows is refused there and harmless elsewhere."""
    swollen = H.million_rows(tmp_path, sources.register, "xl/worksheets/sheet2.xml", "A")
    result, seconds = invoke("assess", "-q", MINI, "--answers", sources.answers, "--no-input", "--previous", swollen)
    assert result.exit_code == 2 and seconds < 10
    assert result.stderr.splitlines() == [f"error: {swollen}: Risk register: has rows below row 10,000, where a "
                                          f"register has nothing; {STOPS}"]
    result, seconds = invoke("import", swollen, "-q", MINI, "-o", tmp_path / "out")
    assert result.exit_code == 0 and seconds < 10, result.output
    result, seconds = invoke("portfolio", swollen, "-q", MINI, "-o", tmp_path / "pf.xlsx")
    assert result.exit_code == 0 and seconds < 10, result.output


@pytest.mark.parametrize("ref", ["A1:XFD1048576", "A1:A1"], ids=["declares a million rows", "declares one cell"])
def test_a_wrong_declared_size_changes_nothing(ref, sources, tmp_path):
    """The used range a sheet declares is not trusted either way: too big, and reading still stops
    at what is there (quickly); too small, and nothing beyond it is missed."""
    def resized(src: Path, part: str, name: str) -> Path:
        xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="' + ref.encode() + b'"/>', H.part(src, part))
        return H.rewrite(src, tmp_path / name, parts={part: xml})

    template = resized(sources.filled, QUESTIONS, "filled.xlsx")
    result, seconds = invoke("import", template, "-q", MINI, "-o", tmp_path / "out")
    assert result.exit_code == 0 and seconds < 10, result.output
    got = (tmp_path / "out" / "filled-answers.yaml").read_text(encoding="utf-8")
    assert got.split("profile:", 1)[1] == expected_answers(sources).split("profile:", 1)[1], got
    register = resized(sources.register, "xl/worksheets/sheet2.xml", "register.xlsx")
    result, seconds = invoke("assess", "-q", MINI, "--answers", sources.answers, "--no-input", "--previous", register)
    assert result.exit_code == 0 and seconds < 10, result.output
    assert "0 edited cell(s) carried over" in result.stderr


def expected_answers(sources: Sources) -> str:
    """The answers file import writes for the unchanged filled template."""
    from risk_cli.model import answers as answers_mod
    from risk_cli.catalogue import loader

    loaded = answers_mod.load(sources.answers)
    return answers_mod.to_yaml(loaded, loader.load(MINI))


def test_a_folder_mixing_hostile_and_good_inputs(hostile, sources, tmp_path):
    """One bad file never stops the rest: each hostile file is one line, the good inputs are
    written, and the exit code says some were bad (3); portfolio --strict writes nothing (2)."""
    import shutil

    folder = tmp_path / "returns"
    folder.mkdir()
    shutil.copy(sources.answers, folder / "a-good.yaml")
    shutil.copy(sources.register, folder / "b-good.xlsx")
    bad = {}
    for name in ("zip bomb", "entities in shared strings", "a million rows in the data sheet", "encrypted"):
        case = CASES[[c.name for c in CASES].index(name)]
        target = folder / f"c-{name.replace(' ', '-')}.xlsx"
        shutil.copy(hostile(case), target)
        bad[target] = case.lines(target, sources)[0]
    expected = sorted(f"error: {line}" for line in bad.values())

    result, seconds = invoke("import", folder, "-q", MINI, "-o", tmp_path / "imported")
    assert (result.exit_code, seconds < 10) == (3, True), result.output
    assert sorted(line for line in result.stderr.splitlines() if line.startswith("error")) == expected
    assert sorted(p.name for p in (tmp_path / "imported").iterdir()) == [
        "a-good-answers.yaml", "a-good-register.xlsx", "b-good-answers.yaml", "b-good-register.xlsx"]

    result, seconds = invoke("batch", folder, "-q", MINI, "-o", tmp_path / "batch", "--quiet")
    assert (result.exit_code, seconds < 20) == (3, True), result.output
    assert sorted(line for line in result.stderr.splitlines() if line.startswith("error")) == expected
    assert sorted(p.name for p in (tmp_path / "batch").iterdir()) == [
        "a-good-register.xlsx", "b-good-register.xlsx", "batch-summary.xlsx"]

    result, seconds = invoke("portfolio", folder, "-q", MINI, "-o", tmp_path / "portfolio.xlsx")
    assert (result.exit_code, seconds < 10) == (3, True), result.output
    assert sorted(line for line in result.stderr.splitlines() if line.startswith("error")) == sorted(
        f"{line} (skipped)" for line in expected)
    assert (tmp_path / "portfolio.xlsx").exists()

    result, _ = invoke("portfolio", folder, "-q", MINI, "-o", tmp_path / "strict.xlsx", "--strict")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1] == f"error: --strict: {len(bad)} bad input(s); nothing written"
    assert not (tmp_path / "strict.xlsx").exists()


def test_a_cell_far_to_the_right_is_refused_not_read(sources, tmp_path):
    """A register row with a cell in column XFD (16,384) would make every row that wide."""
    xml = H.part(sources.register, "xl/worksheets/sheet2.xml").replace(
        b"</row>", b'<c r="XFD1" t="inlineStr"><is><t>far right</t></is></c></row>', 1)
    wide = H.rewrite(sources.register, tmp_path / "wide.xlsx", parts={"xl/worksheets/sheet2.xml": xml})
    result, seconds = invoke("assess", "-q", MINI, "--answers", sources.answers, "--no-input", "--previous", wide)
    assert (result.exit_code, seconds < 10) == (2, True), result.output
    assert result.stderr.splitlines() == [f"error: {wide}: Risk register: has a cell beyond column 200 (row 1), where "
                                          "a register has nothing; delete it and try again"]
