"""The protective marking printed at the top and bottom of a document risk-cli writes (the
Government Security Classifications: OFFICIAL, OFFICIAL-SENSITIVE...), one rule for every command
that offers `--marking`: one line of at most 50 characters, no control characters."""

from __future__ import annotations

import unicodedata

from risk_cli.errors import RiskCliError

DEFAULT = "OFFICIAL"
MAX_LENGTH = 50


def check(text: str) -> str:
    """The marking as given (surrounding spaces trimmed), or a one-line RiskCliError saying what is wrong."""
    marking = text.strip()
    if not marking:
        raise RiskCliError("--marking: give the protective marking, such as OFFICIAL or OFFICIAL-SENSITIVE")
    bad = next((c for c in marking if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")), None)
    if bad is not None:
        raise RiskCliError(f"--marking: one line of plain text; it holds the control character U+{ord(bad):04X}")
    if len(marking) > MAX_LENGTH:
        raise RiskCliError(f"--marking: at most {MAX_LENGTH} characters (it has {len(marking)})")
    return marking
