"""batch never writes over one of its own inputs, even with --force.

`batch regs/team-register.xlsx -o regs --force` used to replace the input register with a freshly
scored one: every column people added and every owner they typed was lost. import already refused
this; batch now does too (by resolved path, and by file identity for a second name of the file),
in one line per clash, exit 2, before anything is written.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import MINI, mini_answers, write_yaml


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def edited(tmp_path: Path, run) -> Path:
    """regs/team-register.xlsx with an owner edited and a column added by a person."""
    answers = write_yaml(tmp_path / "a.yaml", mini_answers())
    regs = tmp_path / "regs"
    regs.mkdir()
    path = regs / "team-register.xlsx"
    assert run("assess", "-q", MINI, "--answers", answers, "--no-input", "-o", path).exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["Risk register"]
    ws.cell(row=1, column=ws.max_column + 1, value="Board comment")
    ws.cell(row=2, column=ws.max_column, value="seen in May")
    wb.save(path)
    return path


@pytest.mark.parametrize("force", [False, True])
def test_batch_refuses_to_replace_its_input_register(edited, run, force):
    before = digest(edited)
    regs = edited.parent
    listing = sorted(p.name for p in regs.iterdir())
    result = run("batch", edited, "-o", regs, "-q", MINI, "-j", "1", *(["--force"] if force else []))
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"error: {regs / 'team-register.xlsx'}: would replace the input {edited}; inputs are never modified, "
        "so choose another folder with -o"]
    assert digest(edited) == before
    assert sorted(p.name for p in regs.iterdir()) == listing  # no summary either: nothing written


def test_batch_refuses_a_hard_link_to_its_input(edited, run, tmp_path):
    """The input named by another path (a hard link in another folder) is the same file."""
    other = tmp_path / "other"
    other.mkdir()
    link = other / "team.xlsx"
    try:
        os.link(edited, link)
    except OSError:
        pytest.skip("no hard links here")
    before = digest(edited)
    result = run("batch", link, "-o", edited.parent, "-q", MINI, "-j", "1", "--force")
    assert result.exit_code == 2, result.output
    assert "would replace the input" in result.stderr
    assert digest(edited) == before


def test_batch_into_another_folder_still_works(edited, run, tmp_path):
    result = run("batch", edited, "-o", tmp_path / "out", "-q", MINI, "-j", "1", "--quiet")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "team-register.xlsx").exists()
