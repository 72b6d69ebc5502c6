"""The evidence pack's pure parts: content from rows, sections, the PDF's determinism, signing."""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, date, datetime

from pypdf import PdfReader

from app.config import Settings
from app.models import DriverNode, Measure, PdsaCycle, Project, ProjectAttestation
from app.security import signing
from app.services.certificates import canonical_json
from app.services.projects import attestations, evidence
from app.services.projects.evidence_content import EvidenceRows, build_content
from app.services.projects.evidence_measures import cycle_points
from app.services.projects.evidence_pdf import pack_pdf
from app.services.projects.evidence_sections import SECTIONS, plain_text, sections
from app.services.projects.timeline import parse_date as label_date

SETTINGS = Settings(certificate_key=base64.b64encode(bytes(range(32))).decode())
AT = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)
NAME = "Nguyễn Thị Minh Khai"


def rows(**extra) -> EvidenceRows:  # type: ignore[no-untyped-def]
    project = Project(
        id=7,
        title="Falls on Ward 9 \N{EN DASH} Łódź exchange",
        lead_id=1,
        created_by_id=1,
        aim_what="Reduce falls",
        aim_how_much="by half",
        aim_by_when=date(2027, 6, 30),
        aim_for_whom="inpatients over 65",
    )
    labels = "\n".join(f"{d:02d}/0{m}/2026" for m in (1, 2, 3) for d in (5, 12, 19, 26))
    measure = Measure(
        id=3,
        project_id=7,
        name="Falls per 1,000 bed days",
        kind="outcome",
        values_text="\n".join(str(v) for v in [9, 8, 10, 9, 11, 8, 6, 5, 5, 4, 5, 4]),
        labels_text=labels,
    )
    cycle = PdsaCycle(
        id=1, project_id=7, number=1, change="Bed rails audit", starts_on=date(2026, 2, 20)
    )
    return EvidenceRows(
        project=project,
        names={1: NAME},
        measures=[measure],
        cycles=[cycle],
        nodes=[
            DriverNode(id=1, project_id=7, kind="primary", text="Safe environment"),
            DriverNode(id=2, project_id=7, kind="change", text="Night lights", parent_id=1),
            DriverNode(id=3, project_id=7, kind="change", text="Loose idea", parent_id=None),
        ],
        **extra,
    )


def content(**extra) -> dict:  # type: ignore[no-untyped-def]
    return build_content(
        rows(**extra),
        pack_id="QIE-AAAAAAAAAAAAAAAA",
        generated_at=AT,
        verify_url="https://qi.example.nhs.uk/verify/QIE-AAAAAAAAAAAAAAAA",
        by=NAME,
    )


def test_labels_that_are_dates() -> None:
    assert label_date("2026-02-09") == date(2026, 2, 9)
    assert label_date("09/02/2026") == date(2026, 2, 9)
    assert label_date("9 Feb 2026") == date(2026, 2, 9)
    assert label_date("9 September 2026") == date(2026, 9, 9)
    assert label_date("Week 3") is None and label_date("31/02/2026") is None


def test_a_cycle_lands_on_the_first_point_on_or_after_its_start() -> None:
    labels = ("2026-01-05", "2026-01-12", "2026-01-19")
    on = PdsaCycle(number=1, change="a", starts_on=date(2026, 1, 12))
    between = PdsaCycle(number=2, change="b", starts_on=date(2026, 1, 13))
    after = PdsaCycle(number=3, change="c", starts_on=date(2026, 2, 1))
    undated = PdsaCycle(number=4, change="d")
    found = cycle_points(labels, [on, between, after, undated])
    assert [(f["point"], f["text"]) for f in found] == [(1, "PDSA 1: a"), (2, "PDSA 2: b")]
    assert cycle_points(("Week 1", "Week 2"), [on]) == []


def test_the_content_is_plain_data_with_the_chart_and_its_signals() -> None:
    c = content()
    assert json.loads(canonical_json(c)) == c  # survives the round trip exactly
    m = c["measures"][0]
    assert len(m["points"]) == 12 and m["points"][0] == {
        "label": "05/01/2026",
        "value": 9.0,
        "centre": 7.0,
        "lower": None,
        "upper": None,
        "signal": True,  # the first six points are all above the median: a shift
    }
    assert m["annotations"] == [
        {"point": 7, "label": "26/02/2026", "text": "PDSA 1: Bed rails audit"}
    ]
    assert m["signals"] and all(s["text"] for s in m["signals"])
    assert c["drivers"]["diagram"][0]["children"][0]["text"] == "Night lights"
    assert [n["text"] for n in c["drivers"]["unlinked"]] == ["Loose idea"]
    assert c["aim"]["statement"] == "Reduce falls by half by 30 June 2027 for inpatients over 65"


