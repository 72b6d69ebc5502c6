"""Front matter and question blocks -> validated specs and rendered blocks, with line numbers."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from markdown_it.token import Token

from app.catalog.charts import (
    ChartError,
    analyse_spec,
    build_chart,
    neutral_view,
    signal_options,
    view_of,
)
from app.catalog.errors import ContentError
from app.catalog.render import make_markdown, render_inline, render_tokens
from app.catalog.schema import (
    TYPED_SPECS,
    Block,
    Category,
    ChartBlock,
    ChartSpec,
    ChartView,
    HtmlBlock,
    Item,
    LessonSpec,
    MatchingSpec,
    ModuleSpec,
    NamedText,
    NumberBand,
    NumericSpec,
    Option,
    OrderingSpec,
    Question,
    QuestionBlock,
    QuestionSpec,
    QuestionType,
    ScenarioSpec,
    ShortTextSpec,
    TrueFalseSpec,
    _TypedSpec,
)
from app.catalog.yamlmap import YamlDoc, load_yaml, validate
from app.scenarios import build as scenario_build
from app.scenarios.model import Scenario, ScenarioBlock

FENCE = "---"
QUESTION_INFO = "question"
CHART_INFO = "chart"
SCENARIO_INFO = "scenario"


@dataclass
class Source:
    """A file split into its front matter and body, remembering where each began."""

    path: Path
    raw: bytes
    front: str
    front_line: int  # 1-based line of the first front-matter line
    body: str
    body_line: int  # 1-based line of the first body line

    @property
    def version(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


@dataclass
class ParsedModule:
    spec: ModuleSpec
    intro_html: str
    version: str
    links: list[tuple[str, int]] = field(default_factory=list)  # (url, line) of kept links
    lines: dict[tuple, int] = field(default_factory=dict)  # front-matter path -> line


@dataclass
class ParsedQuestion:
    question: Question
    line: int  # line of its id, for duplicate-id errors


@dataclass
class ParsedScenario:
    scenario: Scenario
    line: int  # line of its id: scenario ids share the module's namespace with question ids


@dataclass
class ParsedLesson:
    spec: LessonSpec | None  # None when the front matter is invalid; questions still count
    blocks: list[Block]
    questions: list[ParsedQuestion]
    version: str
    lines: dict[str, int] = field(default_factory=dict)  # front-matter key -> line
    links: list[tuple[str, int]] = field(default_factory=list)  # (url, line) of kept links
    scenarios: list[ParsedScenario] = field(default_factory=list)


def read_source(path: Path) -> tuple[Source | None, list[ContentError]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [ContentError(path, line, "the file is not valid UTF-8", "encoding")]
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != FENCE:
        return None, [
            ContentError(
                path, 1, "the file must start with front matter: a line '---'", "front-matter"
            )
        ]
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n").rstrip() == FENCE:
            front = "".join(lines[1:i])
            body = "".join(lines[i + 1 :])
            return Source(path, raw, front, 2, body, i + 2), []
    return None, [
        ContentError(
            path, 1, "front matter is not closed: add a line '---' after it", "front-matter"
        )
    ]


def parse_module(path: Path) -> tuple[ParsedModule | None, list[ContentError]]:
    source, errors = read_source(path)
    if source is None:
        return None, errors
    doc, errors = load_yaml(source.front, path, source.front_line)
    if doc is None:
        return None, errors
    spec, invalid = validate(ModuleSpec, doc, path, "module front matter")
    errors += invalid
    refused: list[str] = []
    kept: list[str] = []
    md = make_markdown(refused.append, kept.append)
    intro = render_tokens(md, md.parse(source.body, {}), {})
    errors += _refused_link_errors(source, refused)
    if spec is not None:
        errors += _duplicate_ids(path, doc.lines, "outcomes", [o.id for o in spec.outcomes])
        errors += _duplicate_ids(path, doc.lines, "references", [r.id for r in spec.references])
    if errors or spec is None:
        return None, errors
    return ParsedModule(spec, intro, source.version, _link_lines(source, kept), dict(doc.lines)), []


def parse_lesson(path: Path) -> tuple[ParsedLesson | None, list[ContentError]]:
    source, errors = read_source(path)
    if source is None:
        return None, errors
    doc, errors = load_yaml(source.front, path, source.front_line)
    spec = None
    if doc is not None:
        spec, invalid = validate(LessonSpec, doc, path, "lesson front matter")
        errors += invalid
    refused: list[str] = []
    kept: list[str] = []
    md = make_markdown(refused.append, kept.append)
    env: dict = {}
    blocks: list[Block] = []
    questions: list[ParsedQuestion] = []
    scenarios: list[ParsedScenario] = []
    pending: list[Token] = []

    def flush() -> None:
        if pending:
            blocks.append(HtmlBlock(render_tokens(md, pending, env)))
            pending.clear()

    for token in md.parse(source.body, env):
        info = token.info.strip() if token.type == "fence" else ""
        if info in (QUESTION_INFO, CHART_INFO, SCENARIO_INFO):
            flush()
            assert token.map is not None
            first = source.body_line + token.map[0] + 1  # the line after the opening fence
            if info == QUESTION_INFO:
                parsed, q_errors = _parse_question(md, token.content, path, first)
                errors += q_errors
                if parsed is not None:
                    questions.append(parsed)
                    blocks.append(QuestionBlock(parsed.question))
            elif info == SCENARIO_INFO:
                played, s_errors = _parse_scenario(md, token.content, path, first)
                errors += s_errors
                if played is not None:
                    scenarios.append(played)
                    blocks.append(ScenarioBlock(played.scenario))
            else:
                chart, c_errors = _parse_chart(token.content, path, first)
                errors += c_errors
                if chart is not None:
                    blocks.append(ChartBlock(chart))
        else:
            pending.append(token)
    flush()
    errors += _refused_link_errors(source, refused)
    lines = {str(k[0]): v for k, v in doc.lines.items() if len(k) == 1} if doc else {}
    links = _link_lines(source, kept)
    parsed_lesson = ParsedLesson(spec, blocks, questions, source.version, lines, links, scenarios)
    return parsed_lesson, errors


def _parse_scenario(
    md, text: str, path: Path, first_line: int
) -> tuple[ParsedScenario | None, list[ContentError]]:
    """A ```scenario block: the schema first, then the graph (app/scenarios/build.py)."""
    doc, errors = load_yaml(text, path, first_line)
    if doc is None:
        return None, errors
    spec, invalid = validate(ScenarioSpec, doc, path, "scenario")
    errors += invalid
    if spec is None or errors:
        return None, errors
    found = scenario_build.problems(spec)
    if found:
        return None, [
            ContentError(path, doc.line_of(loc), f"scenario '{spec.id}': {reason}", "scenario")
            for loc, reason in found
        ]
    env: dict = {}
    scenario = scenario_build.build(
        spec,
        lambda markdown: render_tokens(md, md.parse(markdown, env), env),
        partial(render_inline, md),
    )
    return ParsedScenario(scenario, doc.line_of(("id",))), []


def _parse_question(
    md, text: str, path: Path, first_line: int
) -> tuple[ParsedQuestion | None, list[ContentError]]:
    doc, errors = load_yaml(text, path, first_line)
    if doc is None:
        return None, errors
    kind = doc.data.get("type") if isinstance(doc.data, dict) else None
    typed = TYPED_SPECS.get(kind) if isinstance(kind, str) else None
    if typed is not None:
        return _parse_typed(md, typed, doc, path, errors)
    spec, invalid = validate(QuestionSpec, doc, path, "question")
    errors += invalid
    if spec is None or errors:
        return None, errors
    chart = chart_answer = None
    if spec.chart is not None:
        notes = {n.at - 1: n.text for n in spec.chart.annotations}
        try:
            result = analyse_spec(spec.chart)
            chart = neutral_view(result, spec.chart.title, notes)
            chart_answer = view_of(result, spec.chart.title, notes)
        except ChartError as exc:
            return None, [ContentError(path, doc.line_of(("chart",)), f"chart: {exc}", "chart")]
        options = signal_options(result, lambda text: render_inline(md, text))
    else:
        assert spec.options is not None
        options = tuple(
            Option(
                key=chr(ord("a") + i),
                html=render_inline(md, o.text),
                correct=o.correct,
                feedback_html=render_inline(md, o.feedback),
                pinned=o.pin,
            )
            for i, o in enumerate(spec.options)
        )
    question = Question(
        id=spec.id,
        type=spec.type,
        prompt_html=render_inline(md, spec.prompt),
        options=options,
        explanation_html=render_inline(md, spec.explanation),
        chart=chart,
        chart_answer=chart_answer,
    )
    return ParsedQuestion(question, doc.line_of(("id",))), []


def _parse_typed(
    md, model: type[_TypedSpec], doc: YamlDoc, path: Path, errors: list[ContentError]
) -> tuple[ParsedQuestion | None, list[ContentError]]:
    """true-false, numeric, short-text, ordering and matching: validated by their own model
    (so a key another type takes is an unknown key here), then checked across keys."""
    what = f"{doc.data['type']} question"
    spec, invalid = validate(model, doc, path, what)
    errors = errors + invalid
    if spec is not None:
        errors += [
            ContentError(path, doc.line_of(loc), f"{what}: {reason}")
            for loc, reason in spec.problems()
        ]
    if spec is None or errors:
        return None, errors
    inline = partial(render_inline, md)
    question = Question(
        id=spec.id,
        type=QuestionType(spec.type),
        prompt_html=inline(spec.prompt),
        options=(),
        explanation_html=inline(spec.explanation),
        correct_html=inline(spec.feedback.correct),
        incorrect_html=inline(spec.feedback.incorrect),
    )
    question = replace(question, **_typed_fields(spec, inline, question))
    return ParsedQuestion(question, doc.line_of(("id",))), []


def _typed_fields(spec: _TypedSpec, inline: Callable[[str], str], q: Question) -> dict:
    """The fields of `Question` that only one type fills."""
    if isinstance(spec, TrueFalseSpec):
        feedback = {True: q.correct_html, False: q.incorrect_html}
        options = tuple(
            Option(key, label, spec.answer is value, feedback[spec.answer is value], pinned=True)
            for key, label, value in (("true", "True", True), ("false", "False", False))
        )
        return {"options": options}
    if isinstance(spec, NumericSpec):
        wrong = tuple(
            NumberBand(w.value - w.tolerance, w.value + w.tolerance, inline(w.feedback))
            for w in spec.wrong
        )
        return {"band": NumberBand(*spec.band()), "unit": spec.unit, "wrong_bands": wrong}
    if isinstance(spec, ShortTextSpec):
        wrong_texts = tuple(NamedText(w.answer, inline(w.feedback)) for w in spec.wrong)
        return {"accept": tuple(spec.accept), "pattern": spec.pattern, "wrong_texts": wrong_texts}
    if isinstance(spec, OrderingSpec):
        return {"items": _items(spec.items, inline)}
    assert isinstance(spec, MatchingSpec)
    keys = {text: str(i + 1) for i, text in enumerate(spec.categories)}
    categories = tuple(Category(key, inline(text)) for text, key in keys.items())
    items = _items(spec.items, inline, [keys[i.category] for i in spec.items])
    return {"items": items, "categories": categories}


def _items(specs: Sequence, inline: Callable[[str], str], categories: Sequence[str] = ()):
    return tuple(
        Item(
            key=chr(ord("a") + i),
            html=inline(item.text),
            feedback_html=inline(item.feedback) if item.feedback else "",
            category=categories[i] if categories else "",
        )
        for i, item in enumerate(specs)
    )


def _parse_chart(
    text: str, path: Path, first_line: int
) -> tuple[ChartView | None, list[ContentError]]:
    doc, errors = load_yaml(text, path, first_line)
    if doc is None:
        return None, errors
    spec, invalid = validate(ChartSpec, doc, path, "chart")
    errors += invalid
    if spec is None or errors:
        return None, errors
    try:
        return build_chart(spec), []
    except ChartError as exc:
        return None, [ContentError(path, first_line, f"chart: {exc}", "chart")]


def _duplicate_ids(path: Path, lines: dict, key: str, ids: list[str]) -> list[ContentError]:
    seen: set[str] = set()
    errors = []
    for i, ident in enumerate(ids):
        if ident in seen:
            line = lines.get((key, i, "id"), lines.get((key,), 1))
            reason = f"duplicate {key[:-1]} id '{ident}'"
            errors.append(ContentError(path, line, reason, "duplicate-id"))
        seen.add(ident)
    return errors


def _line_of(source: Source, url: str) -> int:
    """The body line a link's URL first appears on (markdown-it gives no inline positions)."""
    body_lines = source.body.splitlines()
    offset = next((i for i, text in enumerate(body_lines) if url in text), 0)
    return source.body_line + offset


def _link_lines(source: Source, urls: list[str]) -> list[tuple[str, int]]:
    return [(url, _line_of(source, url)) for url in dict.fromkeys(urls)]


def _refused_link_errors(source: Source, refused: list[str]) -> list[ContentError]:
    return [
        ContentError(
            source.path,
            _line_of(source, url),
            f"link '{url[:60]}' is refused: use http(s), mailto or a relative link",
            "refused-link",
        )
        for url in dict.fromkeys(refused)
    ]
