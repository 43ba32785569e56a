"""Signing a receipt's payload as a compact JWS and verifying one: each refusal carries a
stable reason code and never the token."""

import base64
import functools
import json
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError
from joserfc.registry import JWS_HEADER_REGISTRY, HeaderParameter, in_choices
from pydantic import ValidationError

from app.receipts.claims import ReceiptClaims
from app.receipts.dictionary import CURRENT, DICTIONARIES
from app.receipts.keys import ALGORITHMS, Keyring, SigningKey

RECEIPT_TYP = "hps-receipt+jwt"  # explicit typing (RFC 8725 3.11): not to be taken for another JWT
MAX_TOKEN_LENGTH = 4_096  # a whole questionnaire's receipt is under 1,500 characters
CLOCK_SKEW = 60  # seconds a receipt's iat may lie in the future (another instance's clock)
MAX_PAYLOAD_BYTES = 64 * 1024  # inflated; a real payload is about 2 KB

# The payload is raw DEFLATE (RFC 1951) of the JSON claims, announced by "zip": "DEF" in the
# protected header as SMART Health Cards do, with the preset dictionary "hps_zdict" names
# (app.receipts.dictionary): together they make the token small enough for one QR code.
_REGISTRY = jws.JWSRegistry(
    header_registry={
        **JWS_HEADER_REGISTRY,
        "zip": HeaderParameter("Payload compression", in_choices(["DEF"])),
        "hps_zdict": HeaderParameter("Preset DEFLATE dictionary", in_choices(list(DICTIONARIES))),
    },
    algorithms=ALGORITHMS,
)

REASONS = {
    "malformed": "The receipt is not a compact JWS this service issues.",
    "unknown_key": "The receipt names a signing key this service does not hold (an unknown or retired key id).",
    "bad_signature": "The receipt's signature does not match its contents: it was changed or damaged.",
    "invalid_claims": "The receipt is signed but does not hold what a receipt holds.",
    "wrong_issuer": "The receipt was issued by another service.",
    "expired": "The receipt has expired.",
    "not_yet_valid": "The receipt's issue time lies in the future.",
}
"""Why a receipt is refused: stable codes, and what each means."""


class ReceiptError(Exception):
    """A receipt that does not verify; ``reason`` is one of REASONS."""

    def __init__(self, reason: str) -> None:
        super().__init__(REASONS[reason])
        self.reason = reason


@dataclass(frozen=True)
class Verified:
    kid: str
    alg: str
    claims: ReceiptClaims
    signature: str  # the JWS signature part (base64url), for a FHIR Provenance


class Signer:
    """Signs payloads with the keyring's signing key and verifies tokens against every key."""

    def __init__(self, keyring: Keyring, issuer: str, ttl_seconds: int, clock: Callable[[], float] = time.time) -> None:
        self.keyring, self.issuer, self.ttl_seconds, self.clock = keyring, issuer, ttl_seconds, clock
        key = keyring.signing
        header = {"alg": key.alg, "kid": key.kid, "typ": RECEIPT_TYP, "zip": "DEF", "hps_zdict": CURRENT}
        # Every receipt has the same protected header: checked by joserfc and encoded once
        # (serialize_compact would do both again for each screening), then signed by joserfc's
        # algorithm for each payload.
        self._encoded_header = jws.serialize_compact(header, b"", key.key, registry=_REGISTRY).split(".")[0].encode()
        self._algorithm = _REGISTRY.get_alg(key.alg)

    def times(self) -> tuple[int, int]:
        """(iat, exp) for a receipt issued now."""
        now = int(self.clock())
        return now, now + self.ttl_seconds

    def sign(self, payload: bytes) -> str:
        """The compact JWS (RFC 7515 7.1) of ``payload``, DEFLATEd."""
        signing_input = self._encoded_header + b"." + _b64(deflate(payload, DICTIONARIES[CURRENT]))
        signature = self._algorithm.sign(signing_input, self.keyring.signing.key)
        return (signing_input + b"." + _b64(signature)).decode("ascii")

    def verify(self, token: str, now: float | None = None) -> Verified:
        key, dictionary = self._key_of(token)
        try:
            signed = jws.deserialize_compact(token, key.key, registry=_REGISTRY)
        except BadSignatureError:
            raise ReceiptError("bad_signature") from None
        except (JoseError, ValueError):
            raise ReceiptError("malformed") from None
        try:
            claims = ReceiptClaims.model_validate_json(inflate(signed.payload, dictionary))
        except (ValidationError, zlib.error):
            raise ReceiptError("invalid_claims") from None
        if claims.iss != self.issuer:
            raise ReceiptError("wrong_issuer")
        now = self.clock() if now is None else now
        if claims.exp <= now:
            raise ReceiptError("expired")
        if claims.iat > now + CLOCK_SKEW:
            raise ReceiptError("not_yet_valid")
        return Verified(key.kid, key.alg, claims, token.rsplit(".", 1)[1])

    def _key_of(self, token: str) -> tuple[SigningKey, bytes]:
        """The key the token's header names, checked before the signature is, and the
        dictionary its payload was compressed with."""
        if not token or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 2:
            raise ReceiptError("malformed")
        try:
            header = jws.extract_compact(token.encode("ascii")).headers()
        except (JoseError, ValueError, UnicodeError, json.JSONDecodeError):
            raise ReceiptError("malformed") from None
        kid, alg = header.get("kid"), header.get("alg")
        key = self.keyring.by_kid.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise ReceiptError("unknown_key")
        dictionary = DICTIONARIES.get(str(header.get("hps_zdict")))
        if alg != key.alg or header.get("typ") != RECEIPT_TYP or header.get("zip") != "DEF" or dictionary is None:
            raise ReceiptError("malformed")
        return key, dictionary


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def deflate(data: bytes, dictionary: bytes) -> bytes:
    """Raw DEFLATE (no zlib header), as the JWE ``zip`` parameter and SMART Health Cards use,
    with a preset dictionary."""
    compressor = _primed(dictionary).copy()
    return compressor.compress(data) + compressor.flush()


@functools.cache
def _primed(dictionary: bytes) -> "zlib._Compress":
    """A compressor with ``dictionary`` already loaded, copied for each payload: loading the
    dictionary anew took half of a receipt's DEFLATE. Level 3 in a 16 KiB window (wbits 14,
    still spanning the 7.5 KB dictionary and a payload of a few KB) with memLevel 5: half the
    time of level 6 in 32 KiB, for about 10 bytes more a token. Inflating reads any of them."""
    return zlib.compressobj(3, zlib.DEFLATED, -14, 5, zdict=dictionary)


def inflate(data: bytes, dictionary: bytes) -> bytes:
    """Raw DEFLATE undone, refusing more than MAX_PAYLOAD_BYTES (a signed bomb is still a bomb)."""
    decompressor = zlib.decompressobj(-15, zdict=dictionary)
    inflated = decompressor.decompress(data, MAX_PAYLOAD_BYTES)
    if decompressor.unconsumed_tail or not decompressor.eof:
        raise zlib.error("payload too large or truncated")
    return inflated
