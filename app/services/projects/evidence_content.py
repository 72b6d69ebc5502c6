"""The evidence pack's content: a plain dict built from the project's rows, and nothing else.

Pure: the rows come in (see `evidence.gather`), the dict goes out. The dict is stored as canonical
JSON on the pack, and the PDF, the JSON file and the plain-text blocks are all drawn from it, so
what a trainee pastes into an ePortfolio is what the signed PDF says.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.measurement import analyse, summary_sentences
from app.measurement.results import ChartResult
from app.models import (
    Conversation,
    DriverNode,
    Handover,
    Measure,
    PdsaCycle,
    Project,
    ProjectAttestation,
    ProjectMember,
    ProjectReflection,
    Stakeholder,
)
from app.services.certificates import iso_z
from app.services.lab import too_few_text
from app.services.lab_input import LabInput, parse_lab_input

FORMAT = 1
ISSUER = "QI Skills"
DIGITS = 4  # plotted numbers keep 4 decimals: enough to redraw, short enough to read
FORMER = "a former user"  # an author whose account was deleted


@dataclass
class EvidenceRows:
    """Everything the pack states, as read in one go. Names are looked up by user id."""

    project: Project
    names: dict[int, str]
    members: list[ProjectMember] = field(default_factory=list)
    stakeholders: list[Stakeholder] = field(default_factory=list)
    conversations: list[Conversation] = field(default_factory=list)
    nodes: list[DriverNode] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    cycles: list[PdsaCycle] = field(default_factory=list)
    reflections: list[ProjectReflection] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)
    attestations: list[tuple[ProjectAttestation, bool]] = field(default_factory=list)
    certificates: list[dict[str, str]] = field(default_factory=list)  # id, title, issued_at


def _name(rows: EvidenceRows, user_id: int | None) -> str:
    return rows.names.get(user_id, FORMER) if user_id is not None else FORMER


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()


# ---- labels that are dates, so PDSA cycles land on the right point ----------------------------

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_UK = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$")


def label_date(label: str) -> date | None:
    """A point's label as a date: 2026-01-05, 05/01/2026 (day first, as in the UK) or
    5 Jan 2026. Anything else ("Week 3") is not a date."""
    text = label.strip()
    try:
        if m := _ISO.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _UK.match(text):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if (m := _WORDS.match(text)) and m[2].lower() in _MONTHS:
            return date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    except ValueError:  # 31/02/2026
        return None
    return None


def cycle_points(labels: tuple[str, ...], cycles: list[PdsaCycle]) -> list[dict[str, Any]]:
    """Each cycle on the first point whose label is a date on or after the cycle's start."""
    dates = [label_date(label) for label in labels]
    found = []
    for cycle in cycles:
        if cycle.starts_on is None:
            continue
        point = next((i for i, d in enumerate(dates) if d and d >= cycle.starts_on), None)
        if point is not None:
            text = f"PDSA {cycle.number}: {cycle.change}"
            found.append({"point": point, "label": labels[point], "text": text})
    return found


# ---- measures -------------------------------------------------------------------------------


def _num(value: float | None) -> float | None:
    return None if value is None else round(float(value), DIGITS)


def _input(measure: Measure) -> LabInput:
    return parse_lab_input(
        values_text=measure.values_text,
        labels_text=measure.labels_text,
        denominators_text=measure.denominators_text,
        chart=measure.chart,
        profile=measure.profile,
        direction=measure.direction,
        freeze_text=measure.freeze_text,
        parts_text=measure.parts_text,
        exclude_text=measure.exclude_text,
    )


def _analyse(data: LabInput) -> ChartResult:
    """As the lab does it: a learner counts points from 1, the engine from 0."""
    return analyse(
        data.values,
        data.chart,
        profile=data.profile_obj,
        denominators=data.denominators,
        labels=data.labels,
        freeze=data.freeze,
        parts=[p - 1 for p in data.parts],
        exclude=[p - 1 for p in data.exclude],
        direction=data.direction,
        target=data.target,
    )


