"""The ATRS versions risk-cli knows: each one's sections and fields, read from the data file shipped
beside this module (`atrs-<version>.yaml`). The field list is the standard's, not a questionnaire's;
a questionnaire's `atrs` mapping is checked against it (catalogue.read_atrs)."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from risk_cli import safe_yaml
from risk_cli.errors import RiskCliError
from risk_cli.model.atrs import Standard, StandardField, StandardSection
from risk_cli.model.questionnaire import version_key

HERE = Path(__file__).resolve().parent
FILE = re.compile(r"atrs-(\d+\.\d+)\.yaml$")
MAX_SHEET = 31  # Excel's longest sheet name


def versions() -> list[str]:
    """The versions of the standard shipped with risk-cli, oldest first."""
    found = [m.group(1) for p in HERE.glob("atrs-*.yaml") if (m := FILE.match(p.name))]
    return sorted(found, key=version_key)


def newest() -> str:
    return versions()[-1]


@functools.lru_cache(maxsize=None)
def load(version: str) -> Standard:
    """The standard at `version`; RiskCliError if risk-cli does not ship it."""
    if version not in versions():
        raise RiskCliError(f"ATRS version {version} is not known to risk-cli (known: {', '.join(versions())})")
    path = HERE / f"atrs-{version}.yaml"
    data = safe_yaml.load(path, f"the ATRS field list {path.name}").data
    try:
        return _build(data)
    except (KeyError, TypeError, ValueError, AssertionError) as exc:  # shipped data: a broken file is a bug
        raise RuntimeError(f"{path.name} is damaged: {exc!r}") from None


def _build(data: dict[str, Any]) -> Standard:
    head = data["standard"]
    sections = []
    seen: set[str] = set()
    for s in data["sections"]:
        fields = []
        for f in s["fields"]:
            assert f["id"] not in seen, f"field {f['id']} twice"
            seen.add(f["id"])
            fields.append(StandardField(f["id"], str(f["ref"]), f["name"], f["guidance"], f["verified"],
                                        tuple(f.get("options", ()))))
        assert len(s["sheet"]) <= MAX_SHEET, f"sheet name {s['sheet']!r} is too long"
        sections.append(StandardSection(s["id"], int(s["tier"]), s["heading"], s["sheet"], s["covers"],
                                        tuple(fields), s.get("note", "")))
    tiers = [s.tier for s in sections]
    assert tiers == sorted(tiers), "sections must run Tier 1 then Tier 2"
    return Standard(head["name"], head["short"], str(head["version"]), head["released"], head["guidance"],
                    head["hub"], str(head["checked"]), tuple(sections))
