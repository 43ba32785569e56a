"""What the v1 routes read from a request: the catalog, the rule set, language and country.

Routes read these directly rather than through FastAPI's parameter injection: injecting two
query parameters and two dependencies cost more per request than our whole screening
(measured with make bench), so parameters are checked here and documented through
``PARAMETERS`` in the OpenAPI document instead.
"""

import re
from typing import Any

from starlette.requests import Request

from app.api.catalog import Catalog
from app.api.problems import ProblemError
from app.api.rate_limit import RateLimiter
from app.engine.errors import AnswerIssue
from app.engine.languages import negotiate
from app.engine.ruleset import RuleSet

_LANG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")
_COUNTRY = re.compile(r"^([A-Za-z]{2}|generic)$")

QUESTIONNAIRE_ID: dict[str, Any] = {
    "name": "questionnaire_id",
    "in": "path",
    "required": True,
    "description": "Questionnaire id.",
    "schema": {"type": "string", "maxLength": 64, "examples": ["hip-pelvic-floor"]},
}
LANG: dict[str, Any] = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language of the texts; beats Accept-Language. Unsupported languages fall back to the "
    "questionnaire's default, and Content-Language says which was used.",
    "schema": {"type": "string", "maxLength": 35, "pattern": _LANG.pattern, "examples": ["fr"]},
}
COUNTRY: dict[str, Any] = {
    "name": "country",
    "in": "query",
    "required": False,
    "description": "ISO 3166 country code whose emergency numbers and service names the texts use. Countries "
    "the rule set does not know fall back to its default; the response says which was used.",
    "schema": {"type": "string", "pattern": _COUNTRY.pattern, "examples": ["gb"]},
}


def catalog_of(request: Request) -> Catalog:
    catalog: Catalog | None = getattr(request.app.state, "catalog", None)
    if catalog is None:
        raise ProblemError(503, "The service is starting; try again shortly.", headers={"Retry-After": "1"})
    return catalog


def ruleset_of(request: Request, catalog: Catalog | None = None) -> RuleSet:
    """The rule set the path names, in ``catalog`` (else the one served now)."""
    served = catalog if catalog is not None else catalog_of(request)
    ruleset = served.rulesets.get(request.path_params.get("questionnaire_id", ""))
    if ruleset is None:
        raise ProblemError(404, "There is no questionnaire with this id. GET /v1/questionnaires lists them.")
    return ruleset


def _query(request: Request, name: str, pattern: re.Pattern[str], max_length: int) -> str | None:
    if not request.scope.get("query_string"):
        return None
    value = request.query_params.get(name)
    if value is None:
        return None
    if len(value) > max_length or not pattern.match(value):
        raise ProblemError(
            422,
            "A request parameter is not valid.",
            type_="/problems/invalid-parameter",
            title="Invalid parameter",
            errors=[AnswerIssue("invalid_parameter", f"'{name}' does not have the expected form", f"#/query/{name}")],
        )
    return value


def language_of(request: Request, ruleset: RuleSet) -> str:
    """?lang= beats Accept-Language; the rule set's default language comes last."""
    requested = _query(request, "lang", _LANG, 35)
    return negotiate(requested, header(request, b"accept-language"), ruleset.languages, ruleset.default_language)


def header(request: Request, name: bytes) -> str | None:
    """The first field ``name`` (lower case), as ``request.headers.get`` reads it, without
    building Starlette's Headers: the v1 routes read one or two fields on every request."""
    fields: list[tuple[bytes, bytes]] = request.scope["headers"]
    for key, value in fields:
        if key == name:
            return value.decode("latin-1")
    return None


def country_of(request: Request, ruleset: RuleSet) -> str:
    """The request's country if the rule set knows it, else the configured or built-in default."""
    requested = _query(request, "country", _COUNTRY, 7)
    for candidate in (requested.lower() if requested else None, request.app.state.settings.default_country):
        if candidate in ruleset.countries:
            return candidate
    return ruleset.default_country


def enforce_rate_limit(request: Request) -> None:
    """429 with Retry-After once this client address is over its screenings per minute."""
    _enforce(request.app.state.rate_limiter, request, "screenings")


def enforce_check_rate_limit(request: Request) -> None:
    """429 with Retry-After once this client address is over its early checks per minute
    (/progress, FHIR $screen): a budget of its own, sized for one check per question."""
    _enforce(request.app.state.check_rate_limiter, request, "checks")


def _enforce(limiter: RateLimiter, request: Request, what: str) -> None:
    retry_after = limiter.retry_after(request.client.host if request.client else "-")
    if retry_after is not None:
        raise ProblemError(
            429,
            f"Too many {what} from this address; try again later.",
            headers={"Retry-After": str(retry_after)},
        )


def not_modified(request: Request, etag: str) -> bool:
    """Whether If-None-Match names ``etag`` (weak comparison, as RFC 9110 asks) or is ``*``."""
    if_none_match = request.headers.get("if-none-match")
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    return etag in {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