def _marked(result: ChartResult, i: int) -> bool:
    """Part of a point-level signal; runs and crossings judge a whole part, not its points."""
    return result.outside_limits[i] or any(not r.whole_part for r in result.point_rules[i])


def measure_content(measure: Measure, cycles: list[PdsaCycle]) -> dict[str, Any]:
    """One measure: its definition, its points and what the chart engine says about them."""
    out: dict[str, Any] = {
        "name": measure.name,
        "kind": measure.kind,
        "definition": {
            "numerator": measure.numerator,
            "denominator": measure.denominator,
            "inclusions": measure.inclusions,
            "exclusions": measure.exclusions,
            "source": measure.source,
            "frequency": measure.frequency,
        },
        "chart": measure.chart,
        "profile": measure.profile,
        "direction": measure.direction,
        "points": [],
        "signals": [],
        "annotations": [],
        "summary": "",
        "note": "",
    }
    data = _input(measure)
    if not data.ok:
        out["note"] = "No data yet." if not data.values_text.strip() else "The data cannot be read."
        return out
    try:
        result = _analyse(data)
    except ValueError as exc:
        out["note"] = f"The chart could not be drawn: {exc}"
        return out
    reveal = not data.too_few
    out["centre_name"] = result.centre_name
    out["points"] = [
        {
            "label": result.labels[i],
            "value": _num(result.values[i]),
            "centre": _num(result.centre[i]),
            "lower": _num(result.lower[i]),
            "upper": _num(result.upper[i]),
            "signal": reveal and _marked(result, i),
        }
        for i in range(result.n)
    ]
    if reveal:
        out["signals"] = [
            {
                "rule": s.rule.value,
                "points": [result.labels[i] for i in s.indices],
                "text": s.explanation,
            }
            for s in result.signals
        ]
    else:
        out["note"] = too_few_text(data.present)
    said = {s.explanation for s in result.signals}  # listed one by one above, not twice
    out["summary"] = " ".join(s for s in summary_sentences(result, reveal=reveal) if s not in said)
    out["annotations"] = cycle_points(result.labels, cycles)
    return out


# ---- the whole pack -------------------------------------------------------------------------


def _drivers(nodes: list[DriverNode]) -> dict[str, list[dict[str, Any]]]:
    """The driver diagram as nested lists, and the nodes that hang from nothing."""
    ordered = sorted(nodes, key=lambda n: (n.position, n.id or 0))
    ids = {n.id for n in nodes}
    children: dict[int | None, list[DriverNode]] = {}
    for node in ordered:
        parent = node.parent_id if node.parent_id in ids else None
        children.setdefault(parent, []).append(node)
    seen: set[int | None] = set()

    def tree(node: DriverNode) -> dict[str, Any]:
        seen.add(node.id)
        kids = [tree(k) for k in children.get(node.id, []) if k.id not in seen]
        return {"kind": node.kind, "text": node.text, "children": kids}

    roots = children.get(None, [])
    diagram = [tree(n) for n in roots if n.kind == "primary"]
    unlinked = [tree(n) for n in roots if n.kind != "primary"]
    return {"diagram": diagram, "unlinked": unlinked}


def _aim(project: Project) -> dict[str, str]:
    parts = {
        "what": project.aim_what,
        "how_much": project.aim_how_much,
        "by_when": _day(project.aim_by_when),
        "for_whom": project.aim_for_whom,
    }
    words = [project.aim_what.strip(), project.aim_how_much.strip()]
    if project.aim_by_when:
        words.append(f"by {project.aim_by_when:%d %B %Y}")
    if project.aim_for_whom.strip():
        words.append(f"for {project.aim_for_whom.strip()}")
    parts["statement"] = " ".join(w for w in words if w)
    return parts


