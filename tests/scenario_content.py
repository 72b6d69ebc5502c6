"""A small valid scenario for tests (not content/: module 9 is written elsewhere)."""

from __future__ import annotations

# Line 1 of SCENARIO is the line after the opening fence. Three choices at the opening: the
# strongest path is 0 then 0 (opening -> worries -> pilot); 1 goes to "stalled", which loops back;
# 2 ends at once ("walked-away").
SCENARIO = """\
id: ward-round
title: "We've always done it this way"
intro: |
  You are an F2 on the acute medical unit.
start: opening
state:
  trust: 0
  data_shared: false
nodes:
  - id: opening
    speaker: Dr Okafor
    role: Consultant, acute medicine
    text: |
      "We've always done the ward round this way. Why change now?"
    choices:
      - text: Ask what matters most to them about the ward round.
        goto: worries
        principle: interests
        feedback: Asking about interests opens the conversation.
        set:
          trust: 1
      - text: Tell them the audit proves they are wrong.
        goto: stalled
        principle: people-problem
        feedback: Attacking the person hardens the position.
        set:
          trust: -1
      - text: Say you will take it to the medical director.
        goto: walked-away
        principle: batna
        feedback: Leading with your alternative ends the talk.
  - id: worries
    speaker: Dr Okafor
    text: |
      "I worry the juniors will miss the sick patients."
    choices:
      - text: Offer a one-week pilot with a safety measure.
        goto: pilot
        principle: options
        feedback: A small test meets their worry.
        if: trust >= 1
        set:
          data_shared: true
      - text: Say the rota cannot change anyway.
        goto: walked-away
        principle: criteria
        feedback: A fixed rota is a position, not a criterion.
  - id: stalled
    speaker: Dr Okafor
    text: '"I have heard enough."'
    choices:
      - text: Apologise and start again.
        goto: opening
        principle: psychological-safety
        feedback: Repair makes it safe to talk again.
  - id: pilot
    ending: true
    title: A one-week pilot is agreed
    debrief: |
      You focused on interests first.
  - id: walked-away
    ending: true
    title: The consultant walks away
    debrief: Threats end conversations.
strongest: [opening, worries, pilot]
"""


def scenario_block(text: str = SCENARIO) -> str:
    return f"```scenario\n{text}```\n"


MODULE = "test"
LESSON = "talk"
LESSON_URL = f"/modules/{MODULE}/{LESSON}"
PLAYER = f"{LESSON_URL}/scenarios/ward-round"


def write_content(root):
    """A one-lesson module: some text, one question and the scenario."""
    from tests.content_builder import QUESTION, lesson_md, write_module

    body = QUESTION.format(qid="q1") + "\n" + scenario_block()
    write_module(root, {"01-talk.md": lesson_md(title="Talk", body=body)})
    return root
