"""The register workbook's layout: its sheet names and columns, in one place.

Both the writer (`register_xlsx`) and the readers (`register_import`, `inputs`) need these
names; this module imports nothing, so a reader can use them without loading openpyxl,
which keeps start-up fast.
"""

from __future__ import annotations

SUMMARY, REGISTER, ACTIONS, RESPONSES, ABOUT, DATA = (
    "Summary", "Risk register", "Actions", "Responses", "About", "risk-cli data")
# The draft ATRS record that batch --atrs writes beside a register, <name>-atrs.xlsx: an output,
# so a folder searched for inputs passes over it (readers.inputs.expand)
ATRS_RECORD_SUFFIX = "-atrs.xlsx"

REGISTER_COLUMNS = [
    ("Risk ID", 13), ("Category", 13), ("AI sub-category", 18), ("Title", 32),
    ("Description (cause, event, effect)", 60), ("Inherent likelihood", 11), ("Inherent impact", 11),
    ("Inherent score", 10), ("Inherent rating", 11), ("Why this score", 40), ("Existing controls", 40),
    ("Residual likelihood", 11), ("Residual impact", 11), ("Residual score", 10), ("Residual rating", 11),
    ("Risk appetite", 12), ("Within appetite", 12), ("Target score", 10), ("Treatment", 12),
    ("Planned actions", 50), ("Risk owner", 20), ("Action owner", 20), ("Target date", 12),
    ("Proximity", 14), ("Trend", 9), ("Change since last assessment", 30), ("Escalation level", 14),
    ("Status", 11), ("Date raised", 12),
    ("Last reviewed", 12), ("Next review", 12), ("NAO barrier", 22), ("Framework references", 36),
    ("Unknown answers to find out", 30), ("Notes", 30),
]
ACTION_COLUMNS = [
    ("Action ID", 22), ("Priority", 9), ("Action", 60), ("Treats risks", 18), ("Kind", 11),
    ("Source", 30), ("Action owner", 20), ("Due date", 12), ("Status", 13), ("Notes", 30),
    ("Change since last assessment", 30),
]
# The columns people fill in. On re-assessment (`assess --previous`) their edits carry over
# by risk id and action id; every other column is recomputed (see register_import).
HUMAN_RISK_COLUMNS = ("Treatment", "Risk owner", "Action owner", "Target date", "Escalation level", "Status", "Notes")
HUMAN_ACTION_COLUMNS = ("Action owner", "Due date", "Status", "Notes")
# Columns risk-cli fills once and then carries over as they stand, so a person may correct
# them; unlike the human columns, a register without them can still be compared.
CARRIED_RISK_COLUMNS = ("Date raised",)
CHANGE = "Change since last assessment"