def _cycle(rows: EvidenceRows, cycle: PdsaCycle, ideas: dict[int, str]) -> dict[str, Any]:
    return {
        "number": cycle.number,
        "change": cycle.change,
        "change_idea": ideas.get(cycle.change_idea_id, "") if cycle.change_idea_id else "",
        "who": cycle.who,
        "where": cycle.where,
        "starts_on": _day(cycle.starts_on),
        "prediction": cycle.prediction,
        "do": cycle.do_notes,
        "study": cycle.study,
        "act": cycle.act,
        "act_notes": cycle.act_notes,
        "author": _name(rows, cycle.author_id),
    }


def build_content(
    rows: EvidenceRows, *, pack_id: str, generated_at: datetime, verify_url: str, by: str
) -> dict[str, Any]:
    """The pack, as a dict of plain values: what is signed, stored and printed."""
    project = rows.project
    cycles = sorted(rows.cycles, key=lambda c: c.number)
    ideas = {n.id: n.text for n in rows.nodes if n.id is not None}
    stakeholder_names = {s.id: s.name for s in rows.stakeholders}
    return {
        "format": FORMAT,
        "id": pack_id,
        "issuer": ISSUER,
        "generated_at": iso_z(generated_at),
        "generated_by": by,
        "verify_url": verify_url,
        "project": {"title": project.title, "status": project.status},
        "lead": _name(rows, project.lead_id),
        "problem": {
            "problem": project.problem,
            "context": project.context,
            "baseline": project.baseline,
        },
        "aim": _aim(project),
        "team": [
            {
                "name": _name(rows, m.user_id),
                "role": m.role,
                "joined": _day(m.joined_at),
                "left": _day(m.ended_at),
            }
            for m in sorted(rows.members, key=lambda m: (m.joined_at, m.id or 0))
        ],
        "stakeholders": [
            {
                "name": s.name,
                "role": s.role,
                "power": s.power,
                "interest": s.interest,
                "notes": s.notes,
            }
            for s in sorted(rows.stakeholders, key=lambda s: (s.name.lower(), s.id or 0))
        ],
        "conversations": [
            {
                "held_on": _day(c.held_on),
                "with": stakeholder_names.get(c.stakeholder_id, "the team")
                if c.stakeholder_id
                else "the team",
                "summary": c.summary,
            }
            for c in sorted(rows.conversations, key=lambda c: (c.held_on, c.id or 0))
        ],
        "drivers": _drivers(rows.nodes),
        "pdsa": [_cycle(rows, c, ideas) for c in cycles],
        "measures": [
            measure_content(m, cycles)
            for m in sorted(rows.measures, key=lambda m: (m.position, m.id or 0))
        ],
        "results": project.results,
        "reflections": [
            {"author": _name(rows, r.author_id), "date": _day(r.created_at), "text": r.text}
            for r in sorted(rows.reflections, key=lambda r: (r.created_at, r.id or 0))
        ],
        "sustainability": project.sustainability,
        "spread": project.spread,
        "handovers": [
            {
                "from": _name(rows, h.from_user_id),
                "to": _name(rows, h.to_user_id),
                "status": h.status,
                "created": _day(h.created_at),
                "decided": _day(h.decided_at),
                "what_works": h.what_works,
                "what_next": h.what_next,
                "who_to_talk_to": h.who_to_talk_to,
            }
            for h in sorted(rows.handovers, key=lambda h: (h.created_at, h.id or 0))
            if h.status in ("accepted", "pending")
        ],
        "modules": sorted(rows.certificates, key=lambda c: (c["issued_at"], c["certificate_id"])),
        "supervision": [_attestation(a, ok) for a, ok in rows.attestations],
    }


def _attestation(row: ProjectAttestation, signed: bool) -> dict[str, Any]:
    """As signed: the payload is the source, so the pack repeats exactly what was attested."""
    payload = json.loads(row.payload)
    return {
        "kind": payload["kind"],
        "name": payload["supervisor"],
        "date": payload["created_at"][:10],
        "text": payload["text"],
        "signature_valid": signed,
    }
