"""Read an appetite file (`--appetite FILE`): an organisation's own risk appetite by category.

```yaml
source: "Department for Example risk appetite statement, April 2026"   # optional
appetite:
  legal: minimal
  information: minimal
  reputational: cautious
```
Category and level ids are the questionnaire's (`risk-cli validate` and the register's About sheet
list them); each input is checked against its own questionnaire's ids.
"""

from __future__ import annotations

from pathlib import Path

from risk_cli import safe_yaml
from risk_cli.errors import InputProblems, Problem
from risk_cli.model.answers import Appetite, read_appetite

KEYS = ("appetite", "source")


def read(path: str | Path) -> Appetite:
    """The appetite in `path`, or InputProblems naming every problem with its line."""
    doc = safe_yaml.load(path)
    data = doc.data
    problems: list[Problem] = []
    if not isinstance(data, dict) or "appetite" not in data:
        raise InputProblems([doc.problem((), "an appetite file is a mapping with 'appetite' (category: level) "
                                             "and, optionally, 'source' (whose appetite it is)")])
    for key in data:
        if key not in KEYS:
            problems.append(doc.problem((key,), f"unknown key '{key}' (allowed: {', '.join(KEYS)})"))
    levels, source = read_appetite(doc, data, problems, "appetite", "source")
    if not levels and not problems:
        problems.append(doc.problem(("appetite",), "names no category; give at least one, such as legal: minimal"))
    if problems:
        raise InputProblems(problems)
    return Appetite(tuple(levels.items()), source or f"the risk appetite in {Path(path).name}", str(path))
