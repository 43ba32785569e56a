"""Compile every rule and finding of a rule set into one generated Python function.

The function reads each answer once, computes each predicate once, and returns one boolean per
rule and per finding condition, which keeps a full evaluation to a few microseconds. Only
validated data reaches the generated source: question and predicate ids match
``[a-z][a-z0-9_]*``, and every value is an option id, a whole number or a boolean (checked at
load), written with ``repr``; sets of values are passed in as constants, never as text.
"""

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app.engine import conditions as cond
from app.engine.questionnaire import Answers, Question

Program = Callable[[Answers], tuple[tuple[bool, ...], tuple[bool, ...]]]


class _Writer:
    def __init__(self, questions: Mapping[str, Question]) -> None:
        self.questions = questions
        self.constants: dict[str, Any] = {}
        self.read: dict[str, str] = {}  # question id -> local variable

    def constant(self, value: Any) -> str:
        name = f"C{len(self.constants)}"
        self.constants[name] = value
        return name

    def var(self, qid: str) -> str:
        return self.read.setdefault(qid, f"a_{qid}")

    def expression(self, condition: cond.Condition) -> str:
        if isinstance(condition, cond.Always):
            return "True"
        if isinstance(condition, cond.PredicateRef):
            return f"p_{condition.name}"
        if isinstance(condition, cond.NotOf):
            return f"(not {self.expression(condition.item)})"
        if isinstance(condition, (cond.AllOf, cond.AnyOf)):
            joiner = " and " if isinstance(condition, cond.AllOf) else " or "
            return "(" + joiner.join(self.expression(item) for item in condition.items) + ")"
        return self.leaf(condition)

    def leaf(self, leaf: cond.Leaf) -> str:
        question = self.questions[leaf.question]
        v, op, value = self.var(leaf.question), leaf.op, leaf.value
        # Answers never hold None, so None stands for "unanswered" and every comparison
        # with it is false, as the condition semantics require.
        if op == "answered":
            return f"({v} is not None)"
        if op == "not_answered":
            return f"({v} is None)"
        if op == "equals":
            return f"({v} == {value!r})"
        if op == "not_equals":
            return f"({v} is not None and {v} != {value!r})"
        if op == "in":
            return f"({v} in {self.constant(frozenset(value))})"
        if op == "not_in":
            return f"({v} is not None and {v} not in {self.constant(frozenset(value))})"
        if op in cond.ORDINAL_OPERATORS:
            if question.type == "single_choice":
                return f"({v} in {self.constant(_ordinal_members(question, op, value))})"
            symbol = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[op]
            return f"({v} is not None and {v} {symbol} {value!r})"
        if op == "contains":
            return f"({v} is not None and {value!r} in {v})"
        if op == "not_contains":
            return f"({v} is not None and {value!r} not in {v})"
        if op == "contains_any":
            return f"({v} is not None and not {self.constant(frozenset(value))}.isdisjoint({v}))"
        if op == "contains_all":
            return f"({v} is not None and {self.constant(frozenset(value))} <= {v})"
        symbol = ">=" if op == "count_gte" else "<="
        return f"({v} is not None and len({v} - {self.constant(question.exclusive)}) {symbol} {value!r})"


def _ordinal_members(question: Question, op: str, value: str) -> frozenset[str]:
    """The options an ordinal comparison accepts, so it becomes one set lookup."""
    position = question.options.index(value)
    compare = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}[op]
    return frozenset(option for i, option in enumerate(question.options) if compare(i, position))


def build_program(
    questions: Mapping[str, Question],
    predicates: Sequence[tuple[str, cond.Condition]],
    rule_conditions: Sequence[cond.Condition],
    finding_conditions: Sequence[cond.Condition],
    name: str = "ruleset",
) -> Program:
    """``predicates`` must come dependencies first. Returns the compiled function."""
    writer = _Writer(questions)
    body = [f"    p_{pname} = {writer.expression(condition)}" for pname, condition in predicates]
    rules = ", ".join(writer.expression(c) for c in rule_conditions)
    findings = ", ".join(writer.expression(c) for c in finding_conditions)
    reads = [f"    {variable} = get({qid!r})" for qid, variable in writer.read.items()]
    source = "\n".join(
        [
            "def program(answers):",
            "    get = answers.get",
            *reads,
            *body,
            f"    return ({rules},), ({findings},)",
        ]
    )
    namespace: dict[str, Any] = {"__builtins__": {"len": len}, **writer.constants}
    exec(compile(source, f"<rules of {name}>", "exec"), namespace)  # noqa: S102 - source built from checked data only
    program: Program = namespace["program"]
    return program


Visibility = Callable[[Answers, frozenset[str]], tuple[Answers, list[str], list[str], list[str]]]


def build_visibility(questions: Mapping[str, Question], name: str = "ruleset") -> Visibility:
    """Skip logic as one generated function over typed answers, in questionnaire order.

    Returns (answers that apply, ignored ids, applicable ids, missing required ids). An answer
    to a question that does not apply is dropped before later conditions read it; ``unusable``
    holds ids whose answers were invalid, so they are not also reported missing.
    """
    writer = _Writer(questions)
    lines = [
        "def visibility(typed, unusable):",
        "    get = typed.get",
        "    effective = {}",
        "    ignored = []",
        "    applicable = []",
        "    missing = []",
    ]
    for qid, question in questions.items():
        variable = f"a_{qid}"
        lines.append(f"    {variable} = get({qid!r})")
        shown = [
            f"applicable.append({qid!r})",
            f"if {variable} is not None:",
            f"    effective[{qid!r}] = {variable}",
        ]
        if question.required:
            shown += [f"elif {qid!r} not in unusable:", f"    missing.append({qid!r})"]
        if question.enable_when is None:
            lines += [f"    {line}" for line in shown]
            continue
        # Conditions read the a_<id> locals of earlier items, which already hold None when
        # those items did not apply, so hidden answers never count.
        lines.append(f"    if {writer.expression(question.enable_when)}:")
        lines += [f"        {line}" for line in shown]
        lines += [
            "    else:",
            f"        if {variable} is not None:",
            f"            ignored.append({qid!r})",
            f"        {variable} = None",
        ]
    lines.append("    return effective, ignored, applicable, missing")
    namespace: dict[str, Any] = {"__builtins__": {"len": len}, **writer.constants}
    exec(compile("\n".join(lines), f"<skip logic of {name}>", "exec"), namespace)  # noqa: S102 - checked data only
    visibility: Visibility = namespace["visibility"]
    return visibility
