"""RFC 9457 problem responses for every error, with one shape and no echo of the input."""

import logging
from collections.abc import Sequence
from typing import cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from app.engine.errors import AnswerIssue
from app.schemas.problem import Problem, ProblemItem

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("app.errors")

_TITLES = {
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
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
    ) -> None:
        super().__init__(detail)
        self.status, self.detail, self.type, self.errors = status, detail, type_, list(errors)
        self.title = title or _TITLES.get(status, "Error")
        self.headers = headers or {}


def problem_response(
    status: int,
    detail: str,
    instance: str,
    *,
    type_: str = "about:blank",
    title: str | None = None,
    errors: Sequence[AnswerIssue] = (),
    headers: dict[str, str] | None = None,
) -> Response:
    problem = Problem(
        type=type_,
        title=title or _TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=instance,
        errors=[ProblemItem(pointer=e.pointer, code=e.code, detail=e.detail) for e in errors] or None,
    )
    return Response(
        problem.model_dump_json(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Replace FastAPI's default error bodies (which echo input) with problem documents."""

    async def on_problem(request: Request, exc: Exception) -> Response:
        exc = cast(ProblemError, exc)
        return problem_response(
            exc.status,
            exc.detail,
            request.url.path,
            type_=exc.type,
            title=exc.title,
            errors=exc.errors,
            headers=exc.headers,
        )

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
        # Logged without the request body: it holds health answers.
        logger.error("unhandled error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
        return problem_response(500, "Something went wrong on our side. Please try again.", request.url.path)

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_crash)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """OpenAPI ``responses=`` entries documenting problem bodies for these statuses."""
    return {
        status: {
            "description": _TITLES[status],
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
