"""The evidence pack's content: a plain dict built from the project's rows, and nothing else.

Pure: the rows come in (see `evidence.gather`), the dict goes out. The dict is stored as canonical
JSON on the pack, and the PDF, the JSON file and the plain-text blocks are all drawn from it, so
what a trainee pastes into an ePortfolio is what the signed PDF says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

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
from app.services.projects.evidence_measures import measure_content

FORMAT = 1
ISSUER = "QI Skills"
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
