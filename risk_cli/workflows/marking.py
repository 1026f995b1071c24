"""The --marking option's check, for the CLI: the rule itself is model.marking, one for every
command, applied as the option is parsed so a bad marking is refused before any work."""

from __future__ import annotations

from risk_cli.model.marking import check

__all__ = ["check"]
