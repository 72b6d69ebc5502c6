"""The "Spot the signal" drill: seeded, replayable, and honest about what it injected."""

from __future__ import annotations

import re

from app.services.drill import CHARTS_PER_DRILL, drill_views, make_drill, score

# Anything that says or shows which rule fired: rule names, signal words, signal shapes (<use>),
# the dashed centre line of a runs signal, and the table's Signals column.
GIVEAWAY = re.compile(
    r"shift|trend|runs|crossings|special cause|signal|<use |stroke-dasharray=\"10 4\"", re.I
)


def giveaways(text: str) -> list[str]:
    return GIVEAWAY.findall(text)


def test_the_same_seed_replays_the_same_charts() -> None:
    first, again = make_drill(1234), make_drill(1234)
    assert [c.values for c in first] == [c.values for c in again]
    assert [c.values for c in make_drill(1235)] != [c.values for c in first]


def test_each_drill_mixes_signals_and_noise_that_the_rules_agree_with() -> None:
    for seed in range(20):
        charts = make_drill(seed)
        assert len(charts) == CHARTS_PER_DRILL
        kinds = [c.injected for c in charts]
        assert "shift" in kinds and "trend" in kinds and kinds.count(None) >= 2
        for chart in charts:
            rules = {s.rule.value for s in chart.result.signals}
            if chart.injected is None:
                assert rules == set()
            else:
                assert chart.injected in rules


def test_scoring_counts_misses_and_false_alarms() -> None:
    charts = make_drill(7)
    truth = ["s" if c.has_signal else "n" for c in charts]
    perfect = score(charts, truth)
    assert perfect.misses == perfect.false_alarms == 0 and perfect.right == len(charts)
    flipped = score(charts, ["n" if t == "s" else "s" for t in truth])
    assert flipped.hits == flipped.correct_rejections == 0
    assert flipped.misses == truth.count("s") and flipped.false_alarms == truth.count("n")


def test_before_the_answers_the_charts_give_nothing_away() -> None:
    for seed in range(10):
        charts = make_drill(seed)
        for view in drill_views(charts, reveal=False):
            assert giveaways(view.svg) == [], (seed, giveaways(view.svg))
            assert giveaways(view.summary) == [], (seed, view.summary)
            assert view.rules == () and not view.shows_signals
            assert all(row.signals == () for row in view.rows)


def test_after_the_answers_every_signal_is_shown() -> None:
    charts = make_drill(3)
    for chart, view in zip(charts, drill_views(charts, reveal=True), strict=True):
        if chart.has_signal:
            assert view.rules and giveaways(view.svg) and giveaways(view.summary)
            assert "Special cause" in view.svg  # the legend names it
        else:
            assert view.rules == ()
