"""The rule semantics, written once: a readable three-valued interpreter of conditions, skip
logic and results over answers that may still be partial. The generated functions of
``codegen`` are fast forms of it, held equal to it on complete answers by the tests.

A question still open (it may apply and may yet be answered) makes a leaf on it *unknown*;
``all``/``any``/``not`` follow Kleene's logic, so a rule that is true here is true however the
open questions get answered. With nothing open this is the ordinary two-valued evaluation.
"""

import operator
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from app.engine import conditions as cond
from app.engine.levels import Level
from app.engine.questionnaire import Answers, AnswerValue, Question
from app.engine.ruleset import DOMAINS, Rule, RuleSet

FindingStatus = str  # "none" | "some" | "marked"


@dataclass(frozen=True)
class Evaluation:
    """The outcome of one screening, before any text is attached. An incomplete one (answers
    still missing) is the minimum that any completion of its answers reaches."""

    level: Level
    fired: tuple[Rule, ...]  # most urgent first, then in rule-file order
    findings: dict[str, FindingStatus]
    advice: tuple[str, ...] = ()
    ignored_answers: tuple[str, ...] = ()
    complete: bool = True
    unanswered_required: tuple[str, ...] = ()


Truth = bool | None
"""True, false, or None for unknown: it depends on a question that is still open."""


@dataclass(frozen=True)
class Knowledge:
    """What is known of an answer set: the answers that count, and the questions still open.
    A question neither answered here nor open is unanswered for good (``not_answered``)."""

    answers: Answers
    open: AbstractSet[str] = frozenset()


def truth(
    condition: cond.Condition,
    known: Knowledge,
    questions: Mapping[str, Question],
    predicates: Mapping[str, cond.Condition] | None = None,
) -> Truth:
    """The value of a condition: True, False, or None when the open questions decide it."""
    return _Interpreter(known, questions, predicates or {}).truth(condition)


def holds(
    condition: cond.Condition,
    answers: Answers,
    questions: Mapping[str, Question],
    predicates: Mapping[str, cond.Condition] | None = None,
) -> bool:
    """Whether a condition holds for answers with nothing left open (a submitted screening)."""
    return truth(condition, Knowledge(answers), questions, predicates) is True


class _Interpreter:
    """Evaluates conditions for one Knowledge, computing each predicate at most once."""

    def __init__(
        self, known: Knowledge, questions: Mapping[str, Question], predicates: Mapping[str, cond.Condition]
    ) -> None:
        self.known = known
        self.questions = questions
        self.predicates = predicates
        self.memo: dict[str, Truth] = {}

    def learn(self, known: Knowledge) -> None:
        """Evaluate against other knowledge from now on."""
        self.known = known
        self.memo.clear()

    def truth(self, condition: cond.Condition) -> Truth:
        # Tested in the order of how often a rule set's nodes are met: leaves, then "all" and
        # "any", then predicates.
        if isinstance(condition, cond.Leaf):
            known = self.known
            if condition.question in known.open:
                return None
            return leaf_holds(condition, known.answers.get(condition.question), self.questions)
        if isinstance(condition, (cond.AllOf, cond.AnyOf)):
            # Kleene: "all" is false as soon as one part is false, true only when every part
            # is; "any" the other way round; otherwise the open questions decide.
            decisive = isinstance(condition, cond.AnyOf)
            undecided = False
            for item in condition.items:
                value = self.truth(item)
                if value is decisive:
                    return decisive
                undecided = undecided or value is None
            return None if undecided else not decisive
        if isinstance(condition, cond.PredicateRef):
            if condition.name not in self.memo:
                self.memo[condition.name] = self.truth(self.predicates[condition.name])
            return self.memo[condition.name]
        if isinstance(condition, cond.NotOf):
            inner = self.truth(condition.item)
            return None if inner is None else not inner
        if isinstance(condition, cond.Always):
            return True
        raise TypeError(f"not a condition: {condition!r}")


def leaf_holds(leaf: cond.Leaf, answer: AnswerValue | None, questions: Mapping[str, Question]) -> bool:
    """Whether a leaf holds for a known answer (None: unanswered, or the question does not
    apply). Every comparison with an unanswered question is false, except ``not_answered``:
    unknown is never "no"."""
    op, value = leaf.op, leaf.value
    if op == "answered":
        return answer is not None
    if op == "not_answered":
        return answer is None
    if answer is None:
        return False
    if op in ("equals", "not_equals"):
        return (answer == value) is (op == "equals")
    if op in ("in", "not_in"):
        return (answer in value) is (op == "in")
    if op in cond.ORDINAL_OPERATORS:
        question = questions[leaf.question]
        position: Any = answer  # a scale or integer answer is a whole number
        threshold: Any = value
        if question.type == "single_choice":
            # Ordered option sets compare by position in the list, e.g. weekly >= monthly.
            position, threshold = question.options.index(str(answer)), question.options.index(value)
        compare: dict[str, Callable[[Any, Any], bool]] = {
            "gt": operator.gt,
            "gte": operator.ge,
            "lt": operator.lt,
            "lte": operator.le,
        }
        return compare[op](position, threshold)
    chosen = answer if isinstance(answer, frozenset) else frozenset()
    if op == "contains":
        return value in chosen
    if op == "not_contains":
        return value not in chosen
    if op == "contains_any":
        return not chosen.isdisjoint(value)
    if op == "contains_all":
        return frozenset(value) <= chosen
    # Exclusive options such as "none" are not symptoms, so they do not count.
    count = len(chosen - questions[leaf.question].exclusive)
    if op == "count_gte":
        return count >= value  # type: ignore[no-any-return]
    if op == "count_lte":
        return count <= value  # type: ignore[no-any-return]
    raise ValueError(f"operator {op!r} passed checks but has no meaning here")


