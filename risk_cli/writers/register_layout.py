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

# Widths are in characters. They are chosen so the Risk register prints one A4 landscape page wide
# (writers.xlsx.print_setup) with its rows no taller than their longest text needs: numbers and
# short labels narrow, the long text (description, why this score, actions) wide and wrapped.
REGISTER_COLUMNS = [
    ("Risk ID", 11), ("Category", 11), ("AI sub-category", 14), ("Title", 22),
    ("Description (cause, event, effect)", 44), ("Inherent likelihood", 10), ("Inherent impact", 8),
    ("Inherent score", 7), ("Inherent rating", 9), ("Why this score", 44), ("Existing controls", 24),
    ("Residual likelihood", 10), ("Residual impact", 8), ("Residual score", 7), ("Residual rating", 9),
    ("Risk appetite", 11), ("Within appetite", 8), ("Target score", 7), ("Treatment", 9),
    ("Planned actions", 36), ("Risk owner", 16), ("Action owner", 14), ("Target date", 11),
    ("Proximity", 10), ("Trend", 7), ("Change since last assessment", 14), ("Escalation level", 12),
    ("Status", 8), ("Date raised", 11),
    ("Last reviewed", 11), ("Next review", 11), ("NAO barrier", 16), ("Framework references", 30),
    ("Unknown answers to find out", 18), ("Notes", 16),
]
ACTION_COLUMNS = [
    ("Action ID", 16), ("Priority", 8), ("Action", 80), ("Treats risks", 14), ("Kind", 10),
    ("Source", 50), ("Action owner", 18), ("Due date", 11), ("Status", 11), ("Notes", 20),
    ("Change since last assessment", 16),
]
# The columns people fill in. On re-assessment (`assess --previous`) their edits carry over
# by risk id and action id; every other column is recomputed (see register_import).
HUMAN_RISK_COLUMNS = ("Treatment", "Risk owner", "Action owner", "Target date", "Escalation level", "Status", "Notes")
HUMAN_ACTION_COLUMNS = ("Action owner", "Due date", "Status", "Notes")
# Columns risk-cli fills once and then carries over as they stand, so a person may correct
# them; unlike the human columns, a register without them can still be compared.
CARRIED_RISK_COLUMNS = ("Date raised",)
CHANGE = "Change since last assessment"
