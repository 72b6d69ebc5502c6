"""Certificates without HTTP: signing, the canonical payload, the key setting and PDF text."""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from app.catalog.schema import Module, Outcome, Reference
from app.config import ConfigError, Settings
from app.models import Certificate, ModuleCompletion, User
from app.security import signing
from app.services.certificate_pdf import certificate_pdf
from app.services.certificates import (
    CertificateView,
    build_payload,
    canonical_json,
    check,
    new_certificate_id,
)

KEY = base64.b64encode(bytes(range(32))).decode()
OTHER_KEY = base64.b64encode(bytes(range(1, 33))).decode()
SETTINGS = Settings(certificate_key=KEY)
ISSUED = datetime(2026, 3, 2, 9, 30, 5, tzinfo=UTC)
DASH, QUOTE, TICK = "\N{EN DASH}", "\N{RIGHT SINGLE QUOTATION MARK}", "\N{CHECK MARK}"
NAME = f"Dr Si\N{LATIN SMALL LETTER A WITH CIRCUMFLEX}n O{QUOTE}Brien"  # accent, curly quote
AWKWARD = f"{NAME} {DASH} {TICK}"

MODULE = Module(
    slug="run-charts",
    position=1,
    title=f"Run charts {DASH} seeing change",
    summary="s",
    minutes=45,
    pass_mark=75,
    outcomes=(
        Outcome("read", "Read a run chart", (6, 2), ("measurement-over-time",)),
        Outcome("rules", "Apply the four run chart rules", (6,), ("systems-thinking",)),
    ),
    references=(Reference("r", "A citation", None),),
    intro_html="",
    version="a" * 64,
)
USER = User(id=7, email="sian@example.nhs.uk", name=NAME, password_hash="x")
COMPLETION = ModuleCompletion(
    user_id=7,
    module_slug="run-charts",
    module_version="a" * 64,
    lesson_versions=json.dumps({"what-is-a-run-chart": "b" * 64, "rules": "c" * 64}),
    score=80,
    pass_mark=75,
    completed_at=datetime(2026, 3, 1, 14, 0, 59, 123456),  # naive, as SQLite returns it
)
GOLDEN = (
    '{"completed_at":"2026-03-01T14:00:59Z","content_version":{"lessons":{"rules":"'
    + "c" * 64
    + '","what-is-a-run-chart":"'
    + "b" * 64
    + '"},"module":"'
    + "a" * 64
    + '"},"cpd_minutes":45,"format":1,"gpc":[{"domain":2,"name":"Professional skills"},'
    '{"domain":6,"name":"Capabilities in patient safety and quality improvement"}],'
    '"id":"QI-TESTTESTTESTTEST","issued_at":"2026-03-02T09:30:05Z","issuer":"QI Skills",'
    f'"module":{{"slug":"run-charts","title":"Run charts {DASH} seeing change"}},'
    f'"name":"{NAME}","outcomes":["Read a run chart","Apply the four run chart rules"],'
    '"pass_mark":75,"rcp":[{"id":"systems-thinking","name":"Systems thinking"},'
    '{"id":"measurement-over-time","name":"Measurement over time"}],"score":80}'
)


def flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


def signed(cert_id: str = "QI-TESTTESTTESTTEST") -> Certificate:
    payload = canonical_json(build_payload(cert_id, USER, MODULE, COMPLETION, ISSUED))
    signature = signing.sign(SETTINGS, payload.encode())
    return Certificate(id=cert_id, user_id=7, module_slug=MODULE.slug, payload=payload,
                       signature=signature)  # fmt: skip


def test_sign_and_verify_round_trip() -> None:
    signature = signing.sign(SETTINGS, b"hello")
    assert len(base64.b64decode(signature)) == 64
    assert signing.verify(SETTINGS, b"hello", signature)


def test_changing_any_one_byte_of_the_payload_fails() -> None:
    data = canonical_json(build_payload("QI-X", USER, MODULE, COMPLETION, ISSUED)).encode()
    signature = signing.sign(SETTINGS, data)
    assert signing.verify(SETTINGS, data, signature)
    for index in range(len(data)):
        assert not signing.verify(SETTINGS, flip(data, index), signature), index
    assert not signing.verify(SETTINGS, data + b" ", signature)


def test_changing_any_one_byte_of_the_signature_fails() -> None:
    raw = base64.b64decode(signing.sign(SETTINGS, b"payload"))
    for index in range(len(raw)):
        bad = base64.b64encode(flip(raw, index)).decode()
        assert not signing.verify(SETTINGS, b"payload", bad), index


@pytest.mark.parametrize("signature", ["", "not base64!", base64.b64encode(b"short").decode()])
def test_malformed_signatures_fail_without_raising(signature: str) -> None:
    assert not signing.verify(SETTINGS, b"payload", signature)


