"""A small content tree with one question of each newer type, so tests need not touch content/."""

from __future__ import annotations

from pathlib import Path

from tests.content_builder import lesson_md, write_module

MODULE = "test"
LESSON = "types"
URL = f"/modules/{MODULE}/{LESSON}"

QUESTIONS = """\
## Check your understanding

```question
id: tf
type: true-false
prompt: A run chart needs at least 10 points before its rules apply.
answer: true
feedback:
  correct: Yes. With fewer points the rules cannot tell a signal from noise.
  incorrect: It does. With fewer points the rules cannot tell a signal from noise.
explanation: Perla et al. (2011) suggest 10 or more points.
```

```question
id: median
type: numeric
prompt: "Weekly rates were 58, 62, 63 and 65%. What is their median?"
answer: 62.5
tolerance: 0.05
unit: "%"
wrong:
  - value: 62
    tolerance: 0.05
    feedback: That is the mean. The median is the middle of the sorted values.
feedback:
  correct: Right. The middle two are 62 and 63.
  incorrect: Sort the values and take the middle; with an even number, the mean of the middle two.
explanation: The median of 58, 62, 63 and 65 is (62 + 63) / 2 = 62.5.
```

```question
id: pdsa-s
type: short-text
prompt: In PDSA, what does the S stand for?
accept: [Study]
pattern: "stud(y|ies|ying)"
wrong:
  - answer: Check
    feedback: Deming preferred Study to Check, which sounds like inspection.
feedback:
  correct: Yes, Study.
  incorrect: It stands for Study.
explanation: Plan, Do, Study, Act (Langley et al., 2009).
```

```question
id: pdsa-order
type: ordering
prompt: Put the stages of a PDSA cycle in order.
items:
  - Plan
  - Do
  - text: Study
    feedback: Study the results before acting on them.
  - Act
feedback:
  correct: Yes. Plan, Do, Study, Act.
  incorrect: The cycle runs Plan, Do, Study, Act.
explanation: Each cycle tests a change on a small scale (Langley et al., 2009).
```

```question
id: measures
type: matching
prompt: Match each measure to its kind.
categories: [Outcome, Process, Balancing]
items:
  - text: Falls per 1,000 bed days
    category: Outcome
  - text: Share of patients with a falls risk assessment
    category: Process
    feedback: An assessment is something staff do, so it is a process measure.
  - text: Staff time spent on assessments
    category: Balancing
feedback:
  correct: All three right.
  incorrect: >-
    Outcome is the result for patients; process is what staff do; balancing watches
    for harm elsewhere.
explanation: A family of measures has outcome, process and balancing measures.
```
"""

RIGHT: dict[str, list[str]] = {
    "tf": ["true"],
    "median": ["62,5"],
    "pdsa-s": ["  study! "],
    "pdsa-order": ["a", "b", "c", "d"],
    "measures": ["a=1", "b=2", "c=3"],
}
WRONG: dict[str, list[str]] = {
    "tf": ["false"],
    "median": ["62,0"],
    "pdsa-s": ["Check"],
    "pdsa-order": ["b", "a", "c", "d"],
    "measures": ["a=1", "b=3", "c=2"],
}


def write_content(root: Path) -> Path:
    """content/ with module `test` and its lesson `types`; returns the content root."""
    write_module(root, {"01-types.md": lesson_md(title="Question types", body=QUESTIONS)})
    return root
