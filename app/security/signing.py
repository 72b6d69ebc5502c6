"""Ed25519 signatures for certificates: anyone holding the public key can check one offline.

The private key is a 32-byte seed in QI_CERTIFICATE_KEY (base64). Development derives a fixed
seed from the secret key so nothing needs setting up; production refuses to start without a real
one (see `Settings`). Changing the key makes every certificate signed before it "not valid".
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from functools import lru_cache
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

if TYPE_CHECKING:
    from app.config import Settings

SEED_BYTES = 32
SIGNATURE_BYTES = 64
GENERATE_KEY = 'python3 -c "import base64,os;print(base64.b64encode(os.urandom(32)).decode())"'


def decode_seed(text: str) -> bytes:
    """The seed from standard or URL-safe base64 (padding optional); ValueError otherwise."""
    cleaned = "".join(text.split()).translate(str.maketrans("-_", "+/"))
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        seed = base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64") from exc
    if len(seed) != SEED_BYTES:
        raise ValueError(f"decodes to {len(seed)} bytes, not {SEED_BYTES}")
    return seed


def seed_for(settings: Settings) -> bytes:
    """The configured seed, or in development one derived from the secret key."""
    if settings.certificate_key.strip():
        return decode_seed(settings.certificate_key)
    return hashlib.sha256(("qi-certificate:" + settings.secret_key).encode()).digest()


@lru_cache(maxsize=8)
def _key_from_seed(seed: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(seed)


def private_key(settings: Settings) -> Ed25519PrivateKey:
    return _key_from_seed(seed_for(settings))


def public_key(settings: Settings) -> Ed25519PublicKey:
    return private_key(settings).public_key()


def public_key_b64(settings: Settings) -> str:
    """The raw 32-byte public key in base64, to publish for offline checks."""
    raw = public_key(settings).public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def sign(settings: Settings, data: bytes) -> str:
    """Base64 Ed25519 signature of `data`."""
    return base64.b64encode(private_key(settings).sign(data)).decode()


def verify(settings: Settings, data: bytes, signature: str) -> bool:
    """True only if `signature` (base64) is this key's signature of exactly `data`."""
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return False
    if len(raw) != SIGNATURE_BYTES:
        return False
    try:
        public_key(settings).verify(raw, data)
    except InvalidSignature:
        return False
    return True
