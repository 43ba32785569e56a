"""Request ids: the caller's X-Request-ID when it is a safe token, else a new uuid4 hex."""

import os
import random
import re

from starlette.types import Scope

SCOPE_KEY = "screener.request_id"
HEADER = b"x-request-id"
# Letters, digits and . _ - only, at most 64: safe in logs and headers, no room for answers.
_SAFE = re.compile(rb"[A-Za-z0-9._-]{1,64}")


def request_id_of(scope: Scope) -> bytes:
    """The id for this request (also stored in the scope for error handlers)."""
    name: bytes
    value: bytes
    for name, value in scope["headers"]:
        if name == HEADER:
            if _SAFE.fullmatch(value):
                scope[SCOPE_KEY] = value
                return value
            break
    new = new_request_id()
    scope[SCOPE_KEY] = new
    return new


_VERSION_4 = 0x4000 << 64  # the version nibble of a UUID, as uuid.UUID(version=4) sets it
_VARIANT = 0x8000 << 48  # the RFC 4122 variant bits


# A generator of our own, seeded from the system: tests and libraries may seed the shared one.
_RANDOM = random.Random()  # noqa: S311 - ids for correlation, not secrets
# Reseeded in a forked child, or two workers of a pre-forking server would repeat each other.
os.register_at_fork(after_in_child=_RANDOM.seed)


def new_request_id() -> bytes:
    """A random uuid4 in hex, built directly: uuid.uuid4().hex costs four times as much.
    A request id only has to be unique, not unguessable (callers may choose their own), so
    it comes from a seeded generator rather than a system call per request."""
    value = _RANDOM.getrandbits(128)
    value = (value & ~(0xF000 << 64) | _VERSION_4) & ~(0xC000 << 48) | _VARIANT
    return b"%032x" % value
