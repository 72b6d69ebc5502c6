"""The project coach: pure rules that read a project snapshot and say what to look at next.

No database and no HTTP (like `app.measurement`): `services/projects/coach_input.py` builds the
`ProjectSnapshot` from the tables, `review` runs every rule. docs/coach.md lists the rules.
"""

from __future__ import annotations

from app.coach import rules_data, rules_plan
from app.coach.model import (
    Aim,
    CycleInfo,
    DriverInfo,
    Finding,
    LessonRef,
    MeasureInfo,
    ProjectSnapshot,
    Severity,
    SignalInfo,
)

RULES = rules_plan.RULES + rules_data.RULES
_ORDER = {Severity.WARNING: 0, Severity.INFO: 1, Severity.GOOD: 2}


def review(snapshot: ProjectSnapshot) -> list[Finding]:
    """Every rule's findings: what to do first, then notes, then good signs (stable order)."""
    found = [finding for rule in RULES for finding in rule(snapshot)]
    return sorted(found, key=lambda f: _ORDER[f.severity])


__all__ = [
    "RULES",
    "Aim",
    "CycleInfo",
    "DriverInfo",
    "Finding",
    "LessonRef",
    "MeasureInfo",
    "ProjectSnapshot",
    "Severity",
    "SignalInfo",
    "review",
]
