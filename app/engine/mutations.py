"""Weakened copies of a rule set's urgent rules, to prove the golden cases guard each one.

A mutant deletes a rule, lowers its level one step, drops one branch of an ``any``, or drops
one value of an ``in``/``contains_any`` list. Predicates the rule uses are inlined first, so
each branch of a shared helper (such as "back or leg pain") must matter to some case.
Branches under ``not`` are left alone: dropping them would make the rule fire more, not less.
A good case suite makes every mutant fail.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from app.engine import conditions as cond
from app.engine.levels import Level
from app.engine.ruleset import Rule, RuleSet

_LOWER = dict(zip(Level, list(Level)[1:], strict=False))


@dataclass(frozen=True)
class Mutant:
    description: str
    ruleset: RuleSet


def _weaker_conditions(condition: cond.Condition) -> Iterator[tuple[str, cond.Condition]]:
    """Every condition one step weaker (fewer ways to be true) than ``condition``."""
    if isinstance(condition, cond.AnyOf) and len(condition.items) > 1:
        for index in range(len(condition.items)):
            rest = (*condition.items[:index], *condition.items[index + 1 :])
            yield f"any-branch dropped: {_short(condition.items[index])}", cond.AnyOf(rest)
    if isinstance(condition, cond.Leaf) and condition.op in ("in", "contains_any") and len(condition.value) > 1:
        for value in condition.value:
            kept = tuple(v for v in condition.value if v != value)
            yield f"{condition.question} loses value {value}", replace(condition, value=kept)
    if isinstance(condition, (cond.AllOf, cond.AnyOf)):
        for index, item in enumerate(condition.items):
            for description, weaker in _weaker_conditions(item):
                items = (*condition.items[:index], weaker, *condition.items[index + 1 :])
                yield description, type(condition)(items)


def _short(condition: cond.Condition) -> str:
    if isinstance(condition, cond.Leaf):
        value = "" if condition.value is None else f" {condition.value}"
        return f"{condition.question} {condition.op}{value}"
    if isinstance(condition, (cond.AllOf, cond.AnyOf)):
        kind = "all" if isinstance(condition, cond.AllOf) else "any"
        return f"{kind}({', '.join(_short(item) for item in condition.items)})"
    if isinstance(condition, cond.NotOf):
        return f"not({_short(condition.item)})"
    return type(condition).__name__


def inline_predicates(condition: cond.Condition, predicates: Mapping[str, cond.Condition]) -> cond.Condition:
    """The condition with every predicate reference replaced by its definition."""
    if isinstance(condition, cond.PredicateRef):
        return inline_predicates(predicates[condition.name], predicates)
    if isinstance(condition, (cond.AllOf, cond.AnyOf)):
        return type(condition)(tuple(inline_predicates(item, predicates) for item in condition.items))
    if isinstance(condition, cond.NotOf):
        return cond.NotOf(inline_predicates(condition.item, predicates))
    return condition


def mutants(ruleset: RuleSet, levels: frozenset[Level]) -> Iterator[Mutant]:
    """Mutants of every rule whose level is in ``levels``."""
    for position, rule in enumerate(ruleset.rules):
        if rule.level not in levels:
            continue

        def with_rule(new: Rule | None, pos: int = position) -> RuleSet:
            rules = ruleset.rules[:pos] + ((new,) if new else ()) + ruleset.rules[pos + 1 :]
            return ruleset.with_rules(rules)

        yield Mutant(f"{rule.id}: deleted", with_rule(None))
        yield Mutant(
            f"{rule.id}: level lowered to {_LOWER[rule.level].value}",
            with_rule(replace(rule, level=_LOWER[rule.level])),
        )
        for description, weaker in _weaker_conditions(inline_predicates(rule.condition, ruleset.predicates)):
            yield Mutant(f"{rule.id}: {description}", with_rule(replace(rule, condition=weaker)))
