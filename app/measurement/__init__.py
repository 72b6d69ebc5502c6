"""Measurement engine: run charts, control charts and Making Data Count, with SVG charts.

Pure functions only: no database, no HTTP. Rules come from profiles (profiles.py), which hold
every difference between qicharts2 (Anhøj), the IHI rules, NHSRplotthedots and the MDC tool.
See docs/measurement.md.
"""

from app.measurement.analysis import analyse
from app.measurement.icons import assurance_icon_svg, variation_icon_svg
from app.measurement.profiles import (
    IHI,
    MDC_SINGLE_CHART_TOOL_V5,
    MDC_SINGLE_CHART_TOOL_V5_SEVEN,
    NHSR_PLOTTHEDOTS,
    PROFILES,
    QICHARTS2,
    ChartType,
    Direction,
    Profile,
    Rule,
)
from app.measurement.results import (
    Assurance,
    ChartResult,
    PartSummary,
    Signal,
    Variation,
    VariationIcon,
)
from app.measurement.summary import TableRow, summary_sentences, summary_text, table_rows
from app.measurement.svg import render_svg

__all__ = [
    "IHI",
    "MDC_SINGLE_CHART_TOOL_V5",
    "MDC_SINGLE_CHART_TOOL_V5_SEVEN",
    "NHSR_PLOTTHEDOTS",
    "PROFILES",
    "QICHARTS2",
    "Assurance",
    "ChartResult",
    "ChartType",
    "Direction",
    "PartSummary",
    "Profile",
    "Rule",
    "Signal",
    "TableRow",
    "Variation",
    "VariationIcon",
    "analyse",
    "assurance_icon_svg",
    "render_svg",
    "summary_sentences",
    "summary_text",
    "table_rows",
    "variation_icon_svg",
]