@dataclass(frozen=True)
class Standing:
    """Skip logic applied to typed answers, in questionnaire order."""

    known: Knowledge  # the answers to questions that apply, and the questions still open
    ignored: tuple[str, ...]  # answers to questions that surely do not apply
    applicable: tuple[str, ...]  # questions that surely apply
    missing_required: tuple[str, ...]  # required questions that surely apply and are unanswered


def stand(
    ruleset: RuleSet,
    typed: Answers,
    may_answer: Iterable[str] = (),
    unusable: frozenset[str] = frozenset(),
) -> Standing:
    """Apply skip logic. ``may_answer`` names the unanswered questions that may still be
    answered: each stays open while it may apply. An answered question whose applying
    depends on an open one is open too: its answer may or may not count. With nothing that
    may be answered, this is the skip logic of a submitted screening. ``unusable`` holds ids
    whose answers were invalid, so they are not also reported missing."""
    pending = frozenset(may_answer)
    answers: Answers = {}
    open_ids: set[str] = set()
    ignored: list[str] = []
    applicable: list[str] = []
    missing: list[str] = []
    # The interpreter reads ``answers`` and ``open_ids`` as they grow, with no copy per gate:
    # an enable_when reads only earlier items (checked at load), settled by the time it is
    # evaluated, so any value it finds, a predicate's too, stays true for the later items.
    interpreter = _Interpreter(Knowledge(answers, open_ids), ruleset.questions, ruleset.predicates)
    sources = ruleset.gate_sources
    gates: dict[str, Truth] = {}  # each distinct condition's value, by its first item
    for qid, question in ruleset.questions.items():
        applies: Truth = True
        condition = question.enable_when
        if condition is not None:
            source = sources[qid]
            if source in gates:
                # An earlier item has the same condition (a gate's detail items): it reads
                # only items before that one, so its value holds here too.
                applies = gates[source]
            else:
                applies = gates[qid] = interpreter.truth(condition)
        answer = typed.get(qid)
        if applies is False:
            if answer is not None:
                ignored.append(qid)
        elif applies is None:
            if answer is not None or qid in pending:
                open_ids.add(qid)
        else:
            applicable.append(qid)
            if answer is not None:
                answers[qid] = answer
            elif qid in pending:
                open_ids.add(qid)
            if answer is None and question.required and qid not in unusable:
                missing.append(qid)
    return Standing(Knowledge(answers, frozenset(open_ids)), tuple(ignored), tuple(applicable), tuple(missing))


def evaluate_known(ruleset: RuleSet, known: Knowledge, ignored: Iterable[str] = ()) -> Evaluation:
    """The result every completion of ``known`` is sure to reach at least: the rules that
    surely fire (the most urgent sets the level), the findings and advice that surely hold.
    With nothing open this is the evaluation of a complete screening."""
    # The questions with the virtual outcome questions, which only advice conditions read.
    interpreter = _Interpreter(known, ruleset.with_outcome, ruleset.predicates)
    fired = [rule for rule in ruleset.ranked if interpreter.truth(rule.condition) is True]
    level = fired[0].level if fired else Level.GENERAL_ADVICE
    if level is not Level.GENERAL_ADVICE:
        fired = [rule for rule in fired if not rule.is_catch_all]
    findings: dict[str, str] = {}
    for finding in ruleset.findings:
        if interpreter.truth(finding.marked_condition) is True:
            findings[finding.domain] = "marked"
        elif interpreter.truth(finding.some_condition) is True:
            findings[finding.domain] = "some"
        else:
            findings[finding.domain] = "none"
    outcome = _outcome_answers(level, fired, findings)
    # Advice reads the outcome as virtual questions; they are known once the rules are.
    interpreter.learn(Knowledge({**known.answers, **outcome}, known.open))
    advice = tuple(entry.id for entry in ruleset.advice if interpreter.truth(entry.condition) is True)
    return Evaluation(level, tuple(fired), {domain: findings[domain] for domain in DOMAINS}, advice, tuple(ignored))


def _outcome_answers(level: Level, fired: list[Rule], findings: Mapping[str, str]) -> Answers:
    outcome: Answers = {"result_level": level.value, "fired_rules": frozenset(rule.id for rule in fired)}
    outcome.update({f"finding_{domain}": status for domain, status in findings.items()})
    return outcome


@dataclass(frozen=True)
class Minimum:
    """The least a partial answer set is sure to lead to, however the rest is answered."""

    evaluation: Evaluation

    @property
    def level(self) -> Level:
        return self.evaluation.level

    @property
    def reasons(self) -> tuple[str, ...]:
        """The rules sure to fire, most urgent first (never the catch-all: it says nothing)."""
        return tuple(rule.id for rule in self.evaluation.fired if not rule.is_catch_all)

    @property
    def should_stop(self) -> bool:
        """An emergency is certain: tell the person now rather than after more questions."""
        return self.evaluation.level is Level.EMERGENCY


def minimum(ruleset: RuleSet, typed: Answers, skipped: Iterable[str] = ()) -> Minimum:
    """The minimum result of typed, partial answers: every question neither answered nor
    skipped may still be answered."""
    settled = set(typed) | set(skipped)
    may_answer = [qid for qid in ruleset.questions if qid not in settled]
    standing = stand(ruleset, typed, may_answer)
    return Minimum(evaluate_known(ruleset, standing.known, standing.ignored))
