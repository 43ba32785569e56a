"""Receipts as JWS: what an independent library (jwcrypto) makes of them with only the JWKS,
and every way a token is refused, each with its own reason code."""

import json
import time
import zlib

import pytest
from jwcrypto import jwk, jws  # type: ignore[import-untyped]

from app.receipts.dictionary import DICTIONARIES
from app.receipts.keys import KeyConfigError, Keyring, generate
from app.receipts.tokens import REASONS, ReceiptError
from tests.receipts.support import ISSUER, b64, claims_of, keys_json, signed, signer_with, unb64, with_payload

CLAIMS = {
    "iss": ISSUER,
    "questionnaire": "hip-pelvic-floor",
    "ruleset": {"id": "hip-pelvic-floor", "version": "1.1.0", "sha256": "0" * 64},
    "language": "en",
    "country": "gb",
    "level": "general_advice",
    "answers": {"ctx_answering_for": "myself", "ctx_age_years": 42},
}


def _claims(**changes: object) -> dict[str, object]:
    now = int(time.time())
    return {**CLAIMS, "iat": now, "exp": now + 3600, **changes}


def _reason(signer: object, token: str) -> str:
    with pytest.raises(ReceiptError) as refused:
        signer.verify(token)  # type: ignore[attr-defined]
    return refused.value.reason


@pytest.mark.parametrize("alg", ["Ed25519", "ES256"])
def test_jwcrypto_verifies_a_receipt_with_only_the_jwks(alg: str) -> None:
    signer = signer_with(keys_json(alg))
    token = signed(signer, _claims())
    public = jwk.JWKSet.from_json(json.dumps(signer.keyring.jwks))  # what /.well-known/jwks.json serves
    assert all("d" not in key for key in signer.keyring.jwks["keys"])
    checked = jws.JWS()
    checked.deserialize(token)
    header = json.loads(unb64(token.split(".")[0]))
    assert header == {
        "alg": alg,
        "kid": signer.keyring.signing.kid,
        "typ": "hps-receipt+jwt",
        "zip": "DEF",
        "hps_zdict": "1",
    }
    checked.verify(public.get_key(header["kid"]), alg=alg)  # raises if the signature is wrong
    inflater = zlib.decompressobj(-15, zdict=DICTIONARIES["1"])
    assert json.loads(inflater.decompress(checked.payload)) == json.loads(json.dumps(_claims()))


def test_signer_verifies_its_receipt() -> None:
    signer = signer_with(keys_json("Ed25519"))
    verified = signer.verify(signed(signer, _claims()))
    assert (verified.kid, verified.alg, verified.claims.level) == (
        signer.keyring.signing.kid,
        "Ed25519",
        "general_advice",
    )


def test_tampered_payload_is_refused() -> None:
    signer = signer_with(keys_json("Ed25519"))
    token = signed(signer, _claims())
    raised = {**claims_of(token), "level": "emergency"}
    assert _reason(signer, with_payload(token, raised)) == "bad_signature"


def test_tampered_signature_is_refused() -> None:
    signer = signer_with(keys_json("Ed25519"))
    header, body, signature = signed(signer, _claims()).split(".")
    flipped = bytearray(unb64(signature))
    flipped[7] ^= 1
    assert _reason(signer, f"{header}.{body}.{b64(bytes(flipped))}") == "bad_signature"


def test_expired_receipt_is_refused() -> None:
    signer = signer_with(keys_json("Ed25519"))
    assert _reason(signer, signed(signer, _claims(iat=1_000, exp=2_000))) == "expired"


def test_receipt_from_the_future_is_refused() -> None:
    signer = signer_with(keys_json("Ed25519"))
    now = int(time.time())
    assert _reason(signer, signed(signer, _claims(iat=now + 3600, exp=now + 7200))) == "not_yet_valid"


def test_unknown_key_id_is_refused() -> None:
    other = signer_with(keys_json("Ed25519"))
    assert _reason(signer_with(keys_json("Ed25519")), signed(other, _claims())) == "unknown_key"


def test_other_issuer_is_refused() -> None:
    keys = keys_json("Ed25519")
    staging = signer_with(keys, issuer="https://staging.example")
    assert _reason(signer_with(keys), signed(staging, _claims(iss="https://staging.example"))) == "wrong_issuer"


def test_signed_nonsense_is_refused() -> None:
    signer = signer_with(keys_json("Ed25519"))
    assert _reason(signer, signed(signer, {"iss": ISSUER, "hello": "world"})) == "invalid_claims"


@pytest.mark.parametrize(
    "token",
    ["", "a.b.c", "not a token", "a.b", "e30.e30.e30", "x" * 20_000, "ey\u00e9.a.b"],
    ids=["empty", "junk-parts", "spaces", "two-parts", "empty-header", "huge", "non-ascii"],
)
def test_malformed_tokens_are_refused(token: str) -> None:
    assert _reason(signer_with(keys_json("Ed25519")), token) in {"malformed", "unknown_key"}


def test_a_header_that_lies_about_the_algorithm_is_refused() -> None:
    signer = signer_with(keys_json("Ed25519"))
    _, body, signature = signed(signer, _claims()).split(".")
    lying = {"alg": "none", "kid": signer.keyring.signing.kid, "typ": "hps-receipt+jwt", "zip": "DEF", "hps_zdict": "1"}
    assert _reason(signer, f"{b64(json.dumps(lying).encode())}.{body}.{signature}") == "malformed"


def test_a_retired_key_still_verifies_and_is_published() -> None:
    old = signer_with(keys_json("Ed25519"))
    old_jwk = generate("ES256")
    # Rotation: a new key signs, the old one stays listed after it (its private part may go).
    retired = dict(old.keyring.jwks["keys"][0])
    rotated = signer_with(json.dumps({"keys": [old_jwk, retired]}))
    assert rotated.keyring.signing.kid == old_jwk["kid"]
    assert [key["kid"] for key in rotated.keyring.jwks["keys"]] == [old_jwk["kid"], retired["kid"]]
    assert rotated.verify(signed(old, _claims())).kid == retired["kid"]
    assert rotated.verify(signed(rotated, _claims())).kid == old_jwk["kid"]


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"keys": []}', "empty"),
        ('{"keys": [{"kty": "RSA", "n": "x", "e": "AQAB"}]}', r"Ed25519 \(OKP\) or P-256 \(EC\)"),
        (json.dumps({"keys": [{k: v for k, v in generate("Ed25519").items() if k != "d"}]}), "private"),
    ],
    ids=["not-json", "empty", "rsa", "public-only-signer"],
)
def test_unusable_key_settings_are_refused_without_showing_a_key(keys: str, message: str) -> None:
    with pytest.raises(KeyConfigError, match=message) as refused:
        Keyring.from_jwks(keys)
    assert '"d"' not in str(refused.value)


def test_every_reason_is_explained() -> None:
    assert set(REASONS) == {
        "malformed",
        "unknown_key",
        "bad_signature",
        "invalid_claims",
        "wrong_issuer",
        "expired",
        "not_yet_valid",
    }


def test_dictionary_1_never_changes_and_ships_with_the_package() -> None:
    import hashlib
    import tomllib

    from tests.support.answers import ROOT

    # Receipts compressed with it must stay readable: a changed dictionary is a new id.
    pinned = "f995fff12e0395ca4b27af66626a4549da52641f837dc3bd0bb3735d78c75291"
    assert hashlib.sha256(DICTIONARIES["1"]).hexdigest() == pinned
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["*"]
    assert "*.json" in package_data
