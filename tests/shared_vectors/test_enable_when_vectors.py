"""The shared skip-logic vectors: current with the engine, and complete enough to mean something.

The browser widget runs the same file through its own evaluator (tests/e2e); here the server
side is checked, plus the widget's evaluator under Node when Node is installed.
"""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from app.engine import conditions as cond
from app.engine.ruleset import RuleSet
from app.engine.semantics import holds
from tests.shared_vectors.build import VECTORS_FILE, build_vectors, evaluate, render

ROOT = Path(__file__).resolve().parents[2]


def _vectors() -> list[dict[str, Any]]:
    vectors: list[dict[str, Any]] = json.loads(VECTORS_FILE.read_text())
    return vectors


def test_the_vectors_file_is_current() -> None:
    assert VECTORS_FILE.read_text() == render(build_vectors()), (
        "skip logic or questions changed: run `.venv/bin/python -m tests.shared_vectors.build`"
    )


def test_the_server_agrees_with_every_vector(ruleset: RuleSet) -> None:
    for vector in _vectors():
        assert evaluate(vector["condition"], vector["answers"], ruleset) is vector["expected"], vector


def test_the_server_skip_logic_uses_the_served_conditions(ruleset: RuleSet) -> None:
    """What the questionnaire serves as enable_when, compiled alone, gives the same as the
    engine's own skip logic for the question (so the vectors test what clients get)."""
    for question in ruleset.questions.values():
        if question.enable_when is None:
            continue
        served = cond.parse(cond.to_public(question.enable_when, ruleset.predicates))
        for vector in _vectors()[:400]:
            answers = {k: frozenset(v) if isinstance(v, list) else v for k, v in vector["answers"].items()}
            assert holds(served, answers, ruleset.questions) == holds(
                question.enable_when, answers, ruleset.questions, ruleset.predicates
            ), question.id


def _walk(condition: dict[str, Any], depth: int = 0) -> list[tuple[str, int]]:
    nodes = [(next(iter(condition)) if "op" not in condition else condition["op"], depth)]
    for key in ("all", "any"):
        for item in condition.get(key, ()):
            nodes += _walk(item, depth + 1)
    if "not" in condition:
        nodes += _walk(condition["not"], depth + 1)
    return nodes


def test_the_vectors_cover_every_operator_unanswered_questions_and_nesting(ruleset: RuleSet) -> None:
    vectors = _vectors()
    nodes = [node for vector in vectors for node in _walk(vector["condition"])]
    assert {name for name, _ in nodes} >= cond.ALL_OPERATORS | {"all", "any", "not", "always"}
    assert max(depth for _, depth in nodes) >= 2
    assert any(vector["answers"] == {} and vector["expected"] for vector in vectors)  # not_answered
    assert any(vector["answers"] == {} and not vector["expected"] for vector in vectors)
    assert {True, False} <= {vector["expected"] for vector in vectors}
    shipped = {
        json.dumps(cond.to_public(q.enable_when, ruleset.predicates), sort_keys=True)
        for q in ruleset.questions.values()
        if q.enable_when is not None
    }
    assert shipped <= {json.dumps(vector["condition"], sort_keys=True) for vector in vectors}


_NODE_CHECK = """
import { evaluateCondition } from "./app/web/screener.js";
import fs from "node:fs";
const vectors = JSON.parse(fs.readFileSync("tests/shared_vectors/enable_when.json", "utf8"));
const questions = JSON.parse(fs.readFileSync(0, "utf8"));
const bad = vectors.filter((v) => evaluateCondition(v.condition, v.answers, questions) !== v.expected);
console.log(JSON.stringify({ total: vectors.length, bad: bad.slice(0, 5), count: bad.length }));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed (the browser test covers this)")
def test_the_widget_evaluator_agrees_under_node(ruleset: RuleSet) -> None:
    questions = {
        q.id: {
            "id": q.id,
            "type": q.type,
            "options": [{"value": o} for o in q.options],
            "exclusive": sorted(q.exclusive),
        }
        for q in ruleset.questions.values()
    }
    done = subprocess.run(
        ["node", "--input-type=module", "-e", _NODE_CHECK],
        input=json.dumps(questions),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    outcome = json.loads(done.stdout)
    assert outcome["count"] == 0, outcome["bad"]
    assert outcome["total"] == len(_vectors())
