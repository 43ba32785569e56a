"""Build the shared skip-logic vectors from our engine: ``python -m tests.shared_vectors.build``.

Each vector is ``{condition, answers, expected}``: ``condition`` in the public JSON form the
questionnaire serves, ``answers`` as JSON (multi-choice answers as lists), and ``expected``
what ``app.engine.semantics.holds`` says. The browser widget's evaluator must give
the same answers (tests/e2e); tests/shared_vectors checks the file is current.

Covered: every shipped ``enable_when``, every operator on every question type it applies to
(ordered options, exclusive options), unanswered questions, and all/any/not nesting.
"""

import json
import random
from pathlib import Path
from typing import Any

from app.engine import conditions as cond
from app.engine.questionnaire import Question
from app.engine.ruleset import RuleSet
from app.engine.semantics import holds
from tests.support.rulesets import shipped_ruleset

VECTORS_FILE = Path(__file__).with_name("enable_when.json")


def samples(question: Question) -> list[Any]:
    """A few JSON answers to ``question``, covering both ends and exclusive options."""
    if question.type == "boolean":
        return [True, False]
    if question.is_numeric:
        low = question.min if question.min is not None else 0
        high = question.max if question.max is not None else low + 100
        return sorted({low, (low + high) // 2, high, min(high, low + 1)})
    options = list(question.options)
    picks = sorted({0, 1, len(options) // 2, len(options) - 1} & set(range(len(options))))
    if question.type == "single_choice":
        return [options[i] for i in picks]
    plain = [o for o in options if o not in question.exclusive]
    values: list[Any] = [[o] for o in plain[:2]]
    values += [plain[:2], plain[:3], plain[-2:]]
    values += [[o] for o in sorted(question.exclusive)]
    unique: list[Any] = []
    for value in values:
        if value and value not in unique:
            unique.append(value)
    return unique


def typed(answers: dict[str, Any]) -> dict[str, Any]:
    return {qid: frozenset(value) if isinstance(value, list) else value for qid, value in answers.items()}


def evaluate(condition: dict[str, Any], answers: dict[str, Any], ruleset: RuleSet) -> bool:
    return holds(cond.parse(condition), typed(answers), ruleset.questions)


def leaf_values(question: Question, op: str) -> list[Any]:
    """Values a leaf with ``op`` on ``question`` can compare with."""
    if op in ("answered", "not_answered"):
        return [None]
    if op in ("count_gte", "count_lte"):
        return [0, 1, 2]
    if question.type == "boolean":
        return [True, False]
    if question.is_numeric:
        values = sorted(set(samples(question)))
        if op in ("in", "not_in"):
            return [values[:2], [values[-1]]]
        return values[:3]
    options = list(question.options)
    if op in ("in", "not_in", "contains_any", "contains_all"):
        return [options[:2], [options[-1]]]
    return [options[0], options[len(options) // 2], options[-1]]


def leaf(qid: str, op: str, value: Any) -> dict[str, Any]:
    return {"question": qid, "op": op} if value is None else {"question": qid, "op": op, "value": value}


def representatives(ruleset: RuleSet) -> list[Question]:
    """One question of each kind: boolean, unordered and ordered single choice, multi choice
    with and without exclusive options, scale and integer."""
    kinds: dict[str, Question] = {}
    for question in ruleset.questions.values():
        kind = question.type
        if question.type == "single_choice":
            kind += "/ordered" if question.ordered else "/plain"
        if question.type == "multi_choice":
            kind += "/exclusive" if question.exclusive else "/plain"
        kinds.setdefault(kind, question)
    return list(kinds.values())


def build_vectors(ruleset: RuleSet | None = None) -> list[dict[str, Any]]:
    ruleset = ruleset or shipped_ruleset()
    rng = random.Random(20260101)  # reproducible test data
    vectors: list[dict[str, Any]] = []

    def add(condition: dict[str, Any], answers: dict[str, Any]) -> None:
        vectors.append({"condition": condition, "answers": answers, "expected": evaluate(condition, answers, ruleset)})

    # Every operator on every kind of question, unanswered and with each sample answer.
    leaves: list[dict[str, Any]] = []
    for question in representatives(ruleset):
        allowed = cond.OPERATORS_BY_TYPE[question.type]
        if question.type == "single_choice" and question.ordered:
            allowed = allowed | cond.ORDINAL_OPERATORS
        for op in sorted(allowed):
            for value in leaf_values(question, op):
                node = leaf(question.id, op, value)
                leaves.append(node)
                add(node, {})
                for answer in samples(question):
                    add(node, {question.id: answer})

    # Nesting: all / any / not over random leaves, with random partial answers.
    pool = representatives(ruleset)
    for _ in range(150):
        a, b, c = rng.sample(leaves, 3)
        shape = rng.choice(["all", "any", "not-all", "any-not", "all-any", "not-not"])
        shapes: dict[str, dict[str, Any]] = {
            "all": {"all": [a, b, c]},
            "any": {"any": [a, b]},
            "not-all": {"not": {"all": [a, b]}},
            "any-not": {"any": [{"not": a}, b]},
            "all-any": {"all": [{"any": [a, b]}, {"not": c}]},
            "not-not": {"not": {"not": a}},
        }
        condition = shapes[shape]
        answers = {q.id: rng.choice(samples(q)) for q in pool if rng.random() < 0.6}
        add(condition, answers)
    add({"always": True}, {})

    # Every shipped enable_when, as the questionnaire serves it.
    seen: set[str] = set()
    for question in ruleset.questions.values():
        if question.enable_when is None:
            continue
        condition = cond.to_public(question.enable_when, ruleset.predicates)
        key = json.dumps(condition, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        read = sorted({node.question for node in cond.leaves(question.enable_when)})
        add(condition, {})
        for qid in read:
            for answer in samples(ruleset.questions[qid]):
                add(condition, {qid: answer})
        for _ in range(4):
            add(condition, {qid: rng.choice(samples(ruleset.questions[qid])) for qid in read})
    return vectors


def render(vectors: list[dict[str, Any]]) -> str:
    return json.dumps(vectors, indent=None, separators=(",", ":")).replace('},{"condition"', '},\n{"condition"') + "\n"


if __name__ == "__main__":
    VECTORS_FILE.write_text(render(build_vectors()))
    print(f"wrote {VECTORS_FILE}")
