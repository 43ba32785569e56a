"""``/.well-known/jwks.json``: the public keys that verify receipts (RFC 7517 JWK Set)."""

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api.direct_routes import direct
from app.api.problems import ANY_REQUEST_PROBLEMS, problem_responses
from app.receipts.issuer import Receipts
from app.schemas.examples import JWKS_EXAMPLES

router = APIRouter(tags=["receipts"])
JWKS_PATH = "/.well-known/jwks.json"


@router.get(
    JWKS_PATH,
    summary="The keys that sign receipts",
    response_description="A JWK Set (RFC 7517) of public keys, each with its kid, alg and use.",
    responses={
        200: {"content": {"application/json": {"schema": {"type": "object"}, "examples": JWKS_EXAMPLES}}},
        **problem_responses(*ANY_REQUEST_PROBLEMS, instance=JWKS_PATH),
    },
)
@direct
async def jwks(request: Request) -> Response:
    """Every key a receipt of this service may be signed with: the current one and retired
    ones whose receipts have not all expired. Anyone can verify a receipt's signature with
    them (a receipt's header names its key by kid), without asking this service."""
    receipts: Receipts = request.app.state.receipts
    return Response(
        json.dumps(receipts.signer.keyring.jwks).encode(),
        media_type="application/json",
        headers={"Cache-Control": "public, max-age=300"},
    )
