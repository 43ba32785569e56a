"""The receipt examples of the OpenAPI document (``app/schemas/receipt_examples.json``): the
physio example's answers in a receipt signed with the example key (example_receipt_key.json,
for examples and tests only) at a fixed time, and what verifying it gives. build.py writes
the file with the other examples."""

import base64
import json
from pathlib import Path
from typing import Any

from app.api.catalog import Catalog
from app.engine.evaluator import screen
from app.receipts.claims import payload, payload_head
from app.receipts.dictionary import CURRENT, DICTIONARIES
from app.receipts.keys import Keyring
from app.receipts.summary import Summaries
from app.receipts.tokens import Signer, inflate
from tests.support.rulesets import shipped_catalog

EXAMPLE_KEY = Path(__file__).with_name("example_receipt_key.json")
ISSUED_AT = 1796117400  # 2026-12-01T09:30:00Z
ISSUER = "hip-pelvic-screener"  # the default receipt_issuer
TTL = 30 * 86_400


def example_signer() -> Signer:
    return Signer(Keyring.from_file(EXAMPLE_KEY), ISSUER, TTL)


def settled(token: str) -> str:
    """A receipt the example server (holding the example key) issued, issued again at
    ISSUED_AT: the same answers and result, so the example files stay the same from run to run."""
    signer = example_signer()
    signer.verify(token)  # the server's own receipt, or this fails
    body = token.split(".")[1]
    claims = json.loads(inflate(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)), DICTIONARIES[CURRENT]))
    claims.update(iat=ISSUED_AT, exp=ISSUED_AT + TTL)
    return signer.sign(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())


def receipt_examples(request: dict[str, Any], catalog: Catalog | None = None) -> dict[str, Any]:
    """The receipt of ``request`` (English, the default country), its verified summary, the JWKS."""
    catalog = catalog or shipped_catalog()
    (ruleset,) = catalog.rulesets.values()
    answers = dict(request["answers"])
    evaluation = screen(ruleset, answers)
    parts = catalog.result_parts[(ruleset.id, "en", ruleset.default_country)]
    signer = example_signer()
    head = payload_head(ISSUER, parts.ruleset, parts.language, parts.country)
    token = signer.sign(payload(head, evaluation.level.value, answers, [], ISSUED_AT, ISSUED_AT + TTL))
    summary, _, _ = Summaries(catalog.rulesets, catalog.result_parts).summarise(signer.verify(token, ISSUED_AT + 60))
    return {
        "request": {"token": token},
        "verified": summary.model_dump(mode="json"),
        "jwks": signer.keyring.jwks,
    }
