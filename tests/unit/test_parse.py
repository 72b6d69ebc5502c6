"""The content parser: every error names its file and line; valid content renders safely."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.catalog import ContentErrors, load_catalog
from app.catalog.loader import scan
from app.catalog.schema import QuestionBlock
from tests.content_builder import MODULE_MD, QUESTION, lesson_md, write_module


def errors_of(root: Path) -> list[tuple[str, int, str]]:
    _, errors = scan(root)
    return [(e.path.name, e.line, e.reason) for e in sorted(errors)]


def test_valid_module_loads_with_versions_and_questions(tmp_path: Path) -> None:
    write_module(tmp_path, {"01-first.md": lesson_md(), "02-second.md": lesson_md(qid="q2")})
    catalog = load_catalog(tmp_path)
    (module,) = catalog.modules
    assert module.slug == "test"
    assert [lesson.slug for lesson in module.lessons] == ["first", "second"]
    first = module.lessons[0]
    assert len(first.version) == 64
    assert first.version != module.lessons[1].version
    (question,) = first.questions
    assert question.correct_keys == {"a"}
    assert catalog.lesson("test", "second") == (module, module.lessons[1])
    assert catalog.lesson("test", "missing") is None


def test_version_changes_when_the_source_changes(tmp_path: Path) -> None:
    folder = write_module(tmp_path, {"01-first.md": lesson_md()})
    before = load_catalog(tmp_path).modules[0].lessons[0].version
    (folder / "01-first.md").write_text(lesson_md(title="A lesson, edited"))
    after = load_catalog(tmp_path).modules[0].lessons[0].version
    assert before != after


def test_bad_yaml_in_a_question_names_its_line(tmp_path: Path) -> None:
    body = "```question\nid: q1\ntype: single\nprompt: [unclosed\n```\n"
    write_module(tmp_path, {"01-first.md": lesson_md(body=body)})
    # front matter is lines 1-5, "Some text." 6, blank 7, fence 8: the YAML starts on line 9
    ((name, line, reason),) = errors_of(tmp_path)
    assert name == "01-first.md"
    assert reason.startswith("bad YAML")
    assert line == 11  # where the unclosed flow sequence began


def test_bad_yaml_in_front_matter(tmp_path: Path) -> None:
    text = "---\ntitle: ok\nminutes: : 5\n---\nBody\n"
    write_module(tmp_path, {"01-first.md": text})
    ((name, line, reason),) = errors_of(tmp_path)
    assert (name, line) == ("01-first.md", 3)
    assert "bad YAML" in reason


def test_unknown_key_names_the_key_and_its_line(tmp_path: Path) -> None:
    body = QUESTION.format(qid="q1").replace("    feedback: No.", "    feeback: No.")
    write_module(tmp_path, {"01-first.md": lesson_md(body=body)})
    errors = errors_of(tmp_path)
    assert ("01-first.md", 18, "unknown key 'feeback' in question") in errors
    assert any(e[1] == 16 and "missing required key 'options.1.feedback'" in e[2] for e in errors)


def test_duplicate_question_id_across_lessons(tmp_path: Path) -> None:
    write_module(
        tmp_path, {"01-first.md": lesson_md(qid="same"), "02-next.md": lesson_md(qid="same")}
    )
    ((name, line, reason),) = errors_of(tmp_path)
    assert (name, line) == ("02-next.md", 9)
    assert reason == "duplicate question id 'same' (first used at 01-first.md:9)"


def test_duplicate_key_in_yaml_is_an_error(tmp_path: Path) -> None:
    text = "---\ntitle: One\ntitle: Two\nminutes: 5\noutcomes: [aims]\n---\nBody\n"
    write_module(tmp_path, {"01-first.md": text})
    assert errors_of(tmp_path) == [("01-first.md", 3, "duplicate key 'title'")]


def test_question_with_no_correct_option(tmp_path: Path) -> None:
    body = QUESTION.format(qid="q1").replace("correct: true", "correct: false")
    write_module(tmp_path, {"01-first.md": lesson_md(body=body)})
    assert errors_of(tmp_path) == [
        ("01-first.md", 9, "question: a question needs at least one correct option")
    ]


def test_single_question_with_two_correct_options(tmp_path: Path) -> None:
    body = QUESTION.format(qid="q1").replace("correct: false", "correct: true")
    write_module(tmp_path, {"01-first.md": lesson_md(body=body)})
    assert errors_of(tmp_path) == [
        (
            "01-first.md",
            9,
            "question: a 'single' question must have exactly one correct option, not 2",
        )
    ]


def test_multiple_question_may_have_two_correct_options(tmp_path: Path) -> None:
    body = (
        QUESTION.format(qid="q1")
        .replace("correct: false", "correct: true")
        .replace("type: single", "type: multiple")
    )
    write_module(tmp_path, {"01-first.md": lesson_md(body=body)})
    assert errors_of(tmp_path) == []


def test_missing_title(tmp_path: Path) -> None:
    text = "---\nminutes: 5\noutcomes: [aims]\n---\nBody\n"
    write_module(tmp_path, {"01-first.md": text})
    assert errors_of(tmp_path) == [
        ("01-first.md", 2, "missing required key 'title' in lesson front matter")
    ]


def test_missing_module_title(tmp_path: Path) -> None:
    write_module(
        tmp_path,
        {"module.md": MODULE_MD.replace("title: Test module\n", ""), "01-a.md": lesson_md()},
    )
    assert errors_of(tmp_path) == [
        ("module.md", 2, "missing required key 'title' in module front matter")
    ]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("first.md", "a lesson must be a file named NN-slug.md, e.g. 01-aims.md"),
        ("01_First.md", "a lesson must be a file named NN-slug.md, e.g. 01-aims.md"),
        ("01-first.txt", "a lesson must be a file named NN-slug.md, e.g. 01-aims.md"),
    ],
)
def test_files_that_do_not_fit_the_layout(tmp_path: Path, name: str, reason: str) -> None:
    write_module(tmp_path, {"01-ok.md": lesson_md(), name: lesson_md(qid="q2")})
    assert errors_of(tmp_path) == [(name, 1, reason)]


def test_module_folder_name_and_missing_module_file(tmp_path: Path) -> None:
    write_module(tmp_path, {"01-ok.md": lesson_md()}, folder="Bad Name")
    (tmp_path / "modules" / "02-empty").mkdir()
    (tmp_path / "modules" / "stray.md").write_text("x")
    assert errors_of(tmp_path) == [
        ("02-empty", 1, "the module has no module.md"),
        ("Bad Name", 1, "a module folder must be named NN-slug, e.g. 02-run-charts"),
        ("stray.md", 1, "only module folders belong in modules/"),
    ]


def test_missing_front_matter(tmp_path: Path) -> None:
    write_module(tmp_path, {"01-first.md": "# Just markdown\n"})
    assert errors_of(tmp_path) == [
        ("01-first.md", 1, "the file must start with front matter: a line '---'")
    ]


def test_unknown_outcome_id(tmp_path: Path) -> None:
    text = lesson_md().replace("outcomes: [aims]", "outcomes: [aims, nope]")
    write_module(tmp_path, {"01-first.md": text})
    assert errors_of(tmp_path) == [
        ("01-first.md", 4, "unknown outcome id 'nope': module.md does not define it")
    ]


def test_three_different_errors_are_all_reported(tmp_path: Path) -> None:
    bad_option = QUESTION.format(qid="q2").replace("correct: true", "correct: yes please")
    write_module(
        tmp_path,
        {
            "01-first.md": lesson_md().replace("title: A lesson\n", ""),
            "02-second.md": lesson_md(body=bad_option),
            "03-third.md": lesson_md(qid="q3").replace("[aims]", "[aims, nope]"),
        },
    )
    errors = errors_of(tmp_path)
    assert [(name, line) for name, line, _ in errors] == [
        ("01-first.md", 2),
        ("02-second.md", 14),
        ("03-third.md", 4),
    ]
    assert "bool" in errors[1][2] and "options.0.correct" in errors[1][2]
    with pytest.raises(ContentErrors) as caught:
        load_catalog(tmp_path)
    assert len(caught.value.errors) == 3


def test_raw_html_is_escaped_not_rendered(tmp_path: Path) -> None:
    body = "<script>alert(1)</script>\n\n<b onclick='x()'>bold</b>\n"
    write_module(tmp_path, {"01-first.md": lesson_md(body=body)})
    html = "".join(
        b.html for b in load_catalog(tmp_path).modules[0].lessons[0].blocks if b.kind == "html"
    )
    assert "<script>" not in html and "<b " not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)", "data:text/html,x"],
)
def test_dangerous_links_are_refused(tmp_path: Path, link: str) -> None:
    body = f"Intro.\n\nSee [this]({link}) now.\n"
    write_module(tmp_path, {"01-first.md": lesson_md(body=body)})
    errors = errors_of(tmp_path)
    assert len(errors) == 1
    name, _line, reason = errors[0]
    assert name == "01-first.md" and "is refused" in reason


def test_safe_links_render(tmp_path: Path) -> None:
    body = "[IHI](https://www.ihi.org) and [next](/modules) and [mail](mailto:a@b.org)\n"
    write_module(tmp_path, {"01-first.md": lesson_md(body=body)})
    html = load_catalog(tmp_path).modules[0].lessons[0].blocks[0].html
    assert '<a href="https://www.ihi.org">IHI</a>' in html
    assert '<a href="/modules">next</a>' in html


def test_questions_split_the_lesson_into_blocks(tmp_path: Path) -> None:
    body = "Before.\n\n" + QUESTION.format(qid="q1") + "\nAfter.\n"
    write_module(tmp_path, {"01-first.md": lesson_md(body=body)})
    blocks = load_catalog(tmp_path).modules[0].lessons[0].blocks
    assert [b.kind for b in blocks] == ["html", "question", "html"]
    assert isinstance(blocks[1], QuestionBlock)
    assert "After." in blocks[2].html
