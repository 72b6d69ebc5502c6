"""The SVG diagrams: well-formed XML, every node present, text escaped, labelled for screen
readers, and drawn at a readable natural size (never shrunk to a phone's width)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.diagrams import DriverBox, Person, driver_svg, stakeholder_svg

NS = "{http://www.w3.org/2000/svg}"
NASTY = "Drip & <script>alert(\"x\")</script> 'quoted'"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything not well-formed


def texts(root: ET.Element) -> str:
    """All visible text, with wrapped lines joined by spaces."""
    return " ".join(
        " ".join(span.text or "" for span in text.iter(f"{NS}tspan")) or (text.text or "")
        for text in root.iter(f"{NS}text")
    )


def labelled(root: ET.Element, svg_id: str) -> None:
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{svg_id}-title {svg_id}-desc"
    assert root.find(f"{NS}title").get("id") == f"{svg_id}-title"
    assert root.find(f"{NS}desc").get("id") == f"{svg_id}-desc"
    # Natural size: width equals the viewBox width, and text is at least 13 px.
    assert root.get("viewBox").split()[2] == root.get("width")
    assert all(int(t.get("font-size")) >= 13 for t in root.iter(f"{NS}text"))


TREE = (
    DriverBox(
        "Reliable recognition of sepsis at triage",
        "primary",
        (
            DriverBox(
                "Screening tool used for every adult",
                "secondary",
                (DriverBox("Sepsis prompt on the triage form", "change"),),
            ),
            DriverBox("Escalation", "secondary"),
        ),
    ),
    DriverBox(NASTY, "primary", (DriverBox("Antibiotic boxes in resus", "change"),)),
)


def test_driver_diagram_has_every_node_and_connector() -> None:
    svg = driver_svg(
        "Antibiotics within 1 hour for 90% of adults by March 2027",
        TREE,
        (DriverBox("Posters", "change"),),
    )
    root = parse(svg)
    labelled(root, "driver-diagram")
    words = texts(root)
    for name in (
        "Aim",
        "Primary drivers",
        "Secondary drivers",
        "Change ideas",
        "Escalation",
        "Sepsis prompt on the triage",
        "Antibiotic boxes in resus",
        "Posters",
        "Not linked to a driver",
    ):
        assert name in words, name
    kinds = [g.get("class") for g in root.iter(f"{NS}g") if g.get("class")]
    assert kinds.count("qi-driver qi-driver--primary") == 2
    assert kinds.count("qi-driver qi-driver--secondary") == 2
    assert kinds.count("qi-driver qi-driver--change") == 3
    assert kinds.count("qi-driver qi-driver--aim") == 1
    paths = list(root.iter(f"{NS}path"))
    assert len(paths) == 2 + 2 + 1 + 1  # aim->primaries, ->secondaries, ->change ideas
    desc = root.find(f"{NS}desc").text
    assert "2 primary drivers, 2 secondary drivers, 3 change ideas" in desc


def test_driver_text_is_escaped_and_wrapped() -> None:
    svg = driver_svg(NASTY, TREE)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = parse(svg)
    assert texts(root).startswith("Aim Primary drivers")
    assert "Drip & <script>alert" in texts(root)  # parsed back: the original text
    for text in root.iter(f"{NS}text"):
        for span in text.iter(f"{NS}tspan"):
            assert len(span.text or "") <= 24


def test_an_empty_diagram_and_a_very_long_box_still_draw() -> None:
    root = parse(driver_svg("", ()))
    assert "(no aim yet)" in texts(root)
    long = DriverBox("word " * 200 + "x" * 90, "primary")
    root = parse(driver_svg("Aim", (long,)))
    assert "…" in texts(root)


def test_control_characters_never_break_the_xml() -> None:
    parse(driver_svg("Aim\x00\x07", (DriverBox("a\x1bb", "primary"),)))
    parse(stakeholder_svg([Person("x\x0c", "", "high", "high")]))


PEOPLE = [
    Person("Dr Ade Okafor", "ED consultant", "high", "high"),
    Person("Chief nurse", "", "high", "low"),
    Person(NASTY, "Patient rep", "low", "high"),
    Person("Porters", "Estates", "low", "low"),
]


def test_stakeholder_map_places_everyone_in_their_quadrant() -> None:
    svg = stakeholder_svg(PEOPLE)
    assert "<script>" not in svg
    root = parse(svg)
    labelled(root, "stakeholder-map")
    groups = {
        g.find(f"{NS}text/{NS}tspan").text: " ".join(
            s.text or "" for s in list(g.iter(f"{NS}text"))[1].iter(f"{NS}tspan")
        )
        for g in root.iter(f"{NS}g")
    }
    assert "Dr Ade Okafor (ED consultant)" in groups["Manage closely"]
    assert "Chief nurse" in groups["Keep satisfied"]
    assert 'alert("x")' in groups["Keep informed"]
    assert "Porters (Estates)" in groups["Monitor"]
    assert "Manage closely: 1; Keep satisfied: 1" in root.find(f"{NS}desc").text


def test_a_crowded_quadrant_says_how_many_more() -> None:
    crowd = [Person(f"Person {i}", "", "high", "high") for i in range(20)]
    root = parse(stakeholder_svg(crowd))
    assert "and 8 more (see the table)" in texts(root)
    assert "(nobody yet)" in texts(root)
