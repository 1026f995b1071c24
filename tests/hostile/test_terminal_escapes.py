"""Text from a file never forges a terminal line or sends a control sequence (issue 14, item 13).

A use-case name holding a line break and "error: ..." used to print as a second, forged error
line; C1 control characters (\\x9b is a one-byte CSI, \\x85 a line break for some terminals) and
escape sequences reached the terminal raw. Every command's printed result is checked here.
"""

from __future__ import annotations

from tests.conftest import MINI, mini_answers, write_yaml
from tests.hostile.harness import invoke

FORGED = "Reply drafter\nerror: forged line\x9b31m\x9d2J"  # ESC and CR are refused in answers already
CONTROLS = [chr(c) for c in range(0x20) if chr(c) not in "\n"] + [chr(c) for c in range(0x7F, 0xA0)]


def check_clean(result) -> None:
    text = result.stdout + result.stderr
    assert "Traceback" not in text
    for line in text.splitlines():
        assert not line.startswith("error: forged"), line
    assert not [c for c in text if c in CONTROLS], repr(text)


def test_assess_portfolio_and_batch_print_a_forged_name_on_one_line(tmp_path):
    source = write_yaml(tmp_path / "answers.yaml", mini_answers(profile__name=FORGED, profile__organisation="Org\x9bx"))
    register = tmp_path / "register.xlsx"
    result, _ = invoke("assess", "-q", MINI, "--answers", source, "--no-input", "-o", register)
    assert result.exit_code == 0, result.output
    check_clean(result)
    assert "Reply drafter\\nerror: forged line\\x9b31m\\x9d2J" in result.stdout
    result, _ = invoke("portfolio", "-q", MINI, register)
    assert result.exit_code == 0, result.output
    check_clean(result)
    result, _ = invoke("batch", "-q", MINI, source, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    check_clean(result)


def test_a_forged_file_name_is_one_line_in_every_report(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_yaml(folder / "bad\nerror: forged\x9b.yaml", {"questionnaire": "nope"})
    for command in (("batch", "-q", MINI, folder, "-o", tmp_path / "out"), ("import", folder, "-o", tmp_path / "imp"),
                    ("portfolio", folder)):
        result, _ = invoke(*command)
        assert result.exit_code != 0
        check_clean(result)
