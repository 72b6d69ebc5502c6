"""The lesson each rule links to, by module and lesson slug (the folder names without NN-).

tests/unit/test_coach_lessons.py checks every one exists in the real content, so renaming a
lesson cannot leave the coach pointing at nothing.
"""

from __future__ import annotations

from app.coach.model import LessonRef

AIM = LessonRef("model-for-improvement", "aim-statements")
DRIVER_DIAGRAM = LessonRef("change-ideas", "driver-diagrams")
DRIVER_AND_MEASURE = LessonRef("change-ideas", "a-driver-and-a-measure")
FAMILY_OF_MEASURES = LessonRef("measuring-for-improvement", "a-family-of-measures")
PREDICTION = LessonRef("pdsa-in-practice", "plan-with-a-prediction")
STUDY_AND_ACT = LessonRef("pdsa-in-practice", "study-and-act")
RUN_CHART = LessonRef("run-charts", "building-a-run-chart")  # two points; 10 points for rules
INTERPRETING = LessonRef("run-charts", "interpreting-run-charts")  # signals, annotations, freeze
RECALCULATING = LessonRef("spc-making-data-count", "recalculating-limits")  # control chart limits

ALL = (
    AIM,
    DRIVER_DIAGRAM,
    DRIVER_AND_MEASURE,
    FAMILY_OF_MEASURES,
    PREDICTION,
    STUDY_AND_ACT,
    RUN_CHART,
    INTERPRETING,
    RECALCULATING,
)
