"""Compile a rule set into its one fast form: a generated Python function that checks valid,
complete answers, applies skip logic and evaluates every rule, finding and advice, derived from
the same checked data the interpreter (``semantics``) defines the meaning of.

The function reads each answer once and computes each predicate once. Only validated data
reaches the generated source: question and predicate ids match
``[a-z][a-z0-9_]*``, and every value is an option id, a whole number or a boolean (checked at
load), written with ``repr``; sets of values are passed in as constants, never as text.
"""

import linecache
import operator
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.engine import conditions as cond
from app.engine.questionnaire import Question


class _Writer:
    def __init__(self, questions: Mapping[str, Question], provided: frozenset[str] | set[str] = frozenset()) -> None:
        self.questions = questions
        self.provided = provided  # variables the generated code sets itself, not read from answers
        self.constants: dict[str, Any] = {}
        self.read: dict[str, str] = {}  # question id -> local variable
        self.inline: dict[str, cond.Condition] = {}  # predicates written where they are used

    def constant(self, value: Any) -> str:
        name = f"C{len(self.constants)}"
        self.constants[name] = value
        return name

    def var(self, qid: str) -> str:
        if qid in self.provided:
            return f"a_{qid}"
        return self.read.setdefault(qid, f"a_{qid}")

    def expression(self, condition: cond.Condition) -> str:
        if isinstance(condition, cond.Always):
            return "True"
        if isinstance(condition, cond.PredicateRef):
            inlined = self.inline.get(condition.name)
            return f"p_{condition.name}" if inlined is None else self.expression(inlined)
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


def define(source: str, filename: str, namespace: dict[str, Any], function: str) -> Any:
    """Compile generated ``source`` and return its ``function``. The source is registered with
    linecache, so a traceback through it shows its lines, and kept as the function's
    ``__source__`` (``screener source`` prints it)."""
    lines = [line + "\n" for line in source.splitlines()]
    # A None mtime marks the entry as not from a file, so linecache.checkcache keeps it. One
    # entry per name: a reloaded rule set replaces its sources rather than adding to them.
    linecache.cache[filename] = (len(source), None, lines, filename)
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - source built from checked data only
    defined = namespace[function]
    defined.__source__ = source
    return defined


def _ordinal_members(question: Question, op: str, value: str) -> frozenset[str]:
    """The options an ordinal comparison accepts, so it becomes one set lookup."""
    position = question.options.index(value)
    compare = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}[op]
    return frozenset(option for i, option in enumerate(question.options) if compare(i, position))


def outcome_questions(rule_ids: Sequence[str], domains: Sequence[str]) -> dict[str, Question]:
    """Virtual questions advice conditions read: the result level, fired rules, findings."""
    ascending = (
        "general_advice",
        "consider_pelvic_floor_physio",
        "recommend_pelvic_floor_physio",
        "prompt_medical_review",
        "urgent_same_day",
        "emergency",
    )
    virtual = {
        "result_level": Question("result_level", "", "single_choice", ascending, ordered=True),
        "fired_rules": Question("fired_rules", "", "multi_choice", tuple(rule_ids)),
    }
    for domain in domains:
        qid = f"finding_{domain}"
        virtual[qid] = Question(qid, "", "single_choice", ("none", "some", "marked"), ordered=True)
    return virtual


@dataclass(frozen=True)
class RuleSpec:
    id: str
    level: str
    catch_all: bool
    condition: cond.Condition


def _program_lines(
    writer: _Writer,
    predicates: Sequence[tuple[str, cond.Condition]],
    ranked_rules: Sequence[RuleSpec],
    findings: Sequence[tuple[str, cond.Condition, cond.Condition]],
    advice: Sequence[tuple[str, cond.Condition]],
) -> tuple[list[str], str]:
    """The body of the evaluation (indented one level) and the expression of its result."""
    # A predicate read in one place is written there, so it is computed only when that place
    # gets to it ("and"/"or" stop early); one read in several is computed once, up front.
    uses = Counter(
        name
        for condition in (
            *(condition for _, condition in predicates),
            *(rule.condition for rule in ranked_rules),
            *(part for _, some, marked in findings for part in (some, marked)),
            *(condition for _, condition in advice),
        )
        for name in cond.predicate_refs(condition)
    )
    writer.inline = {pname: condition for pname, condition in predicates if uses[pname] <= 1}
    lines = [
        f"    p_{pname} = {writer.expression(condition)}"
        for pname, condition in predicates
        if pname not in writer.inline
    ]
    lines.append("    fired = []")
    for index, rule in enumerate(ranked_rules):
        lines += [f"    if {writer.expression(rule.condition)}:", f"        fired.append({index})"]
    statuses = []
    for domain, some, marked in findings:
        variable = f"a_finding_{domain}"
        statuses.append(variable)
        lines.append(
            f"    {variable} = 'marked' if {writer.expression(marked)} else "
            f"'some' if {writer.expression(some)} else 'none'"
        )
    levels = writer.constant(tuple(rule.level for rule in ranked_rules))
    catch_alls = writer.constant(frozenset(i for i, rule in enumerate(ranked_rules) if rule.catch_all))
    ids = writer.constant(tuple(rule.id for rule in ranked_rules))
    lines += [
        f"    a_result_level = {levels}[fired[0]] if fired else 'general_advice'",
        "    if a_result_level != 'general_advice':",
        f"        fired = [i for i in fired if i not in {catch_alls}]",
    ]
    if advice:
        lines += [f"    a_fired_rules = frozenset([{ids}[i] for i in fired])", "    advice = []"]
        for advice_id, condition in advice:
            lines += [f"    if {writer.expression(condition)}:", f"        advice.append({advice_id!r})"]
    else:
        lines.append("    advice = []")
    return lines, f"fired, ({''.join(v + ', ' for v in statuses)}), advice"


