"""The coach panel partial: every finding listed with its severity in words, the message
escaped, and a link to its lesson."""

from __future__ import annotations

from app.coach import Finding, LessonRef, Severity
from app.templating import make_templates


def render(findings: list[Finding]) -> str:
    env = make_templates("test").env
    return env.get_template("partials/_project_coach.html").render(coach_findings=findings)


def test_findings_are_listed_escaped_with_their_lessons() -> None:
    lesson = LessonRef("model-for-improvement", "aim-statements", "Writing an aim statement")
    html = render(
        [
            Finding(Severity.WARNING, "The change idea “<b>x</b>” …", "change idea", lesson),
            Finding(Severity.GOOD, "A shift began 2 weeks after PDSA 2.", "measure", None),
        ]
    )
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert '<a href="/modules/model-for-improvement/aim-statements">' in html
    assert "Lesson: Writing an aim statement" in html
    assert "To do" in html and "Good sign" in html
    assert html.count("<li") == 2


def test_no_findings_says_so() -> None:
    assert "nothing to point out" in render([])
