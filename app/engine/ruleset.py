"""A loaded, checked and compiled rule set: immutable, shared by every request."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from app.engine.codegen import Program, Visibility, build_program
from app.engine.conditions import Always, Check, Condition
from app.engine.levels import Level
from app.engine.localisation import LocaleValue, Texts
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
    """A checked rule; ``questions`` lists the ids its condition reads, in questionnaire order."""

    id: str
    level: Level
    condition: Condition
    questions: tuple[str, ...]
    sources: tuple[Reference, ...]
    order: int

    @property
    def is_catch_all(self) -> bool:
        return isinstance(self.condition, Always)


@dataclass(frozen=True)
class Finding:
    domain: str
    some_condition: Condition
    marked_condition: Condition


@dataclass(frozen=True)
class Advice:
    """An advice flag: shown beside the result, never changing its level."""

    id: str
    condition: Condition
    check: Check


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
    accepts: dict[str, Callable[[object], bool]]  # quick validity test per question
    visibility: Visibility  # skip logic, compiled
    predicates: dict[str, Condition]
    predicate_order: tuple[str, ...]  # dependencies first
    predicate_checks: dict[str, Check]
    rules: tuple[Rule, ...]
    findings: tuple[Finding, ...]
    advice: tuple[Advice, ...]
    locales: dict[str, dict[str, LocaleValue]]  # as written, placeholders unfilled
    countries: tuple[str, ...]
    default_country: str
    texts: dict[tuple[str, str], Texts]  # (language, country) -> rendered texts
    program: Program  # every rule and finding condition, compiled into one function

    def with_rules(self, rules: tuple[Rule, ...]) -> "RuleSet":
        """A copy with other rules (e.g. a weakened one) and a program compiled for them."""
        return replace(
            self,
            rules=rules,
            program=compile_program(
                self.questions, self.predicates, self.predicate_order, rules, self.findings, self.id
            ),
        )

    def texts_for(self, language: str, country: str | None = None) -> Texts:
        """Rendered texts; an unknown or missing country falls back to the default one."""
        chosen = country if country in self.countries else self.default_country
        return self.texts[(language, chosen)]

    def text(self, language: str, key: str, country: str | None = None) -> str:
        return self.texts_for(language, country).text(key)


def compile_program(
    questions: Mapping[str, Question],
    predicates: Mapping[str, Condition],
    predicate_order: tuple[str, ...],
    rules: tuple[Rule, ...],
    findings: tuple[Finding, ...],
    name: str,
) -> Program:
    """The generated evaluation function: one flag per rule, then (some, marked) per finding."""
    finding_conditions = [c for f in findings for c in (f.some_condition, f.marked_condition)]
    return build_program(
        questions,
        [(pname, predicates[pname]) for pname in predicate_order],
        [rule.condition for rule in rules],
        finding_conditions,
        name,
    )
