"""The published runs table (data): Perla, Provost and Murray (2011), Table 1.

"Tests for number of runs above and below the median", built from Swed and Eisenhart (1943). For n
useful points (points not on the median), fewer runs than `lower` is too few and more runs than
`upper` is too many; a count equal to a limit is not a signal.

Where these numbers come from (docs/measurement.md says more): the printed paper could not be
read with the project's search tool, so the rows were taken from a public reproduction of the
table (10 to 40 useful points) that says it is "reproduced here rather than derived", and checked
against a second, partial reproduction and the two rows the issue 12 reviewer quoted from the
paper:

- 10 -> 3 to 9 and 20 -> 6 to 16: the issue 12 reviewer, from the paper;
- 10, 14, 16, 24 and 40: a second public reproduction agrees;
- 30: DISPUTED. The first reproduction gives 11 to 22, the second 11 to 21. We keep 11 to 22 (the
  transcription of the table, not a computation) until someone checks the printed page.

The engine never computes these rows: they are data. tests/measurement/test_runs_table.py checks
that the IHI profile's limits equal this table for every n it covers.
"""

from __future__ import annotations

from types import MappingProxyType

CITATION = "Perla et al., 2011, Table 1"
"""How a sentence cites the table (the course's citation style)."""

SOURCE = (
    "Perla RJ, Provost LP, Murray SK. The run chart: a simple analytical tool for learning from "
    "variation in healthcare processes. BMJ Qual Saf 2011;20:46-51, Table 1 (from Swed F, "
    "Eisenhart C. Tables for testing randomness of grouping in a sequence of alternatives. "
    "Ann Math Stat 1943;14:66-87)"
)

PERLA_2011_TABLE_1: MappingProxyType[int, tuple[int, int]] = MappingProxyType(
    {
        # useful points: (lower limit, upper limit)
        10: (3, 9),
        11: (3, 10),
        12: (3, 11),
        13: (4, 11),
        14: (4, 12),
        15: (5, 12),
        16: (5, 13),
        17: (5, 13),
        18: (6, 14),
        19: (6, 15),
        20: (6, 16),
        21: (7, 16),
        22: (7, 17),
        23: (7, 17),
        24: (8, 18),
        25: (8, 18),
        26: (9, 19),
        27: (9, 20),
        28: (10, 20),
        29: (10, 21),
        30: (11, 22),  # disputed: a second reproduction gives (11, 21); see the module docstring
        31: (11, 22),
        32: (11, 23),
        33: (11, 24),
        34: (12, 24),
        35: (12, 25),
        36: (13, 25),
        37: (13, 26),
        38: (14, 26),
        39: (14, 27),
        40: (15, 27),
    }
)

DISPUTED_ROWS: MappingProxyType[int, str] = MappingProxyType(
    {30: "a second public reproduction gives 11 to 21; not yet checked against the printed paper"}
)

TABLES: MappingProxyType[str, MappingProxyType[int, tuple[int, int]]] = MappingProxyType(
    {"perla_2011": PERLA_2011_TABLE_1}
)
"""Tables a profile may name in `Profile.runs_table`."""
