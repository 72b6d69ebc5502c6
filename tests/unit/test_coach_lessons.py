"""Every lesson the coach links to exists in the real course, at the URL the coach gives."""

from __future__ import annotations

from app.catalog import load_catalog
from app.coach import lessons, review
from tests.conftest import CONTENT_DIR

CATALOG = load_catalog(CONTENT_DIR)


def test_every_linked_lesson_exists_in_the_content() -> None:
    for ref in lessons.ALL:
        found = CATALOG.for_learners.lesson(ref.module, ref.lesson)
        assert found is not None, f"the coach links to a missing lesson: {ref.url}"
        assert ref.url == f"/modules/{found[0].slug}/{found[1].slug}"


def test_every_finding_links_to_a_listed_lesson() -> None:
    """A snapshot with every gap at once: each finding's lesson is one the test above checked."""
    from tests.unit.test_coach_data import EVERYTHING_WRONG

    found = review(EVERYTHING_WRONG)
    assert {f.rule for f in found} >= {
        "aim_how_much",
        "change_without_driver",
        "change_without_measure",
        "no_balancing",
        "no_prediction",
        "study_no_comparison",
        "claim_few_points",
        "two_points",
        "signal",
        "baseline_freeze",
    }
    assert all(f.lesson in lessons.ALL for f in found)
