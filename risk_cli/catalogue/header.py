"""Which questionnaire format a file is, told from its header: every assess, import and batch
asks it of the bundled files and of a -q FILE, so it must not import either format's reader
and model, nor parse a whole questionnaire."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from risk_cli import safe_yaml
from risk_cli.errors import InputProblems

FORMAT_2 = 2


def is_format_2(data: Any) -> bool:
    """Format 2 and a model named: without `model` the format-1 reader says what is wrong."""
    return isinstance(data, dict) and data.get("format") == FORMAT_2 and "model" in data


def file_is_format_2(path: str) -> bool:
    """Whether a questionnaire file declares format 2 (False when it cannot be read: the format-1
    loader then reports why)."""
    try:
        if not Path(path).is_file():
            return False
        text = safe_yaml.read_text(path)
        # most files are format 1: tell from the header, without parsing the whole questionnaire
        # twice (the loader parses it, or takes it from the cache, next)
        try:
            if safe_yaml.top_level_scalar(text, "format") != str(FORMAT_2):
                return False
        except safe_yaml.Undecided:
            pass  # a huge file: the full parse below decides, within its limits
        return is_format_2(safe_yaml.loads(text, str(path)).data)
    except (InputProblems, OSError):
        return False
