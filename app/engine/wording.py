"""Wording lint: phrases a non-diagnostic screener must never say (content spec 7.3)."""

import re
from collections.abc import Iterator

from app.engine.ruleset import RuleSet

# The only sanctioned uses of "diagnosis": saying that this is not one.
_ALLOWED = {
    "en": re.compile(r"this is not a diagnosis|does not give a diagnosis|not a diagnosis", re.IGNORECASE),
    "fr": re.compile(
        r"ceci n['\u2019]est pas un diagnostic|ne donne pas de diagnostic|ne pose pas de diagnostic|pas un diagnostic",
        re.IGNORECASE,
    ),
}
_BANNED = {
    "en": [
        r"(?<!do )\byou have (?:a|an|got)\b",  # questions ("Do you have a…") are fine
        r"\byou(?:'ve| have) been diagnosed\b",
        r"\bdiagnos\w*",
        r"\bdetects?\b",
        r"\bconfirms?\b",
        r"\brul(?:e|es|ed|ing) out\b",
        r"\b(?:don['\u2019]t|do not) need to see a doctor\b",
        r"\bsafe to ignore\b",
        r"\btreat(?:s|ed|ing|ment|ments)?\b",
        r"\bcur(?:e|es|ed|ing)\b",
        r"\bheal(?:s|ed|ing)?\b",
        r"\bfix(?:es|ed|ing)?\b",
        r"\bguarantee(?:d|s)?\b",
        r"\bclinically proven\b",
        r"\bai doctor\b",
        r"\bmedical-grade\b",
        r"\d\s?%",
    ],
    "fr": [
        r"\bdiagnosti\w*",
        r"\bvous souffrez d",
        r"\bvous êtes atteint",
        r"\bdétecte\w*",
        r"\bconfirme\w*",
        r"\bexclu(?:t|re|ent)\b",
        r"\bécart(?:e|er|ent)\b",
        r"\btrait(?:er|ement|ements|é|ée)\b",
        r"\bguéri\w*",
        r"\bgaranti\w*",
        r"\bcliniquement prouvé",
        r"\bsans danger d['\u2019]ignorer\b",
        r"\d\s?%",
    ],
}
_COMPILED = {language: [re.compile(p, re.IGNORECASE) for p in patterns] for language, patterns in _BANNED.items()}


def banned_phrases(text: str, language: str) -> list[str]:
    """The banned phrases found in ``text`` (after removing the sanctioned disclaimers)."""
    allowed = _ALLOWED.get(language)
    cleaned = allowed.sub(" ", text) if allowed else text
    return [m.group(0) for pattern in _COMPILED.get(language, []) for m in pattern.finditer(cleaned)]


def wording_problems(ruleset: RuleSet) -> Iterator[tuple[str, str, str, list[str]]]:
    """(language, country, key, phrases) for every rendered text that breaks the wording rules."""
    for (language, country), texts in ruleset.texts.items():
        for key, value in texts.values.items():
            for item in value if isinstance(value, list) else [value]:
                found = banned_phrases(item, language)
                if found:
                    yield language, country, key, found
