"""Strict JSON request bodies: media type, content coding, duplicate keys, inexact numbers,
depth, shape.

Every failure is a ProblemError whose text names the member, never the submitted value.
"""

import json
import math
from decimal import Decimal
from typing import Any

from starlette.requests import Request

from app.api.problems import ProblemError
from app.engine.errors import AnswerIssue

_JSON_TYPES = ("application/json",)


class _DuplicateKey(ValueError):
    pass


class _NonFinite(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # built in C; a shorter dict means a key came twice
    if len(result) != len(pairs):
        raise _DuplicateKey
    return result


class _Inexact(ValueError):
    pass


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 overflows to infinity
        raise _NonFinite
    # An integer answer may be written 8.0 (JSON Schema's integer), but a number that only
    # rounds to an integer (1e-400 to 0, 8.0000000000000001 to 8) is not one.
    if value.is_integer() and not Decimal(text) == value:
        raise _Inexact
    return value


def _reject_constant(_name: str) -> Any:
    raise _NonFinite  # NaN, Infinity, -Infinity are not JSON


# Built once: json.loads with hooks builds a decoder and its scanner on every call.
_STRICT_DECODER = json.JSONDecoder(
    object_pairs_hook=_no_duplicates, parse_constant=_reject_constant, parse_float=_finite_float
)

BODY_SCOPE_KEY = "screener.body"


async def read_body(request: Request) -> bytes:
    """The request body, as HttpGuard already read it, else read now."""
    body = request.scope.get(BODY_SCOPE_KEY)
    return body if isinstance(body, bytes) else await request.body()


def declares_utf8(request: Request, media_types: tuple[str, ...]) -> bool:
    """Whether Content-Type is one of ``media_types`` (a charset, if given, must be UTF-8).

    Raises a 400 problem for two Content-Type fields (which one a proxy or framework reads
    differs) and a 415 for a content coding (gzip and the like: we read bodies as sent)."""
    # One pass over the raw fields (names arrive lower-cased, as ASGI asks): Starlette's
    # Headers would decode and scan them once for each lookup, on every request.
    types: list[bytes] = []
    coding: bytes | None = None
    for name, value in request.scope["headers"]:
        if name == b"content-type":
            types.append(value)
        elif name == b"content-encoding" and coding is None:
            coding = value  # the first field, as Headers.get reads it
    if len(types) > 1:
        raise ProblemError(400, "Send one Content-Type header field.")
    if coding is not None and coding.decode("latin-1").strip().lower() != "identity":
        raise ProblemError(
            415,
            "Send the body without a content coding (no Content-Encoding).",
            headers={"Accept-Encoding": "identity"},
        )
    media_type, _, params = (types[0].decode("latin-1") if types else "").partition(";")
    charset = params.strip().lower().removeprefix("charset=").strip('"') if "charset=" in params.lower() else "utf-8"
    return media_type.strip().lower() in media_types and charset == "utf-8"


def require_json(request: Request) -> None:
    """415 unless the body is declared as JSON (charset, if given, must be UTF-8)."""
    if not declares_utf8(request, _JSON_TYPES):
        raise ProblemError(
            415,
            "Send the body as JSON with the header Content-Type: application/json.",
            headers={"Accept-Post": "application/json"},
        )


def _invalid_body(code: str, detail: str, pointer: str, summary: str) -> ProblemError:
    return ProblemError(
        422, summary, type_="/problems/invalid-body", title="Invalid body", errors=[AnswerIssue(code, detail, pointer)]
    )


def _malformed(detail: str) -> ProblemError:
    return ProblemError(400, detail, type_="/problems/malformed-json", title="Malformed JSON")


def parse_json(body: bytes) -> Any:
    """Parse UTF-8 JSON, rejecting duplicate keys and non-finite numbers."""
    try:
        return _STRICT_DECODER.decode(body.decode("utf-8"))
    except _DuplicateKey:
        raise _invalid_body(
            "duplicate_key",
            "keys must be unique within an object",
            "#",
            "An object in the body has the same key twice.",
        ) from None
    except _NonFinite:
        raise _invalid_body(
            "invalid_number",
            "numbers must be finite",
            "#",
            "The body has a number JSON cannot carry (NaN, Infinity or too large).",
        ) from None
    except _Inexact:
        raise _invalid_body(
            "invalid_number",
            "numbers must be read exactly; write integers as integers",
            "#",
            "The body has a number that would be read as another value (too small or too precise).",
        ) from None
    except RecursionError:
        raise _malformed("The body is nested too deeply.") from None
    except (UnicodeDecodeError, ValueError):
        raise _malformed("The body is not valid UTF-8 JSON.") from None


def answers_from(document: Any) -> tuple[dict[str, object], list[str]]:
    """The ``answers`` object of a request and its optional ``skipped`` ids; anything else is a
    422 naming the member."""
    shape = "The request body does not have the expected shape."
    allowed = {"answers", "skipped"}
    if not isinstance(document, dict):
        raise _invalid_body("invalid_type", "the body must be a JSON object", "#", shape)
    if any(key not in allowed for key in document):
        # Client-chosen keys are not repeated back; the detail says what is allowed instead.
        members = " and ".join(f"'{m}'" for m in sorted(allowed))
        raise _invalid_body("unknown_field", f"the body takes only the members {members}", "#", shape)
    if "answers" not in document:
        raise _invalid_body("missing_field", "the body needs an 'answers' object", "#/answers", shape)
    answers = document["answers"]
    if not isinstance(answers, dict):
        raise _invalid_body("invalid_type", "'answers' must be an object keyed by question id", "#/answers", shape)
    skipped = document.get("skipped", [])
    if not isinstance(skipped, list) or not all(isinstance(item, str) for item in skipped) or len(skipped) > 500:
        raise _invalid_body("invalid_type", "'skipped' must be a list of question ids", "#/skipped", shape)
    return answers, skipped
