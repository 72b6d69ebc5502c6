"""The pack's content laid out as sections of simple blocks, for the PDF and the plain text alike.

The headings follow the portfolio QI assessment forms (problem, aim, team, methods, measurement,
results, reflection, sustainability, spread), so each block pastes into the matching box of Horus,
Turas or the NHS ePortfolio. Pure: the stored content dict in, blocks out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# A block is one of:
#   ("sub", text)            a subheading
#   ("p", text)              a paragraph
#   ("field", label, text)   "Label: text"
#   ("item", level, text)    a bullet, nested by level (0, 1, 2 ...)
#   ("chart", measure)       a measure's chart (the PDF draws it; text lists the points)
Block = tuple[Any, ...]
NOTHING = "Not recorded yet."
KINDS = {"primary": "Primary driver", "secondary": "Secondary driver", "change": "Change idea"}
ACTS = {"adopt": "Adopt", "adapt": "Adapt", "abandon": "Abandon"}


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    blocks: tuple[Block, ...]


def _fields(pairs: list[tuple[str, str]]) -> list[Block]:
    return [("field", label, text) for label, text in pairs if text.strip()]


def _or_nothing(blocks: list[Block]) -> tuple[Block, ...]:
    return tuple(blocks) if blocks else (("p", NOTHING),)


def _problem(c: dict[str, Any]) -> list[Block]:
    p = c["problem"]
    return _fields(
        [("Problem", p["problem"]), ("Context", p["context"]), ("Baseline", p["baseline"])]
    )


def _aim(c: dict[str, Any]) -> list[Block]:
    aim = c["aim"]
    blocks: list[Block] = [("p", aim["statement"])] if aim["statement"] else []
    return blocks + _fields(
        [
            ("What", aim["what"]),
            ("How much", aim["how_much"]),
            ("By when", aim["by_when"]),
            ("For whom", aim["for_whom"]),
        ]
    )


def _team(c: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = [("field", "Project lead", c["lead"])]
    if c["team"]:
        blocks.append(("sub", "Team"))
        for m in c["team"]:
            left = f", left {m['left']}" if m["left"] else ""
            blocks.append(("item", 0, f"{m['name']} ({m['role']}, joined {m['joined']}{left})"))
    if c["stakeholders"]:
        blocks.append(("sub", "Stakeholders"))
        for s in c["stakeholders"]:
            role = f", {s['role']}" if s["role"] else ""
            text = f"{s['name']}{role}: {s['power']} power, {s['interest']} interest"
            blocks.append(("item", 0, text + (f". {s['notes']}" if s["notes"] else "")))
    if c["conversations"]:
        blocks.append(("sub", "Conversations"))
        for talk in c["conversations"]:
            blocks.append(("item", 0, f"{talk['held_on']}, with {talk['with']}: {talk['summary']}"))
    return blocks


def _tree(nodes: list[dict[str, Any]], level: int) -> list[Block]:
    blocks: list[Block] = []
    for node in nodes:
        blocks.append(("item", level, f"{KINDS.get(node['kind'], node['kind'])}: {node['text']}"))
        blocks += _tree(node["children"], level + 1)
    return blocks


def _methods(c: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = []
    drivers = c["drivers"]
    if drivers["diagram"] or drivers["unlinked"]:
        blocks.append(("sub", "Driver diagram"))
        if c["aim"]["statement"]:
            blocks.append(("field", "Aim", c["aim"]["statement"]))
        blocks += _tree(drivers["diagram"], 0)
        if drivers["unlinked"]:
            blocks.append(("p", "Not yet linked to a driver:"))
            blocks += _tree(drivers["unlinked"], 0)
    for cycle in c["pdsa"]:
        blocks.append(("sub", f"PDSA cycle {cycle['number']}: {cycle['change']}"))
        act = ACTS.get(cycle["act"], "")
        if act and cycle["act_notes"]:
            act = f"{act}. {cycle['act_notes']}"
        blocks += _fields(
            [
                ("Change idea", cycle["change_idea"]),
                ("Starts", cycle["starts_on"]),
                ("Who", cycle["who"]),
                ("Where", cycle["where"]),
                ("Prediction", cycle["prediction"]),
                ("Do", cycle["do"]),
                ("Study", cycle["study"]),
                ("Act", act or cycle["act_notes"]),
            ]
        )
    return blocks


def _measurement(c: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = []
    for m in c["measures"]:
        blocks.append(("sub", f"{m['name']} ({m['kind']} measure)"))
        d = m["definition"]
        blocks += _fields(
            [
                ("Numerator", d["numerator"]),
                ("Denominator", d["denominator"]),
                ("Inclusions", d["inclusions"]),
                ("Exclusions", d["exclusions"]),
                ("Data source", d["source"]),
                ("Frequency", d["frequency"]),
            ]
        )
        if m["points"]:
            blocks.append(("chart", m))
        if m["summary"]:
            blocks.append(("p", m["summary"]))
        if m["note"]:
            blocks.append(("p", m["note"]))
        for signal in m["signals"]:
            blocks.append(("item", 0, f"Signal ({signal['rule']}): {signal['text']}"))
        for note in m["annotations"]:
            blocks.append(("item", 0, f"{note['text']} (from {note['label']})"))
    return blocks


def _text(value: str) -> list[Block]:
    return [("p", value)] if value.strip() else []


def _reflection(c: dict[str, Any]) -> list[Block]:
    return [("field", f"{r['date']}, {r['author']}", r["text"]) for r in c["reflections"]]


def _handover(c: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = []
    for h in c["handovers"]:
        when = f"accepted {h['decided']}" if h["status"] == "accepted" else "pending"
        blocks.append(("sub", f"From {h['from']} to {h['to']} ({when}, proposed {h['created']})"))
        blocks += _fields(
            [
                ("What works", h["what_works"]),
                ("What next", h["what_next"]),
                ("Who to talk to", h["who_to_talk_to"]),
            ]
        )
    return blocks


def _modules(c: dict[str, Any]) -> list[Block]:
    return [
        (
            "item",
            0,
            f"{m['title']}: certificate {m['certificate_id']}, issued {m['issued_at'][:10]}",
        )
        for m in c["modules"]
    ]


def _supervision(c: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = []
    for a in c["supervision"]:
        kind = "Attestation" if a["kind"] == "attestation" else "Comment"
        signed = "" if a["signature_valid"] else " (signature not valid)"
        blocks.append(("field", f"{kind} by {a['name']}, {a['date']}{signed}", a["text"]))
    return blocks


SECTIONS = (
    ("problem", "Problem and context", _problem),
    ("aim", "Aim", _aim),
    ("team", "Team and stakeholders", _team),
    ("methods", "Methods", _methods),
    ("measurement", "Measurement over time", _measurement),
    ("results", "Results", lambda c: _text(c["results"])),
    ("reflection", "Reflection", _reflection),
    ("sustainability", "Sustainability", lambda c: _text(c["sustainability"])),
    ("spread", "Spread", lambda c: _text(c["spread"])),
    ("handover", "Handover", _handover),
    ("modules", "Completed QI modules", _modules),
    ("supervision", "Supervisor comments and attestations", _supervision),
)


def sections(content: dict[str, Any]) -> list[Section]:
    return [Section(key, heading, _or_nothing(make(content))) for key, heading, make in SECTIONS]


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.4f}".rstrip("0").rstrip(".")


def plain_text(section: Section) -> str:
    """A section as plain text, to paste into a portfolio's box: no markup, one idea a line."""
    lines: list[str] = []
    for block in section.blocks:
        kind = block[0]
        if kind == "sub":
            lines += ["", block[1]]
        elif kind == "p":
            lines.append(block[1])
        elif kind == "field":
            lines.append(f"{block[1]}: {block[2]}")
        elif kind == "item":
            lines.append("  " * block[1] + "- " + block[2])
        elif kind == "chart":
            m = block[1]
            centre = m.get("centre_name", "centre")
            lines.append(
                "Data: "
                + "; ".join(f"{p['label']} {_fmt(p['value'])}" for p in m["points"])
                + f" ({centre} {_fmt(m['points'][-1]['centre'])} at the last point)."
            )
    return "\n".join(lines).strip()
