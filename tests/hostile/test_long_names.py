"""File names near the file system's limit (255 bytes in one name).

The temporary file an output is written through used to be named after the output (so a
240-character -o failed), and the outputs import and batch derive from an input's name went over
255 bytes for a 245-character input (exit 70). Temporary names are now short and fixed-length;
derived names too long are shortened deterministically (cut, plus 12 hex digits of a hash); an
output name given too long is refused in one line.
"""

from __future__ import annotations

import os

import pytest

from risk_cli import fileio
from tests.conftest import MINI, mini_answers, write_yaml
from tests.hostile.harness import error_lines, invoke


def names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_template_to_a_240_character_name(tmp_path):
    out = tmp_path / ("t" * 240 + ".xlsx")
    result, _ = invoke("template", "-q", MINI, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.exists() and names(tmp_path) == [out.name]


def test_an_output_name_over_255_bytes_is_one_line(tmp_path):
    out = tmp_path / ("t" * 300 + ".xlsx")
    result, _ = invoke("template", "-q", MINI, "-o", out)
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [f"error: {out}: the file name is 305 bytes long; the limit is 255: give a shorter name"]


@pytest.mark.parametrize("command", ["batch", "import"])
def test_an_output_folder_name_over_255_bytes_is_one_line(command, tmp_path):
    """Before: exit 70, "internal error: OSError: [Errno 36] File name too long"."""
    answers = write_yaml(tmp_path / "a.yaml", mini_answers())
    out = tmp_path / ("d" * 300) / "registers"
    result, _ = invoke(command, answers, "-q", MINI, "-o", out)
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [f"error: {out}: a folder name in it is 300 bytes long; the limit is 255: "
                                   "give a shorter name"]
    assert names(tmp_path) == ["a.yaml"]


@pytest.mark.parametrize("stem", ["a" * 245, "é" * 122 + "b"], ids=["245 characters", "multi-byte"])
def test_import_and_batch_shorten_names_derived_from_a_long_input(stem, tmp_path):
    source = write_yaml(tmp_path / f"{stem}.yaml", mini_answers())
    result, _ = invoke("import", source, "-q", MINI, "-o", tmp_path / "imported")
    assert result.exit_code == 0, result.output
    short = fileio.fit_stem(stem, "-register.xlsx")
    assert short != stem and len(short.encode()) <= 213
    assert names(tmp_path / "imported") == sorted([f"{short}-answers.yaml", f"{short}-register.xlsx"])
    again, _ = invoke("import", source, "-q", MINI, "-o", tmp_path / "again")  # deterministic
    assert names(tmp_path / "again") == names(tmp_path / "imported"), again.output
    result, _ = invoke("batch", source, "-q", MINI, "-o", tmp_path / "batch", "--quiet", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert f"{short}-register.xlsx" in names(tmp_path / "batch")
    for folder in ("imported", "batch"):
        assert all(len(os.fsencode(n)) <= 255 for n in names(tmp_path / folder))


def test_long_names_that_differ_only_at_the_end_stay_apart(tmp_path):
    a = write_yaml(tmp_path / ("x" * 244 + "1.yaml"), mini_answers())
    b = write_yaml(tmp_path / ("x" * 244 + "2.yaml"), mini_answers())
    result, _ = invoke("batch", a, b, "-q", MINI, "-o", tmp_path / "batch", "--quiet", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert len([n for n in names(tmp_path / "batch") if n.endswith("-register.xlsx")]) == 2
