"""Pick the response language: an explicit ``lang`` beats Accept-Language; default last."""

import re
from functools import lru_cache

from babel.core import negotiate_locale

_TAG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")


def is_language_tag(value: str) -> bool:
    """Loose BCP 47 shape check (``fr``, ``fr-CA``, ``zh-Hant-TW``)."""
    return len(value) <= 35 and bool(_TAG.match(value))


def parse_accept_language(header: str) -> list[str]:
    """Tags from an Accept-Language header, best first; malformed parts are skipped."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag == "*" or not is_language_tag(tag) or not 0 < quality <= 1:
            continue
        weighted.append((-quality, position, tag.replace("_", "-")))
    return [tag for _, _, tag in sorted(weighted)]


# Real Accept-Language values are a few dozen bytes: those are cached as sent. Anything longer
# is cut, parsed, and cached by the tags it names, so distinct huge headers cannot fill memory.
_CACHED_AS_SENT = 256
_READ_AT_MOST = 1024
_TAGS_AT_MOST = 8


def negotiate(requested: str | None, accept_language: str | None, available: tuple[str, ...], default: str) -> str:
    """The best available language for this request (pure, so cached: browsers send few
    distinct Accept-Language values)."""
    if accept_language is None or len(accept_language) <= _CACHED_AS_SENT:
        return _negotiate_header(requested, accept_language, available, default)
    tags = tuple(parse_accept_language(accept_language[:_READ_AT_MOST])[:_TAGS_AT_MOST])
    return _negotiate_tags(((requested,) if requested else ()) + tags, available, default)


@lru_cache(maxsize=1024)
def _negotiate_header(
    requested: str | None, accept_language: str | None, available: tuple[str, ...], default: str
) -> str:
    preferred: tuple[str, ...] = (requested,) if requested else ()
    if accept_language:
        preferred += tuple(parse_accept_language(accept_language))
    return _negotiate_tags(preferred, available, default)


@lru_cache(maxsize=1024)
def _negotiate_tags(preferred: tuple[str, ...], available: tuple[str, ...], default: str) -> str:
    by_lower = {language.lower(): language for language in available}
    for tag in preferred:
        # Babel matches "fr-CA" to "fr" and knows aliases; it answers in the caller's casing.
        match = negotiate_locale([tag.replace("-", "_")], list(available), sep="_")
        if match is None:
            match = tag.split("-")[0]
        if match.lower() in by_lower:
            return by_lower[match.lower()]
    return default
