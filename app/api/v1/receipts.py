"""POST a receipt, get it verified: its summary as JSON, a PDF or a FHIR R4 Bundle."""

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api.direct_routes import direct
from app.api.json_body import _invalid_body as invalid_body
from app.api.json_body import parse_json, read_body, require_json
from app.api.problems import ANY_REQUEST_PROBLEMS, JSON_BODY_PROBLEMS, ProblemError, problem_responses
from app.api.request_context import catalog_of, enforce_rate_limit
from app.api.v1.openapi import CACHE_CONTROL_NO_STORE, json_request_body
from app.engine.errors import AnswerIssue
from app.fhir.urls import FHIR_JSON
from app.receipts.fhir_bundle import bundle
from app.receipts.issuer import Receipts
from app.receipts.summary import Summaries
from app.receipts.tokens import MAX_TOKEN_LENGTH, REASONS, ReceiptError
from app.schemas.examples import RECEIPT_EXAMPLES, VERIFIED_RECEIPT_EXAMPLES, VERIFY_PATH
from app.schemas.receipt import VerifiedReceipt

router = APIRouter(tags=["receipts"])

PDF = "application/pdf"
_BINARY = {"schema": {"type": "string", "format": "binary"}}
_OPENAPI: dict[str, Any] = {
    "parameters": [
        {
            "name": "Accept",
            "in": "header",
            "required": False,
            "description": "application/json (the default) for the summary as JSON, application/pdf for a PDF "
            "summary to hand over, application/fhir+json for a FHIR R4 Bundle for a health record.",
            "schema": {"type": "string", "examples": [PDF]},
        }
    ],
    "requestBody": json_request_body(
        "VerifyRequest",
        "The receipt of a screening result (its `receipt` member), and optionally a clinic id.",
        RECEIPT_EXAMPLES,
    ),
}


def _invalid(reason: str, detail: str, path: str) -> ProblemError:
    return ProblemError(
        422,
        detail,
        type_="/problems/invalid-receipt",
        title="Invalid receipt",
        errors=[AnswerIssue("invalid_receipt", REASONS.get(reason, detail), "#/token")],
        reason=reason,
    )


def _request_of(document: object) -> tuple[str, str | None]:
    """The token and clinic id of a request body; anything else is a 422 naming the member."""

    def invalid(code: str, detail: str, pointer: str) -> ProblemError:
        return invalid_body(code, detail, pointer, "The request body does not have the expected shape.")

    if not isinstance(document, dict):
        raise invalid("invalid_type", "the body must be a JSON object", "#")
    if any(key not in ("token", "clinic") for key in document):
        raise invalid("unknown_field", "the body takes only the members 'token' and 'clinic'", "#")
    token, clinic = document.get("token"), document.get("clinic")
    if token is None:
        raise invalid("missing_field", "the body needs a 'token' string", "#/token")
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise invalid("invalid_type", f"'token' must be a string of at most {MAX_TOKEN_LENGTH} characters", "#/token")
    if clinic is not None and (not isinstance(clinic, str) or len(clinic) > 64):
        raise invalid("invalid_type", "'clinic' must be a clinic id (a string)", "#/clinic")
    return token, clinic


def _wanted(request: Request) -> str:
    """The media type to answer with: PDF or FHIR when Accept prefers it, else JSON."""
    accept = request.headers.get("accept", "")
    best, best_q = "application/json", 0.0
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        if media not in (PDF, FHIR_JSON, "application/json"):
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q:
            best, best_q = media, q
    return best


def summaries_of(request: Request) -> Summaries:
    """One Summaries per catalog served (a reload starts a new one)."""
    catalog = catalog_of(request)
    current: Summaries | None = getattr(request.app.state, "receipt_summaries", None)
    if current is None or current.rulesets is not catalog.rulesets:
        current = request.app.state.receipt_summaries = Summaries(catalog.rulesets, catalog.result_parts)
    return current


@router.post(
    "/receipts/verify",
    summary="Verify a receipt",
    response_model=VerifiedReceipt,
    response_description="The receipt verified: its answers and result, as JSON, a PDF or a FHIR R4 Bundle.",
    responses={
        200: {
            "headers": {"Cache-Control": CACHE_CONTROL_NO_STORE},
            "content": {
                "application/json": {"examples": VERIFIED_RECEIPT_EXAMPLES},
                PDF: {**_BINARY, "examples": {"pdf": {"summary": "A PDF summary (binary)", "value": "%PDF-1.3 ..."}}},
                FHIR_JSON: {
                    "schema": {"type": "object"},
                    "examples": {
                        "bundle": {
                            "summary": "A FHIR R4 Bundle: QuestionnaireResponse, RiskAssessment, Provenance",
                            "value": {"resourceType": "Bundle", "type": "collection", "entry": ["..."]},
                        }
                    },
                },
            },
        },
        **problem_responses(
            429,
            *JSON_BODY_PROBLEMS,
            *ANY_REQUEST_PROBLEMS,
            instance=VERIFY_PATH,
            unprocessable=("invalid-receipt", "invalid-receipt-body"),
        ),
    },
    openapi_extra=_OPENAPI,
)
@direct
async def verify_receipt(request: Request) -> Response:
    """Checks the receipt's signature against the service's keys (current or retired, by key
    id), its issuer and its expiry, then screens its answers again with the rule set served
    now and says when that is not the version that issued it. A receipt that does not verify
    gets a 422 problem `invalid-receipt` whose error names the reason: malformed, unknown_key,
    bad_signature, invalid_claims, wrong_issuer, expired or not_yet_valid. Nothing is stored,
    and the token is never logged nor repeated in an error."""
    enforce_rate_limit(request)
    require_json(request)
    token, clinic_id = _request_of(parse_json(await read_body(request)))
    receipts: Receipts = request.app.state.receipts
    try:
        verified = receipts.signer.verify(token)
    except ReceiptError as exc:
        raise _invalid(exc.reason, "The receipt cannot be verified.", request.url.path) from None
    summaries = summaries_of(request)
    summary, evaluation, parts = summaries.summarise(verified)
    headers = {"Cache-Control": "no-store"}
    wanted = _wanted(request)
    if wanted == PDF:
        clinic = request.app.state.clinics.get(clinic_id) if clinic_id else None
        name = f"screening-summary-{summary.issued_at[:10]}.pdf"
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
        # Imported on the first PDF asked for, not at start-up: fpdf2 and its fontTools take
        # about 0.2 s and several MB per worker, for a request only clinics make.
        from app.receipts.pdf import render_pdf

        return Response(render_pdf(summary, clinic), media_type=PDF, headers=headers)
    if wanted == FHIR_JSON:
        ruleset = summaries.rulesets.get(verified.claims.questionnaire)
        document = bundle(summary, verified, token, ruleset, evaluation, parts)
        headers["Content-Disposition"] = f'attachment; filename="screening-{summary.issued_at[:10]}.fhir.json"'
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        return Response(body, media_type=FHIR_JSON, headers=headers)
    return Response(summary.model_dump_json().encode(), media_type="application/json", headers=headers)
