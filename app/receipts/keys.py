"""The signing keys of receipts: loaded from settings (a JWKS of private keys, newest first)
or made at start-up, and their public half published as a JWKS."""

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OKPKey

logger = logging.getLogger("app.receipts")

Key = OKPKey | ECKey
ALGORITHMS = ("Ed25519", "ES256")
"""Ed25519 (RFC 9864's name for EdDSA over Ed25519) and ES256 (ECDSA P-256, SHA-256)."""
_ALG_OF = {("OKP", "Ed25519"): "Ed25519", ("EC", "P-256"): "ES256"}


class KeyConfigError(ValueError):
    """The configured receipt keys cannot be used; the message says why (never a key)."""


@dataclass(frozen=True)
class SigningKey:
    kid: str
    alg: str
    key: Key

    def public_jwk(self) -> dict[str, Any]:
        return {**self.key.as_dict(private=False), "kid": self.kid, "alg": self.alg, "use": "sig"}


def _algorithm(jwk: dict[str, Any]) -> str:
    alg = _ALG_OF.get((jwk.get("kty", ""), jwk.get("crv", "")))
    if alg is None:
        raise KeyConfigError("a receipt key must be an Ed25519 (OKP) or P-256 (EC) key")
    if jwk.get("alg", alg) != alg:
        raise KeyConfigError(f"key {jwk.get('kid')!r}: its alg does not fit its curve (use {alg})")
    return alg


def _import(jwk: object) -> SigningKey:
    if not isinstance(jwk, dict):
        raise KeyConfigError("each entry of 'keys' must be a JWK object")
    alg = _algorithm(jwk)
    try:
        key: Key = OKPKey.import_key(jwk) if alg == "Ed25519" else ECKey.import_key(jwk)
    except (JoseError, ValueError, TypeError) as exc:
        raise KeyConfigError(f"key {jwk.get('kid')!r} cannot be read ({type(exc).__name__})") from None
    kid = jwk.get("kid") or key.thumbprint()
    if not isinstance(kid, str) or not 1 <= len(kid) <= 100:
        raise KeyConfigError("a key id (kid) must be a string of 1 to 100 characters")
    return SigningKey(kid, alg, key)


def generate(alg: str = "Ed25519") -> dict[str, Any]:
    """A new private JWK for ``alg``, its kid the RFC 7638 thumbprint (``screener receipt-key``)."""
    key: Key = OKPKey.generate_key("Ed25519") if alg == "Ed25519" else ECKey.generate_key("P-256")
    return {**key.as_dict(private=True), "kid": key.thumbprint(), "alg": alg}


class Keyring:
    """The key that signs (the first configured) and every key that still verifies (the others:
    keep a retired key here until the last receipt it signed has expired)."""

    def __init__(self, keys: list[SigningKey], ephemeral: bool = False) -> None:
        if not keys:
            raise KeyConfigError("the receipt keys list is empty")
        by_kid = {key.kid: key for key in keys}
        if len(by_kid) != len(keys):
            raise KeyConfigError("two receipt keys share a kid")
        self.signing = keys[0]
        self.by_kid = by_kid
        self.ephemeral = ephemeral
        self.jwks = {"keys": [key.public_jwk() for key in keys]}
        if not self.signing.key.is_private:
            raise KeyConfigError(f"the first key ({self.signing.kid!r}) signs receipts: it needs its private part")

    @classmethod
    def from_jwks(cls, document: str) -> "Keyring":
        try:
            parsed = json.loads(document)
        except ValueError:
            raise KeyConfigError("the receipt keys are not valid JSON") from None
        if not isinstance(parsed, dict) or not isinstance(parsed.get("keys"), list):
            raise KeyConfigError('the receipt keys must be a JWKS: {"keys": [<private JWK>, ...]}')
        return cls([_import(jwk) for jwk in parsed["keys"]])

    @classmethod
    def from_file(cls, path: Path) -> "Keyring":
        try:
            return cls.from_jwks(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise KeyConfigError(f"{path}: cannot read the receipt keys file ({exc.strerror})") from None
        except KeyConfigError as exc:
            raise KeyConfigError(f"{path}: {exc}") from None

    @classmethod
    def generated(cls) -> "Keyring":
        """A key made now, for this process only (receipts die with it)."""
        return cls([_import(generate())], ephemeral=True)


if __name__ == "__main__":  # python -m app.receipts.keys [Ed25519|ES256]: a new JWKS for SCREENER_RECEIPT_KEYS
    import sys

    print(json.dumps({"keys": [generate(sys.argv[1] if len(sys.argv) > 1 else "Ed25519")]}))
