"""A loaded, checked and compiled rule set: immutable, shared by every request."""

from dataclasses import dataclass
from pathlib import Path

from app.engine.conditions import Always, Check, Condition
from app.engine.levels import Level
from app.engine.questionnaire import Question, Section

DOMAINS: tuple[str, ...] = (
    "hip",
    "postural_load",
    "core_stability",
    "nerve_related",
    "pf_bladder",
    "pf_bowel",
    "pf_prolapse",
    "pf_sexual_pain",
    "pf_pelvic_pain",
)
"""The per-domain findings every result reports (content spec 8.4)."""


@dataclass(frozen=True)
class Reference:
    id: str
    title: str
    url: str


@dataclass(frozen=True)
class Rule:
    """A compiled rule; ``questions`` lists the ids its condition reads, in questionnaire order."""

    id: str
    level: Level
    condition: Condition
    check: Check
    questions: tuple[str, ...]
    sources: tuple[Reference, ...]
    order: int

    @property
    def is_catch_all(self) -> bool:
        return isinstance(self.condition, Always)


@dataclass(frozen=True)
class Finding:
    domain: str
    some: Check
    marked: Check
    some_condition: Condition
    marked_condition: Condition


@dataclass(frozen=True)
class RuleSet:
    id: str
    version: str
    sha256: str
    directory: Path
    languages: tuple[str, ...]
    default_language: str
    sections: tuple[Section, ...]
    questions: dict[str, Question]
    enable_checks: dict[str, Check]
    predicates: dict[str, Condition]
    rules: tuple[Rule, ...]
    findings: tuple[Finding, ...]
    locales: dict[str, dict[str, str | list[str]]]

    def text(self, language: str, key: str) -> str:
        """A text the loader checked to exist in every language."""
        value = self.locales[language][key]
        if not isinstance(value, str):
            raise TypeError(f"locale key {key} holds a list, not a text")
        return value

    def text_list(self, language: str, key: str) -> list[str]:
        value = self.locales[language][key]
        if not isinstance(value, list):
            raise TypeError(f"locale key {key} holds a text, not a list")
        return value

    def optional_text(self, language: str, key: str) -> str | None:
        value = self.locales[language].get(key)
        return value if isinstance(value, str) else None
