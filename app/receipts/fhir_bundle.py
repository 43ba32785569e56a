"""A verified receipt as a FHIR R4 Bundle for a health record: the answers as a
QuestionnaireResponse, the result as a RiskAssessment, and a Provenance carrying the signed
receipt (JWS) itself, so a record system can check it against /.well-known/jwks.json."""

import base64
import uuid
from typing import Any

from app.engine.evaluator import Evaluation
from app.engine.ruleset import RuleSet
from app.fhir.results import risk_assessment
from app.fhir.urls import LEVEL_SYSTEM, options_system, questionnaire_url
from app.receipts.tokens import Verified
from app.schemas.receipt import VerifiedReceipt
from app.schemas.screening import AnswerValue, ResultParts

# ASTM E1762-95 signature type "Verification Signature" (the R4 example binding).
_VERIFICATION = {
    "system": "urn:iso-astm:E1762-95:2013",
    "code": "1.2.840.10065.1.12.1.5",
    "display": "Verification Signature",
}
_NAMESPACE = uuid.UUID("7c2f0a55-4d1e-4f43-9a51-1f1d3a6b8e20")


def _answers(value: AnswerValue, system: str) -> list[dict[str, Any]]:
    if isinstance(value, bool):
        return [{"valueBoolean": value}]
    if isinstance(value, int):
        return [{"valueInteger": value}]
    values = value if isinstance(value, list) else [value]
    return [{"valueCoding": {"system": system, "code": code}} for code in values]


def questionnaire_response(summary: VerifiedReceipt, ruleset_id: str, version: str, complete: bool) -> dict[str, Any]:
    """The receipt's answers, one item per question in questionnaire order; a question the
    person skipped is an item without an answer (as $screen reads it)."""
    system = options_system(ruleset_id)
    items = [
        {"linkId": answered.question, "text": answered.text, "answer": _answers(answered.value, system)}
        for section in summary.answers
        for answered in section.answers
    ]
    items += [{"linkId": qid} for qid in summary.skipped]
    return {
        "resourceType": "QuestionnaireResponse",
        "id": "receipt-answers",
        "questionnaire": f"{questionnaire_url(ruleset_id)}|{version}",
        "status": "completed" if complete else "in-progress",
        "authored": summary.issued_at,
        "item": items,
    }


def _minimal_risk(summary: VerifiedReceipt) -> dict[str, Any]:
    """The signed level alone, when the answers cannot be screened again."""
    return {
        "resourceType": "RiskAssessment",
        "status": "final",
        "subject": {"display": "Anonymous person who answered the questionnaire"},
        "prediction": [{"qualitativeRisk": {"coding": [{"system": LEVEL_SYSTEM, "code": summary.signed.level}]}}],
    }


def bundle(
    summary: VerifiedReceipt,
    verified: Verified,
    token: str,
    ruleset: RuleSet | None,
    evaluation: Evaluation | None,
    parts: ResultParts | None,
) -> dict[str, Any]:
    """A collection Bundle of the QuestionnaireResponse, RiskAssessment and Provenance; its
    identifiers are derived from the signature, so the same receipt gives the same Bundle."""
    signed = summary.signed.ruleset
    names = {kind: f"urn:uuid:{uuid.uuid5(_NAMESPACE, kind + verified.signature)}" for kind in ("qr", "ra", "pv", "b")}
    complete = evaluation.complete if evaluation is not None else not summary.skipped
    response = questionnaire_response(summary, signed.id, signed.version, complete)
    if ruleset is not None and evaluation is not None and parts is not None:
        risk = risk_assessment(ruleset, evaluation, verified.claims.answers, parts, None)
        risk["basis"] = [{"reference": names["qr"]}]
    else:
        risk = _minimal_risk(summary)
    risk["id"] = "receipt-result"
    risk["occurrenceDateTime"] = summary.issued_at
    provenance = {
        "resourceType": "Provenance",
        "id": "receipt-signature",
        "target": [{"reference": names["qr"]}, {"reference": names["ra"]}],
        "recorded": summary.issued_at,
        "agent": [{"who": {"display": summary.issuer}}],
        "signature": [
            {
                "type": [_VERIFICATION],
                "when": summary.issued_at,
                "who": {"display": f"{summary.issuer} (key {verified.kid})"},
                "targetFormat": "application/json",
                "sigFormat": "application/jose",
                "data": base64.b64encode(token.encode("ascii")).decode("ascii"),
            }
        ],
    }
    return {
        "resourceType": "Bundle",
        "id": "receipt",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": names["b"]},
        "type": "collection",
        "timestamp": summary.issued_at,
        "entry": [
            {"fullUrl": names["qr"], "resource": response},
            {"fullUrl": names["ra"], "resource": risk},
            {"fullUrl": names["pv"], "resource": provenance},
        ],
    }
