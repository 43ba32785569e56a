"""A loaded, checked and compiled rule set: immutable, shared by every request."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from app.engine.codegen import (
    FastScreen,
    RuleSpec,
    build_fast_screen,
    outcome_questions,
)
from app.engine.conditions import Always, Condition
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
    predicates: dict[str, Condition]
    predicate_order: tuple[str, ...]  # dependencies first
    rules: tuple[Rule, ...]  # in rule-file order
    ranked: tuple[Rule, ...]  # most urgent first, then file order: how results list them
    findings: tuple[Finding, ...]
    advice: tuple[Advice, ...]
    locales: dict[str, dict[str, LocaleValue]]  # as written, placeholders unfilled
    countries: tuple[str, ...]
    default_country: str
    texts: dict[tuple[str, str], Texts]  # (language, country) -> rendered texts
    fast_screen: FastScreen  # answer check, skip logic and rules in one generated function
    # questionnaire.gate_sources of these questions, found at load: skip logic evaluates each
    # distinct enable_when once, and comparing conditions on every request cost more than that.
    gate_sources: dict[str, str]

    def with_rules(self, rules: tuple[Rule, ...]) -> "RuleSet":
        """A copy with other rules (e.g. a weakened one) and the functions compiled for them."""
        ranked = rank(rules)
        fast_screen = compile_rules(
            self.questions,
            self.accepts,
            self.predicates,
            self.predicate_order,
            ranked,
            self.findings,
            self.advice,
            self.id,
        )
        return replace(self, rules=rules, ranked=ranked, fast_screen=fast_screen)

    @cached_property
    def with_outcome(self) -> dict[str, Question]:
        """The questions and the virtual outcome questions that advice conditions read."""
        return {**self.questions, **outcome_questions([rule.id for rule in self.ranked], DOMAINS)}

    def texts_for(self, language: str, country: str | None = None) -> Texts:
        """Rendered texts; an unknown or missing country falls back to the default one."""
        chosen = country if country in self.countries else self.default_country
        return self.texts[(language, chosen)]

    def text(self, language: str, key: str, country: str | None = None) -> str:
        return self.texts_for(language, country).text(key)


def rank(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    return tuple(sorted(rules, key=lambda rule: (-rule.level.urgency, rule.order)))


def compile_rules(
    questions: Mapping[str, Question],
    accepts: Mapping[str, Callable[[object], bool]],
    predicates: Mapping[str, Condition],
    predicate_order: tuple[str, ...],
    ranked: tuple[Rule, ...],
    findings: tuple[Finding, ...],
    advice: tuple[Advice, ...],
    name: str,
) -> FastScreen:
    """The one generated function: the answer check, skip logic, and these rules (most urgent
    first), findings and advice, derived from the same checked data the interpreter reads."""
    predicate_list = [(pname, predicates[pname]) for pname in predicate_order]
    specs = [RuleSpec(rule.id, rule.level.value, rule.is_catch_all, rule.condition) for rule in ranked]
    finding_list = [(f.domain, f.some_condition, f.marked_condition) for f in findings]
    advice_list = [(entry.id, entry.condition) for entry in advice]
    return build_fast_screen(questions, accepts, predicate_list, specs, finding_list, advice_list, name)