def test_too_few_points_are_charted_but_not_judged() -> None:
    few = rows()
    few.measures[0].values_text = "1\n2\n3"
    few.measures[0].labels_text = ""
    c = build_content(few, pack_id="QIE-X", generated_at=AT, verify_url="", by="x")
    m = c["measures"][0]
    assert len(m["points"]) == 3 and m["signals"] == [] and "Too few points" in m["note"]
    empty = rows()
    empty.measures[0].values_text = ""
    c = build_content(empty, pack_id="QIE-X", generated_at=AT, verify_url="", by="x")
    assert c["measures"][0]["points"] == [] and c["measures"][0]["note"] == "No data yet."


def test_every_section_has_its_heading_and_says_when_it_is_empty() -> None:
    found = sections(content())
    assert [s.heading for s in found] == [heading for _, heading, _ in SECTIONS]
    spread = next(s for s in found if s.key == "spread")
    assert plain_text(spread) == "Not recorded yet."
    methods = plain_text(next(s for s in found if s.key == "methods"))
    assert "- Primary driver: Safe environment\n  - Change idea: Night lights" in methods


def test_the_pdf_is_the_same_bytes_every_time_and_reads_back() -> None:
    c = content()
    first, second = pack_pdf(c), pack_pdf(c)
    assert first == second
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(first)).pages)
    assert NAME in text and "QIE-AAAAAAAAAAAAAAAA" in text
    assert all(heading in text for _, heading, _ in SECTIONS)
    changed = dict(c, generated_at="2026-12-02T09:30:01Z")
    assert pack_pdf(changed) != first  # the creation date is the pack's own


def test_any_name_prints() -> None:
    c = content()
    c["project"]["title"] = "漢字 プロジェクト 😀 Ωmega"
    assert pack_pdf(c).startswith(b"%PDF")


def test_the_signature_covers_the_id_and_every_hash() -> None:
    statement = evidence.statement("QIE-A", "c" * 64, "p" * 64, "j" * 64)
    signature = signing.sign(SETTINGS, statement)
    assert signing.verify(SETTINGS, statement, signature)
    for changed in (
        evidence.statement("QIE-B", "c" * 64, "p" * 64, "j" * 64),
        evidence.statement("QIE-A", "c" * 64, "p" * 64, "k" * 64),
    ):
        assert not signing.verify(SETTINGS, changed, signature)


def test_pack_ids_are_told_apart_from_certificate_ids() -> None:
    pack_id = evidence.new_pack_id()
    assert evidence.is_pack_id(pack_id) and len(pack_id) == 20
    misread = str.maketrans({"0": "O", "1": "I", "8": "B"})
    raw = pack_id.replace("-", "")
    assert evidence.normalise_pack_id(raw, misread) == pack_id
    assert evidence.normalise_pack_id("QI" + "A" * 16, misread) is None  # a certificate


def test_an_attestation_is_checked_against_its_project() -> None:
    project = Project(id=7, title="t", lead_id=1, created_by_id=1)

    class Who:
        id, name = 2, "Dr Who"

    signed = attestations.payload(project, Who(), "comment", "Fine", AT)  # type: ignore[arg-type]
    row = ProjectAttestation(
        project_id=7,
        kind="comment",
        text="Fine",
        payload=signed,
        signature=signing.sign(SETTINGS, signed.encode()),
    )
    assert attestations.signature_holds(SETTINGS, row)
    row.project_id = 8  # a genuine payload copied onto another project
    assert not attestations.signature_holds(SETTINGS, row)
    assert attestations.shown(SETTINGS, row).signature_valid is False
    row.payload, row.signature, row.created_at = "", "", AT  # as erasing the supervisor leaves it
    erased = attestations.shown(SETTINGS, row)
    assert erased.withdrawn and erased.text == "Fine" and "deleted" in erased.name
    assert attestations.problems("verdict", "") == {
        "kind": "Choose whether this is a comment or an attestation",
        "text": "Enter your comment or attestation",
    }


def test_a_pack_whose_record_was_changed_is_not_valid() -> None:
    from app.models import EvidencePack

    c = content()
    text = canonical_json(c)
    pdf_sha = evidence.sha256(pack_pdf(c))
    json_sha = evidence.sha256(evidence.json_file(c))
    content_sha = evidence.sha256(text)
    pack = EvidencePack(
        id=c["id"],
        project_id=7,
        generated_at=AT,
        content=text,
        content_sha256=content_sha,
        pdf_sha256=pdf_sha,
        json_sha256=json_sha,
        signature=signing.sign(
            SETTINGS, evidence.statement(c["id"], content_sha, pdf_sha, json_sha)
        ),
    )
    found = evidence.check_pack(SETTINGS, pack)
    assert found.status == "valid" and found.lead == NAME and found.signature_valid
    assert evidence.file_matches(pack, pack_pdf(c)) == "PDF"
    assert evidence.file_matches(pack, evidence.json_file(c)) == "JSON"
    assert evidence.file_matches(pack, text.encode()) is None  # the compact form is not a file

    pack.content = text.replace(NAME, "Someone Else")  # the hash no longer matches
    assert evidence.check_pack(SETTINGS, pack).status == "invalid"
    pack.content, pack.pdf_sha256 = text, "0" * 64  # the signature no longer matches
    assert evidence.check_pack(SETTINGS, pack).status == "invalid"
