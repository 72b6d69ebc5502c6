"""Why each rule fires or not, with the engine's numbers: the feedback of `signals` questions."""

from __future__ import annotations

from app.catalog.charts import signal_options
from app.measurement import (
    IHI,
    MDC_SINGLE_CHART_TOOL_V5,
    NHSR_PLOTTHEDOTS,
    QICHARTS2,
    Rule,
    analyse,
)
from app.measurement.checks import RuleCheck, applicable_rules, rule_checks, runs_limits_note

WEEKS = [f"week {i}" for i in range(1, 21)]
# 7 below the median at weeks 9-15; 8 runs over 20 useful points.
SHIFTED = [12, 14, 13, 15, 12, 14, 13, 15, 5, 6, 4, 5, 6, 4, 5, 13, 14, 12, 15, 13]
# 11 runs, longest run 3, longest stretch one way 4: nothing fires under IHI.
NOISE = [12, 9, 14, 13, 8, 10, 15, 13, 9, 8, 11, 14, 13, 9, 10, 15, 12, 8, 9, 14]
# An I chart whose last point is far above the rest.
SPIKE = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 18]


def checks(values: list[float], chart: str = "run", **kwargs: object) -> dict[Rule, RuleCheck]:
    result = analyse(values, chart, **kwargs)  # type: ignore[arg-type]
    return {c.rule: c for c in rule_checks(result)}


def test_ihi_rules_that_do_not_fire_say_why_with_numbers() -> None:
    got = checks(NOISE, profile=IHI)
    assert list(got) == [Rule.SHIFT, Rule.TREND, Rule.FEW_RUNS, Rule.MANY_RUNS]
    assert not any(c.fired for c in got.values())
    assert got[Rule.SHIFT].text == (
        "No shift: the longest run on one side of the median is 3 points; a shift needs 6."
    )
    assert got[Rule.TREND].text == (
        "No trend: the longest stretch of points all going up or all going down is 4 points; "
        "a trend needs 5."
    )
    assert got[Rule.FEW_RUNS].text == (
        "Not too few runs: 11 runs, within the expected range of 6 to 16 for 20 useful points "
        "(Perla et al., 2011, Table 1)."
    )
    assert got[Rule.MANY_RUNS].text.startswith("Not too many runs: 11 runs, within")


def test_a_rule_that_fires_says_where() -> None:
    got = checks(SHIFTED, profile=IHI, labels=WEEKS)
    shift = got[Rule.SHIFT]
    assert shift.fired
    assert shift.text == (
        "A shift: 7 points in a row below the median, from week 9 to week 15. "
        "That is points 9 to 15 on the chart."
    )
    # With the default labels ("point 9") the sentence already gives the positions.
    plain = checks(SHIFTED, profile=IHI)[Rule.SHIFT].text
    assert plain == "A shift: 7 points in a row below the median, from point 9 to point 15."


def test_too_many_runs_explains_why_it_is_not_too_few() -> None:
    got = checks([1, 9] * 10, profile=IHI)
    assert got[Rule.MANY_RUNS].fired
    assert got[Rule.FEW_RUNS].text == (
        "Not too few runs: 20 runs is above the expected range of 6 to 16 for 20 useful points "
        "(Perla et al., 2011, Table 1): too many runs, not too few."
    )


def test_runs_under_the_table_are_not_judged() -> None:
    got = checks([3, 6, 4, 7, 5, 8, 2, 9], profile=IHI)
    text = got[Rule.FEW_RUNS].text
    assert not got[Rule.FEW_RUNS].fired
    assert text.startswith("Not judged: only 8 points lie off the median")
    assert "starts at 10" in text


def test_beyond_the_table_the_feedback_says_approximation() -> None:
    got = checks([1, 9] * 25, profile=IHI)
    assert "a binomial approximation, not the published table" in got[Rule.FEW_RUNS].text


def test_anhoej_rules_say_why_not() -> None:
    got = checks(SHIFTED, profile=QICHARTS2)
    assert list(got) == [Rule.LONG_RUN, Rule.FEW_CROSSINGS]
    assert got[Rule.LONG_RUN].text == (
        "No unusually long run: the longest run on one side of the median is 7 points; with 20 "
        "useful points, only a run longer than 7 would be unusual."
    )
    assert got[Rule.FEW_CROSSINGS].text == (
        "Not too few crossings: the line crosses the median 7 times; with 20 useful points, "
        "fewer than 6 crossings would be a signal."
    )


