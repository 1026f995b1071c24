"""Read any input risk-cli accepts into answers: an answers file, a register it wrote, or a
filled questionnaire template. Batch, import and portfolio all start here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from risk_cli import answers as answers_mod
from risk_cli.answers import Answers
from risk_cli.errors import InputProblems, Problem

YAML_SUFFIXES = (".yaml", ".yml")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
DATA_SHEET = "risk-cli data"


@dataclass
class Loaded:
    """Answers read from one input, not yet checked against a questionnaire."""

    path: Path
    kind: str  # "answers", "register" or "template"
    answers: Answers


def expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Files named, plus the answers files and workbooks inside folders named (sorted, recursive)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in YAML_SUFFIXES + XLSX_SUFFIXES
                           and not f.name.startswith((".", "~$")))
            if not found:
                problems.append(Problem(str(p), "folder holds no answers files (.yaml) or workbooks (.xlsx)"))
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            problems.append(Problem(str(p), "no such file or folder"))
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, problems


def load(path: Path | str) -> Loaded:
    """Read one input by its kind; raises InputProblems naming the file and place."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return Loaded(p, "answers", answers_mod.load(p))
    if suffix in XLSX_SUFFIXES:
        return load_workbook(p)
    raise InputProblems([Problem(str(p), f"is not an answers file (.yaml) or a workbook (.xlsx); cannot read '{p.suffix or 'no extension'}' files")])


def load_workbook(path: Path) -> Loaded:
    from risk_cli import xlsx_guard

    wb = xlsx_guard.open_workbook(path)
    try:
        if DATA_SHEET in wb.sheetnames:
            return Loaded(path, "register", _register_answers(path, wb[DATA_SHEET]))
        from risk_cli import template_import

        if template_import.is_template(wb):
            return Loaded(path, "template", template_import.read(path, wb))
        raise InputProblems([Problem(str(path), "is not a risk-cli register or questionnaire template "
                                                "(no 'risk-cli data' sheet and no template metadata)")])
    finally:
        wb.close()


def _register_answers(path: Path, ws) -> Answers:
    """The answers a register was scored from, from its hidden data sheet (one reader for all)."""
    from risk_cli import register_import

    return register_import.sheet_answers(str(path), ws)


def label(loaded: Optional[Loaded]) -> str:
    return "" if loaded is None else f"{loaded.path} ({loaded.kind})"
