"""Rules about the data: claims made on too few points, signals after a change, the baseline.

Each rule takes the snapshot and returns a list of findings (empty when all is well).
"""

from __future__ import annotations

import re

from app.coach import lessons
from app.coach.model import Finding, MeasureInfo, ProjectSnapshot, Severity, SignalInfo

MIN_POINTS = 10  # as the lab: with fewer, no rule can tell a signal from noise
WHOLE_PART_RULES = frozenset({"too few crossings", "too few runs", "too many runs"})
_CLAIM = re.compile(
    r"\b(improv\w*|increas\w*|reduc\w*|decreas\w*|better|rose|risen|fell|fallen|higher|lower|"
    r"went (?:up|down))\b",
    re.IGNORECASE,
)
_NUMBER = r"[\d][\d.,]*\s*%?"
_FROM_TO = re.compile(rf"\bfrom\s+{_NUMBER}.{{0,40}}?\bto\s+{_NUMBER}", re.IGNORECASE)
_BEFORE_AFTER = re.compile(r"\bbefore\b.{0,80}\bafter\b|\bpre\b.{0,40}\bpost\b", re.IGNORECASE)


def _claims(snap: ProjectSnapshot) -> list[str]:
    """Where the project says it improved: its results text, and each cycle adopted."""
    where = ["the results"] if _CLAIM.search(snap.results) else []
    return where + [f"PDSA {c.number}" for c in snap.cycles if c.act == "adopt"]


def claim_on_too_few_points(snap: ProjectSnapshot) -> list[Finding]:
    """An improvement claimed (results text, or a cycle adopted) while no measure has 10 points.

    "Claimed" is read from words such as improved, increased, reduced, better in the results,
    or an act of "adopt": a heuristic, so the message says what it saw.
    """
    claims = _claims(snap)
    most = max((m.points for m in snap.measures), default=0)
    if not claims or most >= MIN_POINTS:
        return []
    shown = " and ".join(claims)
    have = f"the most any measure has is {most}" if snap.measures else "there is no measure yet"
    message = (
        f"{shown[0].upper()}{shown[1:]} claim{'s' if len(claims) == 1 else ''} an improvement, "
        f"but {have}: with fewer than {MIN_POINTS} points no rule can tell a signal from noise."
    )
    return [Finding(Severity.WARNING, message, claims[0], lessons.RUN_CHART, "claim_few_points")]


def two_point_comparison(snap: ProjectSnapshot) -> list[Finding]:
    """A before-and-after pair: "from 62% to 71%" in the results, or a claim on 2-point data."""
    found = []
    text = _FROM_TO.search(snap.results) or _BEFORE_AFTER.search(snap.results)
    if text and _CLAIM.search(snap.results):
        message = (
            f"The results compare two numbers (“{' '.join(text.group(0).split())}”): two points "
            "cannot separate the change from chance. Show the data over time instead."
        )
        found.append(
            Finding(Severity.WARNING, message, "the results", lessons.RUN_CHART, "two_points")
        )
    if _claims(snap):
        for m in snap.measures:
            if m.points == 2:
                message = (
                    f"“{m.name}” has two points, a before and an after: that cannot show "
                    "whether the change made the difference."
                )
                about = f"measure “{m.name}”"
                found.append(
                    Finding(Severity.WARNING, message, about, lessons.RUN_CHART, "two_points")
                )
    return found


def _describe(signal: SignalInfo, centre: str) -> str:
    n, up = signal.length, signal.direction > 0
    side = "above" if up else "below"
    kind = signal.kind
    if kind == "shift":
        return f"a shift of {n} points {side} the {centre}"
    if kind == "trend":
        return f"a trend of {n} points {'rising' if up else 'falling'}"
    if kind == "unusually long run":
        return f"an unusually long run of {n} points {side} the {centre}"
    if kind == "point outside the limits":
        if n == 1:
            return f"a point {'above the upper' if up else 'below the lower'} limit"
        return f"{n} points outside the limits"
    if kind == "two of three beyond two sigma":
        return f"two of three points close to the {'upper' if up else 'lower'} limit"
    return f"a signal ({kind})"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _gap(m: MeasureInfo, signal: SignalInfo, number: int, start: int, snap: ProjectSnapshot):
    """'2 weeks after PDSA 2' from the dates when the labels are dates, else in points."""
    cycle = next((c for c in snap.cycles if c.number == number), None)
    when = m.point_dates[signal.start] if m.point_dates else None
    if cycle and cycle.starts_on and when:
        days = (when - cycle.starts_on).days
        if days == 0:
            return f"on the day PDSA {number} started"
        if days > 0:
            if days % 7 == 0:
                return f"{_plural(days // 7, 'week')} after PDSA {number}"
            return f"{_plural(days, 'day')} after PDSA {number}"
    points = signal.start - start
    if points == 0:
        return f"at the first point after PDSA {number}"
    return f"{_plural(points, 'point')} after PDSA {number}"


def signals_after_cycles(snap: ProjectSnapshot) -> list[Finding]:
    """A signal that began after a PDSA cycle started: a good sign, linked to the latest cycle.

    Whole-part signals (too few crossings or runs) have no start, so they are left out.
    """
    found = []
    for m in snap.measures:
        for signal in m.signals:
            if signal.kind in WHOLE_PART_RULES:
                continue
            before = [(i, n) for n, i in m.cycle_starts.items() if i <= signal.start]
            if not before:
                continue
            start, number = max(before)
            text = _describe(signal, m.centre_name)
            gap = _gap(m, signal, number, start, snap)
            message = f"In “{m.name}”, {text} began {gap}."
            severity = Severity.GOOD
            if signal.concern:
                severity = Severity.INFO
                message += " It moved the way you did not want: look for the cause."
            else:
                message += " Check nothing else changed at the same time."
            found.append(
                Finding(severity, message, f"measure “{m.name}”", lessons.INTERPRETING, "signal")
            )
    return found


def baseline_not_frozen(snap: ProjectSnapshot) -> list[Finding]:
    """Enough points before the first cycle, and no freeze: later data will move the yardstick."""
    found = []
    for m in snap.measures:
        if m.frozen or not m.cycle_starts:
            continue
        start, number = min((i, n) for n, i in m.cycle_starts.items())
        if start < m.min_baseline:
            continue
        line = "median" if m.chart == "run" else "centre line and limits"
        message = (
            f"“{m.name}” has {start} points before PDSA {number} started: freeze them as the "
            f"baseline, so the {line} stay as things were and later points are judged against it."
        )
        lesson = lessons.INTERPRETING if m.chart == "run" else lessons.RECALCULATING
        found.append(
            Finding(Severity.WARNING, message, f"measure “{m.name}”", lesson, "baseline_freeze")
        )
    return found


RULES = (claim_on_too_few_points, two_point_comparison, signals_after_cycles, baseline_not_frozen)
