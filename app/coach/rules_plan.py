"""Rules about the plan: the aim, the driver diagram, the family of measures, PDSA write-ups.

Each rule takes the snapshot and returns a list of findings (empty when all is well).
"""

from __future__ import annotations

import re

from app.coach import lessons
from app.coach.model import Finding, ProjectSnapshot, Severity

WARNING = Severity.WARNING
_DIGIT = re.compile(r"\d")
# Words a study uses when it sets the result beside the prediction. A heuristic: see
# study_without_comparison.
_COMPARING = re.compile(
    r"\b(predict\w*|expect\w*|than|compar\w*|versus|vs|anticipat\w*|hoped|hypothes\w*|"
    r"forecast\w*|thought|guess\w*|estimat\w*)\b",
    re.IGNORECASE,
)


def _quoted(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def aim_parts(snap: ProjectSnapshot) -> list[Finding]:
    """An aim needs a number (how much), a date (by when) and a population (for whom)."""
    aim = snap.aim
    if not aim.what.strip():
        message = "There is no aim yet. Say what will improve, by how much, by when and for whom."
        return [Finding(WARNING, message, "the aim", lessons.AIM, "aim_missing")]
    found = []
    if not _DIGIT.search(aim.how_much):
        message = "The aim has no number: say how much will improve, for example “from 62% to 90%”."
        found.append(Finding(WARNING, message, "the aim", lessons.AIM, "aim_how_much"))
    if aim.by_when is None:
        message = "The aim has no date: say by when the improvement will be made."
        found.append(Finding(WARNING, message, "the aim", lessons.AIM, "aim_by_when"))
    if not aim.for_whom.strip():
        message = "The aim does not say for whom: name the patients or people who will benefit."
        found.append(Finding(WARNING, message, "the aim", lessons.AIM, "aim_for_whom"))
    return found


def change_ideas_linked(snap: ProjectSnapshot) -> list[Finding]:
    """Every change idea hangs from a driver, and has a measure that would show its effect."""
    drivers = {d.id for d in snap.drivers if d.kind in ("primary", "secondary")}
    found = []
    for idea in snap.drivers:
        if idea.kind != "change":
            continue
        about = f"change idea {_quoted(idea.text)}"
        if idea.parent_id not in drivers:
            message = (
                f"The change idea {_quoted(idea.text)} is not linked to a driver: which driver "
                "do you expect it to move?"
            )
            found.append(
                Finding(WARNING, message, about, lessons.DRIVER_DIAGRAM, "change_without_driver")
            )
        if not idea.measure_ids:
            message = (
                f"The change idea {_quoted(idea.text)} is not linked to any measure: which "
                "measure would show whether it worked?"
            )
            found.append(
                Finding(
                    WARNING, message, about, lessons.DRIVER_AND_MEASURE, "change_without_measure"
                )
            )
    return found


def balancing_measure(snap: ProjectSnapshot) -> list[Finding]:
    """With measures but none of them balancing, nobody watches for harm elsewhere."""
    if not snap.measures or any(m.kind == "balancing" for m in snap.measures):
        return []
    message = (
        "There is no balancing measure: add one that would show if the change made something "
        "else worse."
    )
    return [Finding(WARNING, message, "the measures", lessons.FAMILY_OF_MEASURES, "no_balancing")]


def predictions(snap: ProjectSnapshot) -> list[Finding]:
    """Every PDSA plan states a prediction, so the study has something to compare with."""
    return [
        Finding(
            WARNING,
            f"PDSA {c.number} has no prediction: write down what you expect to happen before "
            "you test.",
            f"PDSA {c.number}",
            lessons.PREDICTION,
            "no_prediction",
        )
        for c in snap.cycles
        if not c.prediction.strip()
    ]


def study_without_comparison(snap: ProjectSnapshot) -> list[Finding]:
    """A decision (act) with no study, or a study that never mentions the prediction.

    The second half is a heuristic, not understanding: a study "compares" when it uses one of
    a few words such as predicted, prediction, expected, than, compared, versus, anticipated,
    hoped or thought. A study that compares in other words is flagged wrongly, and one that
    says "better than nothing" passes; the message asks, it does not accuse. A cycle with no
    prediction is left to the `predictions` rule.
    """
    found = []
    for c in snap.cycles:
        about = f"PDSA {c.number}"
        if c.act and not c.study.strip():
            message = (
                f"PDSA {c.number} records a decision ({c.act}) but no study: what happened, "
                "against what you predicted?"
            )
            found.append(Finding(WARNING, message, about, lessons.STUDY_AND_ACT, "act_no_study"))
        elif c.study.strip() and c.prediction.strip() and not _COMPARING.search(c.study):
            message = (
                f"The study of PDSA {c.number} does not seem to compare the result with the "
                "prediction: was it what you expected?"
            )
            found.append(
                Finding(WARNING, message, about, lessons.STUDY_AND_ACT, "study_no_comparison")
            )
    return found


RULES = (aim_parts, change_ideas_linked, balancing_measure, predictions, study_without_comparison)
