"""Receipt test helpers: a keyring of two keys (one retired), tokens changed in one place,
and receipts issued for any answers."""

import base64
import json
import zlib
from typing import Any

from app.api.catalog import Catalog
from app.engine.evaluator import screen
from app.receipts.claims import payload, payload_head
from app.receipts.dictionary import DICTIONARIES
from app.receipts.keys import Keyring, generate
from app.receipts.tokens import Signer, deflate

ISSUER = "hip-pelvic-screener"


def keys_json(*algs: str) -> str:
    """A JWKS of new private keys, the first one signing."""
    return json.dumps({"keys": [generate(alg) for alg in algs]})


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def claims_of(token: str) -> dict[str, Any]:
    """The payload, read without checking anything (what anyone holding a receipt and the
    dictionary its header names can do)."""
    header = json.loads(unb64(token.split(".")[0]))
    inflater = zlib.decompressobj(-15, zdict=DICTIONARIES[header["hps_zdict"]])
    result: dict[str, Any] = json.loads(inflater.decompress(unb64(token.split(".")[1])))
    return result


def with_payload(token: str, claims: dict[str, Any]) -> str:
    """The token with another payload and its old signature."""
    header, _, signature = token.split(".")
    return ".".join((header, b64(deflate(json.dumps(claims).encode(), DICTIONARIES["1"])), signature))


def signed(signer: Signer, claims: dict[str, Any]) -> str:
    """``claims`` signed for real by ``signer``'s key."""
    return signer.sign(json.dumps(claims).encode())


def issue(signer: Signer, catalog: Catalog, answers: dict[str, Any], language: str = "en") -> str:
    """The receipt a screening of ``answers`` gets."""
    (ruleset,) = catalog.rulesets.values()
    evaluation = screen(ruleset, answers)
    parts = catalog.result_parts[(ruleset.id, language, ruleset.default_country)]
    head = payload_head(signer.issuer, parts.ruleset, parts.language, parts.country)
    iat, exp = signer.times()
    return signer.sign(payload(head, evaluation.level.value, answers, [], iat, exp))


def signer_with(keys: str, issuer: str = ISSUER, ttl: int = 3600) -> Signer:
    return Signer(Keyring.from_jwks(keys), issuer, ttl)
