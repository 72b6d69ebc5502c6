"""The "Spot the signal" drill: seeded, replayable, and honest about what it injected."""

from __future__ import annotations

from app.services.drill import CHARTS_PER_DRILL, make_drill, score


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
