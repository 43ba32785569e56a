"""Structured conditions: parse from rule files, type-check against questions, compile once.

A condition is ``{all: [...]}``, ``{any: [...]}``, ``{not: ...}``, ``{predicate: name}``,
``{always: true}`` or a leaf ``{question, op, value}``. No expression strings, no ``eval``.
What conditions mean is written once, in ``app.engine.semantics``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    from app.engine.questionnaire import Question

OPERATORS_BY_TYPE: dict[str, frozenset[str]] = {
    "boolean": frozenset({"equals", "not_equals", "answered", "not_answered"}),
    "single_choice": frozenset({"equals", "not_equals", "in", "not_in", "answered", "not_answered"}),
    "multi_choice": frozenset(
        {
            "contains",
            "not_contains",
            "contains_any",
            "contains_all",
            "count_gte",
            "count_lte",
            "answered",
            "not_answered",
        }
    ),
    "scale": frozenset({"equals", "not_equals", "in", "not_in", "gt", "gte", "lt", "lte", "answered", "not_answered"}),
}
OPERATORS_BY_TYPE["integer"] = OPERATORS_BY_TYPE["scale"]
ORDINAL_OPERATORS = frozenset({"gt", "gte", "lt", "lte"})
ALL_OPERATORS = frozenset().union(*OPERATORS_BY_TYPE.values())
_NO_VALUE = frozenset({"answered", "not_answered"})
_LIST_VALUE = frozenset({"in", "not_in", "contains_any", "contains_all"})
_COUNT_VALUE = frozenset({"count_gte", "count_lte"})


@dataclass(frozen=True)
class Leaf:
    question: str
    op: str
    value: Any = None


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class NotOf:
    item: Condition


@dataclass(frozen=True)
class PredicateRef:
    name: str


@dataclass(frozen=True)
class Always:
    pass


Condition = Union[Leaf, AllOf, AnyOf, NotOf, PredicateRef, Always]


class ConditionSyntaxError(ValueError):
    """A condition is malformed; ``path`` says where inside it (e.g. ``all[1].not``)."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


def parse(raw: object, path: str = "") -> Condition:
    """Parse the YAML/JSON form of a condition into a tree (structure only)."""
    here = path or "condition"
    if not isinstance(raw, Mapping):
        raise ConditionSyntaxError("a condition must be a mapping", here)
    keys = set(raw)
    for combinator in ("all", "any"):
        if combinator in keys:
            if keys != {combinator}:
                raise ConditionSyntaxError(f"'{combinator}' must stand alone in its mapping", here)
            items = raw[combinator]
            if not isinstance(items, list) or not items:
                raise ConditionSyntaxError(f"'{combinator}' takes a non-empty list", here)
            parsed = tuple(parse(item, f"{path}.{combinator}[{i}]".lstrip(".")) for i, item in enumerate(items))
            return AllOf(parsed) if combinator == "all" else AnyOf(parsed)
    if "not" in keys:
        if keys != {"not"}:
            raise ConditionSyntaxError("'not' must stand alone in its mapping", here)
        return NotOf(parse(raw["not"], f"{path}.not".lstrip(".")))
    if "predicate" in keys:
        if keys != {"predicate"} or not isinstance(raw["predicate"], str):
            raise ConditionSyntaxError("'predicate' takes a predicate name and stands alone", here)
        return PredicateRef(raw["predicate"])
    if "always" in keys:
        if keys != {"always"} or raw["always"] is not True:
            raise ConditionSyntaxError("'always' must be exactly 'always: true'", here)
        return Always()
    if "question" in keys:
        unknown = keys - {"question", "op", "value"}
        if unknown:
            raise ConditionSyntaxError(f"unknown key(s) in a leaf: {sorted(unknown)}", here)
        question, op = raw.get("question"), raw.get("op")
        if not isinstance(question, str):
            raise ConditionSyntaxError("'question' must be a question id", here)
        if not isinstance(op, str) or op not in ALL_OPERATORS:
            raise ConditionSyntaxError(f"unknown operator {op!r}; one of: {', '.join(sorted(ALL_OPERATORS))}", here)
        if op in _NO_VALUE:
            if "value" in raw:
                raise ConditionSyntaxError(f"'{op}' takes no value", here)
            return Leaf(question, op)
        if "value" not in raw:
            raise ConditionSyntaxError(f"'{op}' needs a value", here)
        value = raw["value"]
        return Leaf(question, op, tuple(value) if isinstance(value, list) else value)
    raise ConditionSyntaxError(
        "expected one of: all, any, not, predicate, always, or a leaf with question/op/value", here
    )


