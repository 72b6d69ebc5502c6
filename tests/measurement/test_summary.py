"""Text summary and table rows: the chart's content for people who cannot see it."""

from __future__ import annotations

from app.measurement import (
    IHI,
    MDC_SINGLE_CHART_TOOL_V5,
    analyse,
    summary_sentences,
    summary_text,
    table_rows,
)

VALUES = [12, 14, 13, 15, 12, 14, 13, 15, 5, 6, 4, 5, 6, 4, 5, 13, 14, 12, 15, 13]
LABELS = [f"week {i}" for i in range(1, 21)]


def test_summary_names_the_chart_rules_centre_and_each_signal() -> None:
    sentences = summary_sentences(analyse(VALUES, "run", profile=IHI, labels=LABELS))
    assert sentences[0] == "Run chart of 20 points. Rules: IHI run chart rules."
    assert sentences[1] == "The median is 12.5."
    assert "A shift: 7 points in a row below the median, from week 9 to week 15." in sentences


def test_summary_without_signals_says_so() -> None:
    text = summary_text(analyse([5, 6, 5, 6, 5, 6, 5, 6], "run"))
    assert "No signals" in text


def test_summary_caps_the_number_of_signals_listed() -> None:
    values = [1.0, 50.0] * 20 + [100.0]
    result = analyse(values, "c")
    text = summary_sentences(result, max_signals=1)
    assert len(result.signals) > 1
    assert any(s.startswith("And ") and "see the table" in s for s in text)


def test_mdc_summary_carries_icon_and_assurance_labels() -> None:
    values = [16, 20, 22, 18, 21, 18, 26, 28, 24, 26, 19, 18, 25, 32, 43, 28, 22, 45]
    result = analyse(
        values, "i", profile=MDC_SINGLE_CHART_TOOL_V5, direction="higher_is_better", target=60
    )
    text = summary_text(result)
    assert "Special cause variation: improvement (high)." in text
    assert "Assurance: consistently fails the target." in text


def test_table_rows_have_label_value_lines_and_signal_names() -> None:
    result = analyse(VALUES, "run", profile=IHI, labels=LABELS)
    rows = table_rows(result)
    assert len(rows) == 20
    row = rows[8]
    assert (row.label, row.value, row.centre, row.lower, row.upper) == (
        "week 9",
        5,
        12.5,
        None,
        None,
    )
    assert row.signals == ("shift",) and row.variation == "special cause"
    assert rows[0].signals == () and rows[0].variation == "common cause"
