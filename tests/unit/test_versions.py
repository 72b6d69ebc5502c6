"""Versions: the changelog and `status` in front matter, drafts, and the "updated since" rule."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from app.catalog.loader import check, load_catalog
from app.catalog.schema import Change
from app.services.records import ModuleRecord, changes_since, redoing
from tests.content_builder import MODULE_MD, lesson_md, write_module

CHANGELOG = """\
changelog:
  - date: 2026-03-01
    lesson: second
    change: major
    note: New example of a run chart.
  - date: 2026-02-01
    change: minor
    note: Typos.
"""


def module_md(extra: str = CHANGELOG, status: str = "") -> str:
    head, body = MODULE_MD.split("---\nAn introduction.")
    return head + status + extra + "---\nAn introduction." + body


def two_lessons(tmp_path: Path, module: str, second: str | None = None) -> Path:
    return write_module(
        tmp_path,
        {
            "module.md": module,
            "01-first.md": lesson_md("First", qid="q1"),
            "02-second.md": second or lesson_md("Second", qid="q2"),
        },
    )


def errors_of(path: Path) -> list[str]:
    return [f"{e.path.name}:{e.line}: {e.reason}" for e in check(path).errors]


def test_a_changelog_loads_in_order(tmp_path: Path) -> None:
    two_lessons(tmp_path, module_md())
    module = load_catalog(tmp_path).modules[0]
    assert module.changelog == (
        Change(date(2026, 3, 1), "second", True, "New example of a run chart."),
        Change(date(2026, 2, 1), None, False, "Typos."),
    )
    assert module.changelog[0].applies_to("second") and not module.changelog[0].applies_to("first")
    assert module.changelog[1].applies_to("first")


def test_changelog_errors_name_their_line(tmp_path: Path) -> None:
    bad = CHANGELOG.replace("change: major", "change: huge").replace(
        "note: Typos.", "note: Typos.\n    notes: extra"
    )
    two_lessons(tmp_path, module_md(bad))
    found = errors_of(tmp_path)
    # module.md: `changelog:` is line 13; the first entry's `change:` line 16.
    expected = "module.md:16: module front matter: changelog.0.change: Input should be 'minor' or"
    assert f"{expected} 'major'" in found, found
    assert "module.md:21: unknown key 'notes' in module front matter" in found, found


def test_a_changelog_lesson_must_exist(tmp_path: Path) -> None:
    two_lessons(tmp_path, module_md(CHANGELOG.replace("lesson: second", "lesson: secnd")))
    assert errors_of(tmp_path) == [
        "module.md:15: changelog: no lesson 'secnd' in this module (lessons: first, second)"
    ]


def test_a_changelog_date_must_be_a_date(tmp_path: Path) -> None:
    two_lessons(tmp_path, module_md(CHANGELOG.replace("2026-02-01", "2026-2-30")))
    found = errors_of(tmp_path)
    assert any(e.startswith("module.md:18:") and "date" in e for e in found), found


def test_a_changelog_entry_needs_a_note_and_a_change(tmp_path: Path) -> None:
    two_lessons(tmp_path, module_md("changelog:\n  - date: 2026-03-01\n"))
    found = errors_of(tmp_path)
    assert "module.md:14: missing required key 'changelog.0.change' in module front matter" in found
    assert "module.md:14: missing required key 'changelog.0.note' in module front matter" in found


def test_drafts_are_left_out_of_the_learners_catalog(tmp_path: Path) -> None:
    draft_lesson = lesson_md("Second", qid="q2").replace("minutes: 5", "minutes: 5\nstatus: draft")
    two_lessons(tmp_path, module_md(""), draft_lesson)
    write_module(
        tmp_path,
        {"module.md": module_md("", "status: draft\n"), "01-only.md": lesson_md("Only")},
        folder="02-hidden",
    )
    catalog = load_catalog(tmp_path)
    assert [m.slug for m in catalog.modules] == ["test", "hidden"]
    assert catalog.modules[0].lesson("second").draft and catalog.modules[1].draft
    learners = catalog.for_learners
    assert [m.slug for m in learners.modules] == ["test"]
    assert [lesson.slug for lesson in learners.modules[0].lessons] == ["first"]
    assert learners.for_learners is learners and catalog.has_drafts and not learners.has_drafts
    assert learners.lesson("test", "second") is None and learners.module("hidden") is None


def test_a_status_must_be_draft_or_published(tmp_path: Path) -> None:
    two_lessons(tmp_path, module_md("", "status: hidden\n"))
    assert any("status" in e and e.startswith("module.md:13:") for e in errors_of(tmp_path))


def test_a_catalog_without_drafts_is_its_own_learners_view(tmp_path: Path) -> None:
    two_lessons(tmp_path, module_md())
    catalog = load_catalog(tmp_path)
    assert catalog.for_learners is catalog


# ---- the "updated since you completed it" rule ----

BEFORE = datetime(2026, 2, 20, 9, 0, tzinfo=UTC)
SAME_DAY = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)


def test_a_major_change_after_the_completion_counts(tmp_path: Path) -> None:
    two_lessons(tmp_path, module_md())
    module = load_catalog(tmp_path).modules[0]
    first, second = module.lessons
    assert changes_since(module, second, BEFORE, "old") == (module.changelog[0],)
    # Completed on the change's day or later, against the current version, or not at all: no.
    assert changes_since(module, second, SAME_DAY, "old") == ()
    assert changes_since(module, second, BEFORE, second.version) == ()
    assert changes_since(module, second, None, "old") == ()
    # The change names the second lesson only; the minor, whole-module entry never counts.
    assert changes_since(module, first, BEFORE.replace(month=1), "old") == ()


def test_a_whole_module_major_change_applies_to_every_lesson(tmp_path: Path) -> None:
    whole = "changelog:\n  - date: 2026-03-01\n    change: major\n    note: Rewritten.\n"
    two_lessons(tmp_path, module_md(whole))
    module = load_catalog(tmp_path).modules[0]
    assert all(changes_since(module, lesson, BEFORE, "old") for lesson in module.lessons)


def test_the_record_lists_updated_lessons(tmp_path: Path) -> None:
    two_lessons(tmp_path, module_md())
    module = load_catalog(tmp_path).modules[0]
    record = ModuleRecord(
        module,
        lesson_versions={"first": "old", "second": "old"},
        lesson_completed_at={"first": BEFORE, "second": BEFORE},
    )
    assert record.updated_lessons == {"second": (module.changelog[0],)}


def test_redoing_is_attempts_counted_after_the_completion() -> None:
    assert redoing(BEFORE, SAME_DAY)
    assert not redoing(SAME_DAY, BEFORE)  # a completion after the redo began ends it
    assert not redoing(BEFORE, None) and not redoing(None, SAME_DAY)  # a retake clears the date
    assert redoing(BEFORE.replace(tzinfo=None), SAME_DAY)  # SQLite hands back naive times
