"""Structured conditions: parse from rule files, type-check against questions, compile once.

A condition is ``{all: [...]}``, ``{any: [...]}``, ``{not: ...}``, ``{predicate: name}``,
``{always: true}`` or a leaf ``{question, op, value}``. No expression strings, no ``eval``.
A leaf on an unanswered question is false, except ``not_answered``: unknown is never "no".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    from app.engine.questionnaire import Answers, Question

Check = Callable[["Answers"], bool]

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


def compile_condition(
    condition: Condition,
    questions: Mapping[str, Question],
    predicates: Mapping[str, Check],
) -> Check:
    """Turn a checked condition into a closure over an answers dict (done once at load)."""
    if isinstance(condition, Always):
        return lambda answers: True
    if isinstance(condition, PredicateRef):
        return predicates[condition.name]
    if isinstance(condition, NotOf):
        inner = compile_condition(condition.item, questions, predicates)
        return lambda answers: not inner(answers)
    if isinstance(condition, (AllOf, AnyOf)):
        parts = tuple(compile_condition(item, questions, predicates) for item in condition.items)
        if isinstance(condition, AllOf):
            return lambda answers: all(part(answers) for part in parts)
        return lambda answers: any(part(answers) for part in parts)
    return _compile_leaf(condition, questions[condition.question])


def _compile_leaf(leaf: Leaf, question: Question) -> Check:
    qid, op, value = leaf.question, leaf.op, leaf.value
    if op == "answered":
        return lambda answers: qid in answers
    if op == "not_answered":
        return lambda answers: qid not in answers
    if op == "equals":
        return lambda answers: qid in answers and answers[qid] == value
    if op == "not_equals":
        return lambda answers: qid in answers and answers[qid] != value
    if op in ("in", "not_in"):
        members = frozenset(value)
        if op == "in":
            return lambda answers: qid in answers and answers[qid] in members
        return lambda answers: qid in answers and answers[qid] not in members
    if op in ORDINAL_OPERATORS:
        return _compile_ordinal(qid, op, value, question)
    return _compile_multi(qid, op, value, question)


def _selected(answers: Answers, qid: str) -> frozenset[str]:
    value = answers.get(qid)
    return value if isinstance(value, frozenset) else frozenset()


def _compile_multi(qid: str, op: str, value: Any, question: Question) -> Check:
    if op == "contains":
        return lambda answers: value in _selected(answers, qid)
    if op == "not_contains":
        return lambda answers: qid in answers and value not in _selected(answers, qid)
    if op == "contains_any":
        wanted = frozenset(value)
        return lambda answers: not wanted.isdisjoint(_selected(answers, qid))
    if op == "contains_all":
        wanted = frozenset(value)
        return lambda answers: qid in answers and wanted <= _selected(answers, qid)
    # Exclusive options such as "none" are not symptoms, so they do not count.
    counted = question.exclusive
    if op == "count_gte":
        return lambda answers: qid in answers and len(_selected(answers, qid) - counted) >= value
    if op == "count_lte":
        return lambda answers: qid in answers and len(_selected(answers, qid) - counted) <= value
    raise ValueError(f"operator {op!r} passed checks but has no compiler")


def _compile_ordinal(qid: str, op: str, value: Any, question: Question) -> Check:
    if question.type == "single_choice":
        # Ordered option sets compare by position in the list, e.g. weekly >= monthly.
        rank = {option: position for position, option in enumerate(question.options)}
        threshold = rank[value]

        def position(answers: Answers) -> int:
            return rank[answers[qid]]  # type: ignore[index]
    else:
        threshold = value

        def position(answers: Answers) -> int:
            return answers[qid]  # type: ignore[return-value]

    if op == "gt":
        return lambda answers: qid in answers and position(answers) > threshold
    if op == "gte":
        return lambda answers: qid in answers and position(answers) >= threshold
    if op == "lt":
        return lambda answers: qid in answers and position(answers) < threshold
    return lambda answers: qid in answers and position(answers) <= threshold


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
