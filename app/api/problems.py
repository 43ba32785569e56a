"""RFC 9457 problem responses for every error, with one shape and no echo of the input."""

import logging
import traceback
from collections.abc import Sequence
from typing import cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from app.engine.errors import AnswerIssue
from app.schemas.examples import QUESTIONNAIRE_PATH, problem_examples
from app.schemas.problem import Problem, ProblemItem

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("app.errors")

_TITLES = {
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class ProblemError(Exception):
    """Raised by routes to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        type_: str = "about:blank",
        title: str | None = None,
        errors: Sequence[AnswerIssue] = (),
        headers: dict[str, str] | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.detail, self.type, self.errors = status, detail, type_, list(errors)
        self.title = title or _TITLES.get(status, "Error")
        self.headers = headers or {}
        self.reason = reason


def problem_response(
    status: int,
    detail: str,
    instance: str,
    *,
    type_: str = "about:blank",
    title: str | None = None,
    errors: Sequence[AnswerIssue] = (),
    headers: dict[str, str] | None = None,
    reason: str | None = None,
) -> Response:
    problem = Problem(
        type=type_,
        title=title or _TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=instance,
        errors=[ProblemItem(pointer=e.pointer, code=e.code, detail=e.detail) for e in errors] or None,
        reason=reason,
    )
    return Response(
        problem.model_dump_json(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def problem_for(exc: ProblemError, instance: str) -> Response:
    """The response a route's ProblemError stands for."""
    return problem_response(
        exc.status,
        exc.detail,
        instance,
        type_=exc.type,
        title=exc.title,
        errors=exc.errors,
        headers=exc.headers,
        reason=exc.reason,
    )


def log_crash(method: str, path: str, exc: BaseException) -> None:
    """Log an unhandled error by its type and where it happened (file, line and function of
    each frame), never its message or local values: those can hold the request's answers."""
    stack = " < ".join(
        f"{f.filename}:{f.lineno} in {f.name}" for f in reversed(traceback.extract_tb(exc.__traceback__))
    )
    logger.error("unhandled error on %s %s: %s", method, path, type(exc).__name__, extra={"stack": stack})


def crash_response(method: str, path: str, exc: BaseException) -> Response:
    """The 500 problem for an unhandled error (logged by log_crash)."""
    log_crash(method, path, exc)
    return problem_response(500, "Something went wrong on our side. Please try again.", path)


def install_problem_handlers(app: FastAPI) -> None:
    """Replace FastAPI's default error bodies (which echo input) with problem documents."""

    async def on_problem(request: Request, exc: Exception) -> Response:
        return problem_for(cast(ProblemError, exc), request.url.path)

    async def on_http(request: Request, exc: Exception) -> Response:
        exc = cast(StarletteHTTPException, exc)
        detail = {
            404: "There is nothing at this address.",
            405: "This address does not accept that method.",
        }.get(exc.status_code, _TITLES.get(exc.status_code, "Error"))
        return problem_response(exc.status_code, detail, request.url.path, headers=dict(exc.headers or {}))

    async def on_validation(request: Request, exc: Exception) -> Response:
        exc = cast(RequestValidationError, exc)
        # Only the location and type are kept: the default body would echo the input.
        issues = [
            AnswerIssue(
                "invalid_parameter",
                f"{error.get('type', 'invalid')}",
                "#/" + "/".join(str(part) for part in error.get("loc", ())),
            )
            for error in exc.errors()
        ]
        return problem_response(
            422,
            "A request parameter is not valid.",
            request.url.path,
            type_="/problems/invalid-parameter",
            title="Invalid parameter",
            errors=issues,
        )

    async def on_crash(request: Request, exc: Exception) -> Response:
        return crash_response(request.method, request.url.path, exc)

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_crash)


# The example problems each status shows in the OpenAPI document (app.schemas.examples).
_EXAMPLES = {
    400: ("malformed-json",),
    404: ("unknown-questionnaire",),
    408: ("request-timeout",),
    413: ("content-too-large",),
    415: ("unsupported-media-type",),
    422: ("invalid-parameter",),
    429: ("too-many-requests",),
    431: ("header-fields-too-large",),
    500: ("internal-error",),
    503: ("starting", "overloaded"),
}
_RETRY_AFTER = {"description": "Seconds to wait before trying again.", "schema": {"type": "integer", "examples": [1]}}
_HEADERS: dict[int, dict[str, object]] = {
    415: {"Accept-Post": {"description": "The media type to send.", "schema": {"type": "string"}}},
    429: {"Retry-After": _RETRY_AFTER},
    503: {"Retry-After": _RETRY_AFTER},
}
_DESCRIPTIONS = {
    400: "The body is not valid UTF-8 JSON (type /problems/malformed-json).",
    404: "No questionnaire has this id.",
    408: "The whole body did not arrive within 10 seconds of the headers (by default, "
    "SCREENER_BODY_TIMEOUT); the connection closes.",
    413: "The body is larger than the limit (16 KiB by default).",
    415: "The body is not declared as Content-Type: application/json.",
    422: "The request is well-formed JSON but not valid; errors lists each issue with a JSON Pointer and "
    "a stable code.",
    429: "Too many requests from this client address: screenings, or early checks (/progress and FHIR $screen, "
    "a budget of their own); wait Retry-After seconds.",
    431: "More than 100 header fields, or more than 16 KiB of header names and values (by default, "
    "SCREENER_MAX_HEADERS and SCREENER_MAX_HEADER_BYTES); the connection closes.",
    500: "An unexpected error on the server; nothing about the request is repeated.",
    503: "The service is starting (rule sets still loading), or is overloaded (type /problems/overloaded: "
    "as many requests in flight as it takes); retry after Retry-After seconds.",
}


ANY_REQUEST_PROBLEMS = (431, 500, 503)
"""What any route can answer: too many or too large header fields, a fault, starting or overloaded."""
JSON_BODY_PROBLEMS = (400, 408, 413, 415, 422)
"""What a route that reads a JSON body can answer about it: not JSON, too slow, too large, not
declared as JSON, not of the expected shape."""


def problem_responses(
    *statuses: int,
    instance: str = QUESTIONNAIRE_PATH,
    unprocessable: Sequence[str] = ("invalid-parameter",),
    limited: Sequence[str] = ("too-many-requests",),
) -> dict[int | str, dict[str, object]]:
    """OpenAPI ``responses=`` entries documenting problem bodies for these statuses, with an
    example of each problem a request for ``instance`` can get (``unprocessable``: the 422 ones;
    ``limited``: the 429 ones, as screenings and early checks have budgets of their own)."""
    responses: dict[int | str, dict[str, object]] = {}
    for status in sorted(set(statuses)):
        names = unprocessable if status == 422 else limited if status == 429 else _EXAMPLES.get(status, ())
        responses[status] = {
            "description": f"{_TITLES[status]}: {_DESCRIPTIONS[status]}"
            if status in _DESCRIPTIONS
            else _TITLES[status],
            "content": {
                PROBLEM_JSON: {
                    "schema": {"$ref": "#/components/schemas/Problem"},
                    "examples": problem_examples(names, instance),
                }
            },
            **({"headers": _HEADERS[status]} if status in _HEADERS else {}),
        }
    return responses
