"""Conditions as the rule files write them, checked: their syntax, the questions and options
they read, the predicates they name, and predicates that refer back to themselves."""

from collections.abc import Mapping
from typing import Any

from app.engine import conditions as cond
from app.engine.load_issues import IssueLog
from app.engine.model import RulesFile
from app.engine.questionnaire import Question
from app.engine.suggestions import suggest
from app.engine.yaml_files import Location


def parse_condition(log: IssueLog, raw: Any, file: str, subject: str, location: Location) -> cond.Condition | None:
    """The condition as written, or None once its syntax error is reported."""
    try:
        return cond.parse(raw)
    except cond.ConditionSyntaxError as exc:
        log.report("condition_syntax", file, f"{exc.path}: {exc}", subject, location)
        return None


def check_leaves(
    log: IssueLog,
    condition: cond.Condition,
    questions: Mapping[str, Question],
    file: str,
    subject: str,
    location: Location,
    predicates: Mapping[str, Any] | None = None,
) -> bool:
    """Whether every question, option and predicate the condition names exists and fits."""
    ok = True
    for leaf in cond.leaves(condition):
        question = questions.get(leaf.question)
        if question is None:
            log.report(
                "unknown_question",
                file,
                f"condition reads unknown question '{leaf.question}'",
                subject,
                location,
                suggest(leaf.question, questions),
            )
            ok = False
            continue
        problem = cond.type_problem(leaf, question)
        if problem is not None:
            code, message = problem
            hint = suggest(str(leaf.value), question.options) if code == "unknown_option" else None
            log.report(code, file, message, subject, location, hint)
            ok = False
    for name in cond.predicate_refs(condition):
        if predicates is not None and name not in predicates:
            log.report(
                "unknown_predicate",
                file,
                f"predicate '{name}' is not defined",
                subject,
                location,
                suggest(name, predicates),
            )
            ok = False
    return ok


def check_predicates(log: IssueLog, data: RulesFile, questions: Mapping[str, Question]) -> dict[str, cond.Condition]:
    """The predicates that parse and read known questions; a cycle among them is reported."""
    file = "rules.yaml"
    parsed: dict[str, cond.Condition] = {}
    for name, raw in data.predicates.items():
        location: Location = ("predicates", name)
        condition = parse_condition(log, raw, file, name, location)
        if condition is not None and check_leaves(log, condition, questions, file, name, location, data.predicates):
            parsed[name] = condition
    graph = {name: set(cond.predicate_refs(c)) for name, c in parsed.items()}
    for name in sorted(nodes_in_cycles(graph)):
        log.report(
            "predicate_cycle",
            file,
            "predicate refers to itself through other predicates",
            name,
            ("predicates", name),
        )
    return parsed


def nodes_in_cycles(graph: Mapping[str, set[str]]) -> set[str]:
    """Nodes that can reach themselves (edges to unknown nodes are ignored)."""
    cyclic: set[str] = set()
    for start in graph:
        stack, seen = list(graph[start]), set()
        while stack:
            node = stack.pop()
            if node == start:
                cyclic.add(start)
                break
            if node in seen or node not in graph:
                continue
            seen.add(node)
            stack.extend(graph[node])
    return cyclic