def test_making_data_count_rules_say_why_not() -> None:
    for profile, length in ((MDC_SINGLE_CHART_TOOL_V5, 6), (NHSR_PLOTTHEDOTS, 7)):
        got = checks(SPIKE, "i", profile=profile)
        assert list(got) == [Rule.OUTSIDE_LIMITS, Rule.SHIFT, Rule.TREND, Rule.TWO_OF_THREE]
        assert got[Rule.OUTSIDE_LIMITS].fired
        assert got[Rule.SHIFT].text == (
            "No shift: the longest run on one side of the mean is 2 points; "
            f"a shift needs {length}."
        )
        assert got[Rule.TREND].text.endswith(f"is 3 points; a trend needs {length}.")
        assert got[Rule.TWO_OF_THREE].text == (
            "No two of three beyond two sigma: no point lies between the two-sigma line and "
            "the limits."
        )


def test_no_point_outside_the_limits_names_the_nearest() -> None:
    got = checks(SPIKE[:-1], "i", profile=MDC_SINGLE_CHART_TOOL_V5)
    text = got[Rule.OUTSIDE_LIMITS].text
    assert text.startswith("No point outside the limits: every point lies within them.")
    assert "The nearest to a limit is point " in text


def test_rules_not_applied_say_so() -> None:
    short = checks(SPIKE[:12], "i", profile=MDC_SINGLE_CHART_TOOL_V5)
    assert all(c.text.startswith("Not applied: with 12 points") for c in short.values())
    mr = checks(SPIKE, "mr", profile=QICHARTS2)
    assert mr[Rule.LONG_RUN].text.startswith("Not applied: runs and trends are not judged")


def test_parts_are_described_one_by_one() -> None:
    values = [5, 6, 4, 5, 7, 3, 6, 4, 5, 6, 20, 21, 19, 22, 18, 20, 21, 19, 20, 22]
    got = checks(values, profile=QICHARTS2, parts=[10])
    assert got[Rule.LONG_RUN].text.startswith("No unusually long run: part 1: ")
    assert " part 2: " in got[Rule.LONG_RUN].text


def test_runs_limits_note_says_where_the_limits_come_from() -> None:
    assert runs_limits_note(analyse(NOISE, "run", profile=IHI)) == (
        "6 to 16 runs expected by chance for 20 useful points, from the published table "
        "(Perla et al., 2011, Table 1)."
    )
    assert "binomial approximation" in (runs_limits_note(analyse([1, 9] * 25, profile=IHI)) or "")
    assert "starts at 10" in (runs_limits_note(analyse([1, 9, 2, 8], profile=IHI)) or "")
    assert runs_limits_note(analyse(NOISE, "run", profile=QICHARTS2)) is None


def test_signal_options_carry_the_checks_as_feedback() -> None:
    result = analyse(SHIFTED, "run", profile=IHI, labels=WEEKS)
    options = signal_options(result, lambda text: text)
    assert [o.correct for o in options] == [True, False, False, False, False]
    assert options[0].feedback_html.startswith("This rule fires. A shift: 7 points")
    assert options[1].feedback_html.startswith("No trend: the longest stretch")
    assert options[-1].feedback_html == "There is a signal: shift."
    assert len(options) == len(applicable_rules(result)) + 1


def test_the_lab_shows_where_the_runs_limits_come_from() -> None:
    from app.services.lab import lab_chart
    from app.services.lab_input import parse_lab_input

    data = parse_lab_input(values_text="\n".join(map(str, NOISE)), chart="run", profile="ihi")
    drawn = lab_chart(data, "Noise")
    assert not isinstance(drawn, str)
    assert drawn.runs_note is not None and "from the published table" in drawn.runs_note
    short = lab_chart(parse_lab_input(values_text="4\n5\n6", chart="run", profile="ihi"), "")
    assert not isinstance(short, str) and short.runs_note is None  # too short: nothing judged