def _outcome_ids(findings: Sequence[tuple[str, cond.Condition, cond.Condition]]) -> set[str]:
    return {"result_level", "fired_rules", *(f"finding_{domain}" for domain, _, _ in findings)}


_CHECK_BUILTINS = {"len": len, "type": type, "frozenset": frozenset, "bool": bool, "str": str, "int": int}


def _check_lines(
    writer: _Writer,
    questions: Mapping[str, Question],
    accepts: Mapping[str, Callable[[object], bool]],
) -> list[str]:
    """Type checks and skip logic in one pass over ``raw`` (indented one level): every question
    leaves its typed answer in ``a_<id>`` (None when unanswered or hidden), ``ignored`` lists
    hidden answers; any answer that is not valid as it stands, an unknown key or a missing
    required answer returns None."""
    lines = ["    get = raw.get", "    known = 0", "    ignored = []"]

    def accept_expression(qid: str, question: Question) -> str:
        variable = f"a_{qid}"
        if question.type == "boolean":
            return f"type({variable}) is bool"
        if question.type == "single_choice":
            return f"type({variable}) is str and {variable} in {writer.constant(frozenset(question.options))}"
        if question.is_numeric:
            return f"type({variable}) is int and {question.min!r} <= {variable} <= {question.max!r}"
        return f"{writer.constant(accepts[qid])}({variable})"

    def read(qid: str, question: Question) -> list[str]:
        variable = f"a_{qid}"
        block = [
            f"{variable} = get({qid!r}, MISSING)",
            f"if {variable} is MISSING:",
            f"    {variable} = None",
            "else:",
            "    known += 1",
            f"    if not ({accept_expression(qid, question)}):",
            "        return None",
        ]
        if question.type == "multi_choice":
            block.append(f"    {variable} = frozenset({variable})")
        return block

    def shown(qid: str, question: Question) -> list[str]:
        block = read(qid, question)
        if question.required:
            block += [f"if a_{qid} is None:", "    return None"]
        return block

    def hidden(qid: str, question: Question) -> list[str]:
        # Hidden answers are rare: test presence first; a present one must still be valid.
        block = [
            f"if {qid!r} in raw:",
            *("    " + line for line in read(qid, question)),
            f"    ignored.append({qid!r})",
        ]
        return [*block, f"a_{qid} = None"]

    # Consecutive items with the same enable_when (a gate's detail items) share one test.
    items = list(questions.items())
    start = 0
    while start < len(items):
        condition = items[start][1].enable_when
        end = start + 1
        while end < len(items) and condition is not None and items[end][1].enable_when == condition:
            end += 1
        group = items[start:end]
        if condition is None:
            lines += ["    " + line for qid, question in group for line in shown(qid, question)]
        else:
            lines.append(f"    if {writer.expression(condition)}:")
            lines += ["        " + line for qid, question in group for line in shown(qid, question)]
            lines.append("    else:")
            lines += ["        " + line for qid, question in group for line in hidden(qid, question)]
        start = end
    return [*lines, "    if known != len(raw):", "        return None"]


FastScreen = Callable[[Mapping[str, object]], tuple[list[int], tuple[str, ...], list[str], list[str]] | None]


def build_fast_screen(
    questions: Mapping[str, Question],
    accepts: Mapping[str, Callable[[object], bool]],
    predicates: Sequence[tuple[str, cond.Condition]],
    ranked_rules: Sequence[RuleSpec],
    findings: Sequence[tuple[str, cond.Condition, cond.Condition]],
    advice: Sequence[tuple[str, cond.Condition]],
    name: str = "ruleset",
) -> FastScreen:
    """The fast check and the evaluation as one function, for the common case of valid,
    complete answers: the rules read the typed answers the check leaves in local variables,
    so no dictionary of applicable answers is built and nothing is looked up twice.

    It returns the indices (into ``ranked_rules``) of the rules to report (the catch-all only
    when nothing above general advice fired), the finding statuses, the advice ids and the
    ignored ids; or None when an answer is invalid, unknown or a required one is missing (the
    caller then checks in full, which explains every problem). ``questions`` are the real
    ones; the virtual outcome questions are added here."""
    outcome = outcome_questions([rule.id for rule in ranked_rules], [domain for domain, _, _ in findings])
    writer = _Writer({**questions, **outcome}, provided={*questions, *_outcome_ids(findings)})
    check = _check_lines(writer, questions, accepts)
    program, result = _program_lines(writer, predicates, ranked_rules, findings, advice)
    source = "\n".join(["def fast_screen(raw):", *check, *program, f"    return {result}, ignored"])
    namespace: dict[str, Any] = {"__builtins__": _CHECK_BUILTINS, "MISSING": object(), **writer.constants}
    fast_screen: FastScreen = define(source, f"<answer check and rules of {name}>", namespace, "fast_screen")
    return fast_screen
