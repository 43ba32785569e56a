"""Compile a rule set into its one fast form: a generated Python function that checks valid,
complete answers, applies skip logic and evaluates every rule, finding and advice, derived from
the same checked data the interpreter (``semantics``) defines the meaning of.

The function reads each answer once and computes each predicate once. A condition that needs
an answer behind a gate (an ``enable_when``) first tests the flag the check keeps for that
gate: while the gate is shut the answer is None and the condition false. Only validated data
reaches the generated source: question and predicate ids match
``[a-z][a-z0-9_]*``, and every value is an option id, a whole number or a boolean (checked at
load), written with ``repr``; sets of values are passed in as constants, never as text.
"""

import linecache
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.engine import conditions as cond
from app.engine.questionnaire import Question, gate_sources


def required_answers(condition: cond.Condition, predicates: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """The questions a condition cannot hold without: unanswered (or hidden), each makes it
    false. Every leaf but ``not_answered`` is false on an unanswered question (see
    ``semantics.leaf_holds``); ``all`` needs what any part needs, ``any`` what every part
    needs, ``not`` and ``always`` nothing. ``predicates`` gives what each predicate needs (a
    predicate not in it counts as needing nothing, which is always safe)."""
    if isinstance(condition, cond.Leaf):
        return frozenset() if condition.op == "not_answered" else frozenset({condition.question})
    if isinstance(condition, cond.PredicateRef):
        return predicates.get(condition.name, frozenset())
    if isinstance(condition, cond.AllOf):
        return frozenset().union(*(required_answers(item, predicates) for item in condition.items))
    if isinstance(condition, cond.AnyOf):
        return frozenset.intersection(*(required_answers(item, predicates) for item in condition.items))
    return frozenset()


_Groups = list[tuple[cond.Condition | None, list[tuple[str, Question]]]]
"""The questions in order, a gate's consecutive detail items together (see _gated_groups)."""


class _Writer:
    def __init__(
        self,
        questions: Mapping[str, Question],
        provided: frozenset[str] | set[str] = frozenset(),
        outcome: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        self.questions = questions
        self.provided = provided  # variables the generated code sets itself, not read from answers
        self.outcome = outcome  # of those, the ones it always sets (the virtual outcome questions)
        self.constants: dict[str, Any] = {}
        self.read: dict[str, str] = {}  # question id -> local variable
        self.inline: dict[str, cond.Condition] = {}  # predicates written where they are used
        # What a guard may rely on: a question behind a gate is None while the gate is shut, so
        # a condition that needs its answer is false then and can test the gate's flag first.
        self.needs: dict[str, frozenset[str]] = {}  # predicate -> questions it needs answered
        self.flags: dict[str, str] = {}  # gated question -> the local that says its gate is open
        self.implied: dict[str, frozenset[str]] = {}  # flag -> flags surely open when it is
        self.used: set[str] = set()  # flags some expression reads

    def constant(self, value: Any) -> str:
        name = f"C{len(self.constants)}"
        self.constants[name] = value
        return name

    def var(self, qid: str) -> str:
        if qid in self.provided:
            return f"a_{qid}"
        return self.read.setdefault(qid, f"a_{qid}")

    def open_gates(self, shown: Iterable[str]) -> set[str]:
        """The flags known open where the flags ``shown`` were tested."""
        return set(shown).union(*(self.implied[flag] for flag in shown))

    def guards(self, condition: cond.Condition, shown: frozenset[str]) -> tuple[str, ...]:
        """The gate flags worth testing before ``condition``: those of the gated questions it
        needs, less the ones already tested (``shown``) and the ones another of them implies."""
        flags = {self.flags[qid] for qid in required_answers(condition, self.needs) if qid in self.flags}
        if not flags:
            return ()
        flags -= self.open_gates(shown).union(*(self.implied[flag] for flag in flags))
        return tuple(flag for flag in self.implied if flag in flags)  # outer gates first

    def surely_answered(self, qid: str, shown: frozenset[str]) -> bool:
        """Whether the answer is surely there: the generated code sets the outcome itself, and
        the check returns None when a required question is shown but unanswered."""
        if qid in self.outcome:
            return True
        if not self.questions[qid].required:
            return False
        return qid not in self.flags or self.flags[qid] in self.open_gates(shown)

    def expression(self, condition: cond.Condition, shown: frozenset[str] = frozenset()) -> str:
        """``condition`` as a Python expression; ``shown`` names the gate flags known open."""
        guards = self.guards(condition, shown)
        self.used.update(guards)
        inside = shown.union(guards)
        if isinstance(condition, cond.AllOf):
            parts = [self.expression(item, inside) for item in condition.items]
        else:
            parts = [self.unguarded(condition, inside)]
        if not guards and len(parts) == 1:
            return parts[0]
        return "(" + " and ".join([*guards, *parts]) + ")"

    def unguarded(
        self, condition: cond.Leaf | cond.AnyOf | cond.NotOf | cond.PredicateRef | cond.Always, shown: frozenset[str]
    ) -> str:
        """``condition`` without the guards that ``expression`` writes in front of it."""
        if isinstance(condition, cond.Always):
            return "True"
        if isinstance(condition, cond.PredicateRef):
            inlined = self.inline.get(condition.name)
            return f"p_{condition.name}" if inlined is None else self.expression(inlined, shown)
        if isinstance(condition, cond.NotOf):
            return f"(not {self.expression(condition.item, shown)})"
        if isinstance(condition, cond.AnyOf):
            # Parts behind the same shut gate are all false: one test of its flag skips them
            # together. Which part is tried first does not change the value of "or".
            parts: dict[tuple[str, ...], list[cond.Condition]] = {}
            for item in condition.items:
                parts.setdefault(self.guards(item, shown), []).append(item)
            written = []
            for guards, items in parts.items():
                if guards and len(items) > 1:
                    self.used.update(guards)
                    inside = shown.union(guards)
                    either = " or ".join(self.expression(item, inside) for item in items)
                    written.append("(" + " and ".join([*guards, f"({either})"]) + ")")
                else:
                    written += [self.expression(item, shown) for item in items]
            return written[0] if len(written) == 1 else "(" + " or ".join(written) + ")"
        return self.leaf(condition, shown)

    def leaf(self, leaf: cond.Leaf, shown: frozenset[str]) -> str:
        question = self.questions[leaf.question]
        v, op, value = self.var(leaf.question), leaf.op, leaf.value
        # Answers never hold None, so None stands for "unanswered" and every comparison
        # with it is false, as the condition semantics require. A question surely answered
        # here needs no test for None.
        answered = self.surely_answered(leaf.question, shown)
        present = "" if answered else f"{v} is not None and "
        if op in ("answered", "not_answered"):
            if answered:
                return "True" if op == "answered" else "False"
            return f"({v} is not None)" if op == "answered" else f"({v} is None)"
        if question.type == "boolean" and op in ("equals", "not_equals"):
            # The check lets only True and False through: an identity test is the comparison.
            wanted = value if op == "equals" else not value
            return f"({v} is {wanted!r})"
        if op == "equals":
            return f"({v} == {value!r})"
        if op == "not_equals":
            return f"({present}{v} != {value!r})"
        if op == "in":
            return f"({v} in {self.constant(frozenset(value))})"
        if op == "not_in":
            return f"({present}{v} not in {self.constant(frozenset(value))})"
        if op in cond.ORDINAL_OPERATORS:
            if question.type == "single_choice":
                return f"({v} in {self.constant(_ordinal_members(question, op, value))})"
            symbol = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[op]
            return f"({present}{v} {symbol} {value!r})"
        if op == "contains":
            return f"({present}{value!r} in {v})"
        if op == "not_contains":
            return f"({present}{value!r} not in {v})"
        if op == "contains_any":
            return f"({present}not {self.constant(frozenset(value))}.isdisjoint({v}))"
        if op == "contains_all":
            return f"({present}{self.constant(frozenset(value))} <= {v})"
        symbol = ">=" if op == "count_gte" else "<="
        return f"({present}len({v} - {self.constant(question.exclusive)}) {symbol} {value!r})"


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
    # A computed predicate costs one read, no more than a gate's flag: only the ones written
    # where they are read lend their needs to the guards.
    for pname, condition in predicates:
        if pname in writer.inline:
            writer.needs[pname] = required_answers(condition, writer.needs)
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
    catch_alls = [i for i, rule in enumerate(ranked_rules) if rule.catch_all]
    if any(not isinstance(ranked_rules[i].condition, cond.Always) for i in catch_alls):
        raise ValueError("a catch-all rule's condition is 'always'")
    # A catch-all always fires, so it is in fired exactly once: removing it is the filter.
    lines.append(f"    a_result_level = {levels}[fired[0]] if fired else 'general_advice'")
    if catch_alls:
        lines.append("    if a_result_level != 'general_advice':")
        lines += [f"        fired.remove({i})" for i in catch_alls]
    if advice:
        rule_id = writer.constant(tuple(rule.id for rule in ranked_rules).__getitem__)
        lines += [f"    a_fired_rules = frozenset(map({rule_id}, fired))", "    advice = []"]
        for advice_id, condition in advice:
            lines += [f"    if {writer.expression(condition)}:", f"        advice.append({advice_id!r})"]
    else:
        lines.append("    advice = []")
    return lines, f"fired, ({''.join(v + ', ' for v in statuses)}), advice"


def _outcome_ids(findings: Sequence[tuple[str, cond.Condition, cond.Condition]]) -> set[str]:
    return {"result_level", "fired_rules", *(f"finding_{domain}" for domain, _, _ in findings)}


_CHECK_BUILTINS = {"len": len, "type": type, "frozenset": frozenset, "map": map, "bool": bool, "str": str, "int": int}


def _check_lines(writer: _Writer, groups: _Groups, accepts: Mapping[str, Callable[[object], bool]]) -> list[str]:
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

    # Every test is written before any line, so the lines know which flags later tests read.
    tests = [None if condition is None else writer.expression(condition) for condition, _ in groups]
    repeated = Counter(writer.flags[group[0][0]] for condition, group in groups if condition is not None)
    writer.used.update(flag for flag, count in repeated.items() if count > 1)
    tested: set[str] = set()
    for (_, group), test in zip(groups, tests, strict=True):
        if test is None:
            lines += ["    " + line for qid, question in group for line in shown(qid, question)]
            continue
        flag = writer.flags[group[0][0]]
        if flag in tested:
            # An earlier item has the same condition, on items before it: its value holds here.
            lines.append(f"    if {flag}:")
        elif flag in writer.used:
            lines += [f"    {flag} = {test}", f"    if {flag}:"]
        else:
            lines.append(f"    if {test}:")
        tested.add(flag)
        lines += ["        " + line for qid, question in group for line in shown(qid, question)]
        lines.append("    else:")
        lines += ["        " + line for qid, question in group for line in hidden(qid, question)]
    return [*lines, "    if known != len(raw):", "        return None"]


def _gated_groups(questions: Mapping[str, Question]) -> _Groups:
    """The questions in order, consecutive items with the same enable_when (a gate's detail
    items) together, so they share one block of the check."""
    items = list(questions.items())
    groups: _Groups = []
    start = 0
    while start < len(items):
        condition = items[start][1].enable_when
        end = start + 1
        while end < len(items) and condition is not None and items[end][1].enable_when == condition:
            end += 1
        groups.append((condition, items[start:end]))
        start = end
    return groups


def _name_gates(writer: _Writer, groups: _Groups, sources: Mapping[str, str]) -> None:
    """Give every gate a flag, ``shown_<its first item>``, that the generated code may keep
    (items with the same condition share it: ``gate_sources``), and note which flags each one
    implies: a gate that needs an answer to a gated question opens only when that question's
    gate is open."""
    for condition, group in groups:
        if condition is None:
            continue
        flag = f"shown_{sources[group[0][0]]}"
        if flag not in writer.implied:
            outer = [writer.flags[qid] for qid in required_answers(condition, {}) if qid in writer.flags]
            writer.implied[flag] = frozenset(outer).union(*(writer.implied[f] for f in outer))
        writer.flags.update((qid, flag) for qid, _ in group)


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
    outcome_ids = _outcome_ids(findings)
    writer = _Writer({**questions, **outcome}, provided={*questions, *outcome_ids}, outcome=outcome_ids)
    groups = _gated_groups(questions)
    _name_gates(writer, groups, gate_sources(questions))
    # The rules first: the check keeps a gate's flag only when some expression reads it.
    program, result = _program_lines(writer, predicates, ranked_rules, findings, advice)
    check = _check_lines(writer, groups, accepts)
    source = "\n".join(["def fast_screen(raw):", *check, *program, f"    return {result}, ignored"])
    namespace: dict[str, Any] = {"__builtins__": _CHECK_BUILTINS, "MISSING": object(), **writer.constants}
    fast_screen: FastScreen = define(source, f"<answer check and rules of {name}>", namespace, "fast_screen")
    return fast_screen