def walk(condition: Condition) -> Iterator[Condition]:
    """Every node of a condition tree, depth first (predicates are not expanded)."""
    yield condition
    if isinstance(condition, (AllOf, AnyOf)):
        for item in condition.items:
            yield from walk(item)
    elif isinstance(condition, NotOf):
        yield from walk(condition.item)


def leaves(condition: Condition) -> Iterator[Leaf]:
    return (node for node in walk(condition) if isinstance(node, Leaf))


def predicate_refs(condition: Condition) -> Iterator[str]:
    return (node.name for node in walk(condition) if isinstance(node, PredicateRef))


def expand_predicates(
    condition: Condition, predicates: Mapping[str, Condition], seen: frozenset[str] = frozenset()
) -> Condition:
    """``condition`` with every predicate it names written out (through other predicates).
    A predicate that refers back to itself stays a reference: the loader reports the cycle."""
    if isinstance(condition, PredicateRef):
        if condition.name not in predicates or condition.name in seen:
            return condition
        return expand_predicates(predicates[condition.name], predicates, seen | {condition.name})
    if isinstance(condition, AllOf):
        return AllOf(tuple(expand_predicates(item, predicates, seen) for item in condition.items))
    if isinstance(condition, AnyOf):
        return AnyOf(tuple(expand_predicates(item, predicates, seen) for item in condition.items))
    if isinstance(condition, NotOf):
        return NotOf(expand_predicates(condition.item, predicates, seen))
    return condition


def type_problem(leaf: Leaf, question: Question) -> tuple[str, str] | None:
    """Why ``leaf`` does not fit ``question``, as (code, message); None when it fits."""
    allowed = OPERATORS_BY_TYPE[question.type]
    if question.type == "single_choice" and question.ordered:
        allowed = allowed | ORDINAL_OPERATORS
    if leaf.op not in allowed:
        return (
            "operator_type_mismatch",
            f"operator '{leaf.op}' does not apply to {question.type} question '{question.id}'"
            + (" (its options are not ordered)" if leaf.op in ORDINAL_OPERATORS else "")
            + f"; use one of: {', '.join(sorted(allowed))}",
        )
    if leaf.op in _NO_VALUE:
        return None
    values = leaf.value if leaf.op in _LIST_VALUE else (leaf.value,)
    if leaf.op in _LIST_VALUE and (not isinstance(leaf.value, tuple) or not leaf.value):
        return ("value_type_mismatch", f"operator '{leaf.op}' takes a non-empty list of values")
    if leaf.op in _COUNT_VALUE:
        if not _is_int(leaf.value) or leaf.value < 0:
            return ("value_type_mismatch", f"operator '{leaf.op}' takes a whole number >= 0")
        return None
    for value in values:
        if question.type == "boolean" and not isinstance(value, bool):
            return ("value_type_mismatch", f"boolean question '{question.id}' compares with true or false")
        if question.is_numeric and not _is_int(value):
            return ("value_type_mismatch", f"{question.type} question '{question.id}' compares with whole numbers")
        if question.is_choice:
            if not isinstance(value, str):
                return ("value_type_mismatch", f"question '{question.id}' compares with option values (strings)")
            if value not in question.options:
                return ("unknown_option", f"'{value}' is not an option of question '{question.id}'")
    return None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def to_public(condition: Condition, predicates: Mapping[str, Condition]) -> dict[str, Any]:
    """The JSON form clients evaluate themselves; predicates are inlined so it stands alone."""
    if isinstance(condition, Leaf):
        node: dict[str, Any] = {"question": condition.question, "op": condition.op}
        if condition.op not in _NO_VALUE:
            node["value"] = list(condition.value) if isinstance(condition.value, tuple) else condition.value
        return node
    if isinstance(condition, AllOf):
        return {"all": [to_public(item, predicates) for item in condition.items]}
    if isinstance(condition, AnyOf):
        return {"any": [to_public(item, predicates) for item in condition.items]}
    if isinstance(condition, NotOf):
        return {"not": to_public(condition.item, predicates)}
    if isinstance(condition, PredicateRef):
        return to_public(predicates[condition.name], predicates)
    return {"always": True}
