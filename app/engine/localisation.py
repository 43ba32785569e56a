"""Texts of one language for one country: locale texts with country placeholders filled in.

Emergency numbers and service names differ by country, so texts say ``{emergency_number}``
and the country table of the rule set supplies the value. Rendered once per rule set.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
GENERIC_COUNTRY = "generic"

LocaleValue = str | list[str]


@dataclass(frozen=True)
class Texts:
    language: str
    country: str
    values: Mapping[str, LocaleValue]
    services: Mapping[str, str]  # the country's emergency number and service names

    @property
    def emergency_number(self) -> str:
        return self.services["emergency_number"]

    def text(self, key: str) -> str:
        """A text the loader checked to exist in every language."""
        value = self.values[key]
        if not isinstance(value, str):
            raise TypeError(f"locale key {key} holds a list, not a text")
        return value

    def text_list(self, key: str) -> list[str]:
        value = self.values[key]
        if not isinstance(value, list):
            raise TypeError(f"locale key {key} holds a text, not a list")
        return value

    def optional(self, key: str) -> str | None:
        value = self.values.get(key)
        return value if isinstance(value, str) else None


def placeholders_in(value: LocaleValue) -> set[str]:
    items = value if isinstance(value, list) else [value]
    return {name for item in items for name in PLACEHOLDER.findall(item)}


def render(locale: Mapping[str, LocaleValue], values: Mapping[str, str]) -> dict[str, LocaleValue]:
    """Every text with its placeholders replaced (the loader checked they are all known)."""

    def fill(text: str) -> str:
        return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)

    return {key: [fill(v) for v in value] if isinstance(value, list) else fill(value) for key, value in locale.items()}
