"""Chart blocks and 'signals' questions: drawn by the measurement engine once, at load time."""

from __future__ import annotations

from collections.abc import Callable

from app.catalog.schema import ChartSpec, ChartView, Option
from app.measurement import (
    PROFILES,
    ChartResult,
    Rule,
    analyse,
    assurance_icon_svg,
    render_svg,
    variation_icon_svg,
)
from app.measurement.checks import applicable_rules, rule_checks
from app.measurement.summary import summary_text, table_rows, without_signals

NO_SIGNAL = "No signal: only random (common cause) variation"


class ChartError(ValueError):
    """A chart the engine cannot draw; the message is for the author."""


def analyse_spec(spec: ChartSpec) -> ChartResult:
    profile = PROFILES.get(spec.profile)
    if profile is None:
        raise ChartError(f"unknown profile '{spec.profile}': use one of {', '.join(PROFILES)}")
    if spec.labels is not None and len(spec.labels) != len(spec.values):
        raise ChartError(f"{len(spec.labels)} labels for {len(spec.values)} values")
    try:
        return analyse(
            spec.values,
            spec.chart,
            profile=profile,
            denominators=spec.denominators,
            labels=spec.labels,
            freeze=spec.freeze,
            parts=[p - 1 for p in spec.parts],
            exclude=[p - 1 for p in spec.exclude],
            direction=spec.direction,
            target=spec.target,
        )
    except ValueError as exc:
        raise ChartError(str(exc)) from exc


def build_chart(spec: ChartSpec) -> ChartView:
    result = analyse_spec(spec)
    for note in spec.annotations:
        if note.at > result.n:
            raise ChartError(f"annotation at point {note.at}, but the chart has {result.n} points")
    annotations = {note.at - 1: note.text for note in spec.annotations}
    return view_of(result, spec.title, annotations)


def view_of(
    result: ChartResult, title: str, annotations: dict[int, str], *, reveal: bool = True
) -> ChartView:
    """The chart as drawn for a page; reveal=False hides every signal, for asking about it."""
    return ChartView(
        title=title,
        svg=render_svg(result, title=title, annotations=annotations, reveal=reveal),
        summary=summary_text(result, reveal=reveal),
        rows=tuple(table_rows(result if reveal else without_signals(result))),
        has_limits=result.has_limits,
        centre_name=result.centre_name,
        rules=tuple(dict.fromkeys(s.rule.value for s in result.signals)) if reveal else (),
        icons=mdc_icons(result) if reveal else (),
        shows_signals=reveal,
    )


def mdc_icons(result: ChartResult) -> tuple[tuple[str, str], ...]:
    """The variation and assurance icons, only where the profile is Making Data Count."""
    if not result.profile.mdc_icons:
        return ()
    icons = []
    if result.variation_icon is not None:
        icons.append((variation_icon_svg(result.variation_icon), result.variation_icon.label))
    if result.assurance is not None:
        icons.append((assurance_icon_svg(result.assurance), result.assurance.label))
    return tuple(icons)


def neutral_view(result: ChartResult, title: str, annotations: dict[int, str]) -> ChartView:
    """The chart as a question asks it: drawn and described without giving the answer away."""
    return view_of(result, title, annotations, reveal=False)


def possible_rules(result: ChartResult) -> list[Rule]:
    """The rules this profile applies to this chart type, in the profile's own order."""
    return applicable_rules(result)


def signal_options(result: ChartResult, render_inline: Callable[[str], str]) -> tuple[Option, ...]:
    """One option per rule the profile applies, plus "no signal"; the engine decides which hold.

    Each option's feedback comes from the engine: where a rule fires (its signal sentences and the
    points), or why it does not, with the numbers it computed ("the longest run on one side of the
    median is 4 points; a shift needs 6").
    """
    checks = rule_checks(result)
    options = []
    for i, check in enumerate(checks):
        text = check.rule.value[0].upper() + check.rule.value[1:]
        feedback = f"This rule fires. {check.text}" if check.fired else check.text
        options.append(
            Option(chr(ord("a") + i), render_inline(text), check.fired, render_inline(feedback))
        )
    fired = [c.rule.value for c in checks if c.fired]
    none_correct = not fired
    none_feedback = (
        "Right: no rule fires, so treat the variation as noise."
        if none_correct
        else "There is a signal: " + "; ".join(fired) + "."
    )
    options.append(
        Option(
            chr(ord("a") + len(options)),
            render_inline(NO_SIGNAL),
            none_correct,
            render_inline(none_feedback),
        )
    )
    return tuple(options)