def test_a_different_key_fails() -> None:
    signature = signing.sign(SETTINGS, b"payload")
    assert not signing.verify(Settings(certificate_key=OTHER_KEY), b"payload", signature)
    assert signing.public_key_b64(SETTINGS) != signing.public_key_b64(
        Settings(certificate_key=OTHER_KEY)
    )


def test_development_derives_a_stable_key_from_the_secret() -> None:
    a, b = Settings(secret_key="s" * 40), Settings(secret_key="s" * 40)
    other = Settings(secret_key="t" * 40)
    assert signing.public_key_b64(a) == signing.public_key_b64(b)
    assert signing.public_key_b64(a) != signing.public_key_b64(other)


def test_keys_may_be_standard_or_url_safe_base64_with_or_without_padding() -> None:
    seed = bytes([251, 255, 190] * 10 + [1, 2])  # encodes with + and / (or - and _)
    standard = base64.b64encode(seed).decode()
    assert "+" in standard or "/" in standard
    for text in (standard, base64.urlsafe_b64encode(seed).decode(), standard.rstrip("=")):
        assert signing.decode_seed(text) == seed
    for bad in ("", "!!!!", base64.b64encode(bytes(31)).decode()):
        with pytest.raises(ValueError):
            signing.decode_seed(bad)


def test_the_canonical_payload_is_stable() -> None:
    payload = build_payload("QI-TESTTESTTESTTEST", USER, MODULE, COMPLETION, ISSUED)
    text = canonical_json(payload)
    assert text == GOLDEN
    reordered = dict(reversed(list(json.loads(text).items())))
    assert canonical_json(reordered) == text
    assert "sian@example.nhs.uk" not in text  # a name, never an email address


def test_check_says_valid_revoked_or_invalid() -> None:
    cert = signed()
    result = check(SETTINGS, cert)
    assert result.status == "valid" and result.view is not None
    assert result.view.name == NAME and result.view.gpc[0] == (
        2,
        "Professional skills",
    )
    cert.revoked_at = datetime.now(UTC)
    assert check(SETTINGS, cert).status == "revoked"
    tampered = signed()
    tampered.payload = tampered.payload.replace('"score":80', '"score":90')
    assert check(SETTINGS, tampered).status == "invalid"
    assert check(SETTINGS, tampered).view is None
    moved = signed()
    moved.id = "QI-SOMEONEELSEXXXX"  # a genuine payload and signature copied onto another id
    assert check(SETTINGS, moved).status == "invalid"
    assert check(Settings(certificate_key=OTHER_KEY), signed()).status == "invalid"


def test_certificate_ids_are_unguessable_and_fit_the_column() -> None:
    ids = {new_certificate_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 19 and i.startswith("QI-") and i[3:].isalnum() for i in ids)


def test_production_without_a_certificate_key_stops_with_how_to_make_one() -> None:
    with pytest.raises(ConfigError, match="QI_CERTIFICATE_KEY") as info:
        Settings(environment="production", secret_key="x7" * 24)
    assert "os.urandom(32)" in str(info.value)


@pytest.mark.parametrize("environment", ["development", "production"])
def test_a_malformed_certificate_key_is_refused_without_echoing_it(environment: str) -> None:
    with pytest.raises(ConfigError, match="32-byte") as info:
        Settings(environment=environment, secret_key="x7" * 24, certificate_key="tooshortkey")
    assert "tooshortkey" not in str(info.value)


def test_production_accepts_a_real_certificate_key() -> None:
    settings = Settings(
        environment="production",
        secret_key="x7" * 24,
        certificate_key=KEY,
        base_url="https://qi.example.nhs.uk",
    )
    assert signing.verify(settings, b"x", signing.sign(SETTINGS, b"x"))


def test_the_pdf_prints_names_as_written_and_carries_the_id() -> None:
    o_acute, z_acute = "\N{LATIN SMALL LETTER O WITH ACUTE}", "\N{LATIN SMALL LETTER Z WITH ACUTE}"
    polish = f"\N{LATIN CAPITAL LETTER L WITH STROKE}ukasz W{o_acute}jcik {z_acute}"
    vietnamese = "Nguy\N{LATIN SMALL LETTER E WITH CIRCUMFLEX AND TILDE}n"
    greek = (
        "\N{GREEK CAPITAL LETTER ALPHA}\N{GREEK SMALL LETTER LAMDA}\N{GREEK SMALL LETTER EPSILON}"
    )
    name = f"{AWKWARD} {polish} {vietnamese} {greek}"
    view = CertificateView.of(json.loads(signed().payload))
    view = CertificateView(**{**{f: getattr(view, f) for f in view.__slots__}, "name": name})
    body = certificate_pdf(view, "https://qi.example.org/verify/QI-TESTTESTTESTTEST")
    assert body.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert "Certificate ID: QI-TESTTESTTESTTEST" in text
    for part in (NAME, DASH, polish, vietnamese, greek):
        assert part in text
    assert "https://qi.example.org/verify/QI-TESTTESTTESTTEST" in text
    assert b"/Subtype /Image" in body or b"/Subtype/Image" in body  # the QR code
