"""The driver diagram's rules: what may hang under what, order, measures, and history.

Every lookup carries the project id, so a node or measure id from another project is never
found. Each change is one transaction with its `ProjectEvent`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, delete, func, select

from app.diagrams import DriverBox, driver_svg
from app.models import ChangeIdeaMeasure, DriverNode, Measure, Project, User
from app.services.projects import history

MAX_TEXT = 400
KIND_NAMES = {"primary": "primary driver", "secondary": "secondary driver", "change": "change idea"}
PARENT_KINDS = {"primary": (), "secondary": ("primary",), "change": ("primary", "secondary")}


@dataclass
class NodeView:
    node: DriverNode
    children: list[NodeView] = field(default_factory=list)
    measure_ids: set[int] = field(default_factory=set)
    first: bool = False
    last: bool = False

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.node.kind, self.node.kind)


@dataclass
class DriverTree:
    primaries: list[NodeView]
    loose: list[NodeView]  # change ideas (or anything) whose parent is not a driver
    measures: list[Measure]
    drivers: list[DriverNode]  # every primary and secondary, for "move under" choices

    @property
    def measure_names(self) -> dict[int, str]:
        return {m.id or 0: m.name for m in self.measures}


def load_tree(db: Session, project_id: int) -> DriverTree:
    """The whole diagram in three queries: nodes, measure links, measures."""
    nodes = db.exec(
        select(DriverNode)
        .where(DriverNode.project_id == project_id)
        .order_by(col(DriverNode.position), col(DriverNode.id))
    ).all()
    links = db.exec(
        select(ChangeIdeaMeasure.node_id, ChangeIdeaMeasure.measure_id)
        .join(DriverNode, col(DriverNode.id) == ChangeIdeaMeasure.node_id)
        .where(DriverNode.project_id == project_id)
    ).all()
    measures = db.exec(
        select(Measure)
        .where(Measure.project_id == project_id)
        .order_by(col(Measure.position), col(Measure.id))
    ).all()
    views = {n.id: NodeView(n) for n in nodes}
    for node_id, measure_id in links:
        views[node_id].measure_ids.add(measure_id)
    primaries, loose = [], []
    for view in views.values():
        parent = views.get(view.node.parent_id) if view.node.parent_id else None
        if view.node.kind == "primary":
            primaries.append(view)
        elif parent is not None and parent.node.kind in PARENT_KINDS.get(view.node.kind, ()):
            parent.children.append(view)
        else:
            loose.append(view)
    for siblings in [primaries, loose, *(v.children for v in views.values())]:
        if siblings:
            siblings[0].first, siblings[-1].last = True, True
    drivers = [n for n in nodes if n.kind in ("primary", "secondary")]
    return DriverTree(primaries, loose, list(measures), drivers)


def _box(view: NodeView) -> DriverBox:
    return DriverBox(view.node.text, view.node.kind, tuple(_box(c) for c in view.children))


def diagram(tree: DriverTree, project: Project) -> str:
    when = project.aim_by_when
    aim = " ".join(
        part
        for part in (
            project.aim_what,
            project.aim_how_much,
            f"by {when.day} {when:%B %Y}" if when else "",
            f"for {project.aim_for_whom}" if project.aim_for_whom else "",
        )
        if part
    )
    return driver_svg(aim, [_box(p) for p in tree.primaries], [_box(v) for v in tree.loose])


def node_in(db: Session, project_id: int, node_id: int) -> DriverNode | None:
    return db.exec(
        select(DriverNode).where(DriverNode.id == node_id, DriverNode.project_id == project_id)
    ).first()


def text_problem(text: str) -> str | None:
    if not text.strip():
        return "Write the text of the box"
    if len(text) > MAX_TEXT:
        return f"Keep it to {MAX_TEXT} characters or fewer (it has {len(text)})"
    return None


def parent_problem(kind: str, parent: DriverNode | None) -> str | None:
    allowed = PARENT_KINDS[kind]
    if not allowed:
        return None if parent is None else "A primary driver sits directly under the aim"
    if parent is None or parent.kind not in allowed:
        under = " or ".join(KIND_NAMES[k] for k in allowed)
        return f"A {KIND_NAMES[kind]} goes under a {under}"
    return None


def _next_position(db: Session, project_id: int, parent_id: int | None, kind: str) -> int:
    query = select(func.max(DriverNode.position)).where(DriverNode.project_id == project_id)
    if parent_id is None:
        query = query.where(col(DriverNode.parent_id).is_(None), DriverNode.kind == kind)
    else:
        query = query.where(DriverNode.parent_id == parent_id)
    last = db.exec(query).one()
    return 0 if last is None else last + 1


def add_node(
    db: Session, user: User, project_id: int, kind: str, parent: DriverNode | None, text: str
) -> DriverNode | str:
    """The new node, or what is wrong with the form (text first)."""
    if kind not in PARENT_KINDS:
        return "Choose what to add"
    problem = text_problem(text) or parent_problem(kind, parent)
    if problem:
        return problem
    parent_id = parent.id if parent else None
    node = DriverNode(
        project_id=project_id,
        parent_id=parent_id,
        kind=kind,
        text=text.strip(),
        position=_next_position(db, project_id, parent_id, kind),
        author_id=user.id,
    )
    db.add(node)
    history.record(db, project_id, user, f"added a {KIND_NAMES[kind]}", node.text)
    db.commit()
    return node


def edit_node(
    db: Session, user: User, node: DriverNode, text: str, parent: DriverNode | None
) -> str | None:
    """Change the text, and for a secondary driver or change idea, the driver it hangs from."""
    problem = text_problem(text) or parent_problem(node.kind, parent)
    if problem:
        return problem
    new_parent = parent.id if parent else None
    if new_parent != node.parent_id:
        node.position = _next_position(db, node.project_id, new_parent, node.kind)
        node.parent_id = new_parent
    node.text = text.strip()
    db.add(node)
    history.record(db, node.project_id, user, f"edited a {KIND_NAMES[node.kind]}", node.text)
    db.commit()
    return None


def children_count(db: Session, node: DriverNode) -> int:
    return db.exec(
        select(func.count())
        .select_from(DriverNode)
        .where(DriverNode.project_id == node.project_id, DriverNode.parent_id == node.id)
    ).one()


def delete_node(db: Session, user: User, node: DriverNode) -> str | None:
    """Delete a box with nothing under it; otherwise refuse and say why (nothing is lost)."""
    under = children_count(db, node)
    if under:
        things = "box" if under == 1 else "boxes"
        return (
            f"“{node.text[:60]}” has {under} {things} under it. Move them under another driver "
            "or delete them first."
        )
    db.exec(delete(ChangeIdeaMeasure).where(col(ChangeIdeaMeasure.node_id) == node.id))
    history.record(
        db, node.project_id, user, f"deleted a {KIND_NAMES.get(node.kind, 'box')}", node.text
    )
    db.delete(node)
    db.commit()
    return None


def move_node(db: Session, user: User, node: DriverNode, direction: str) -> None:
    """Swap with the sibling above or below; positions are renumbered so ties cannot stick."""
    query = select(DriverNode).where(DriverNode.project_id == node.project_id)
    if node.parent_id is None:
        query = query.where(col(DriverNode.parent_id).is_(None), DriverNode.kind == node.kind)
    else:
        query = query.where(DriverNode.parent_id == node.parent_id)
    siblings = list(db.exec(query.order_by(col(DriverNode.position), col(DriverNode.id))).all())
    i = next(i for i, s in enumerate(siblings) if s.id == node.id)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(siblings):
        return
    siblings[i], siblings[j] = siblings[j], siblings[i]
    for position, sibling in enumerate(siblings):
        sibling.position = position
        db.add(sibling)
    history.record(
        db, node.project_id, user, f"moved a {KIND_NAMES[node.kind]} {direction}", node.text
    )
    db.commit()


def project_measure_ids(db: Session, project_id: int, wanted: set[int]) -> set[int]:
    if not wanted:
        return set()
    return set(
        db.exec(
            select(Measure.id).where(Measure.project_id == project_id, col(Measure.id).in_(wanted))
        ).all()
    )


def link_measures(db: Session, user: User, node: DriverNode, measure_ids: set[int]) -> None:
    """Replace the change idea's measures (the caller has checked they are this project's)."""
    db.exec(delete(ChangeIdeaMeasure).where(col(ChangeIdeaMeasure.node_id) == node.id))
    for measure_id in sorted(measure_ids):
        db.add(ChangeIdeaMeasure(node_id=node.id, measure_id=measure_id))
    count = len(measure_ids)
    detail = f"{node.text[:300]}: {count} measure{'' if count == 1 else 's'}"
    history.record(db, node.project_id, user, "linked a change idea to measures", detail)
    db.commit()
