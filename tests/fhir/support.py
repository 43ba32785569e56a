"""FHIR test helpers: answers as a QuestionnaireResponse, and a small evaluator of FHIR's
structured enableWhen (the R5 wording of each operator) to compare with our skip logic."""

import re
from collections.abc import Iterable
from functools import cache
from types import CodeType
from typing import Any

from fhir.resources.R4B.parameters import Parameters
from fhir.resources.R4B.riskassessment import RiskAssessment

from app.engine.ruleset import RuleSet
from app.fhir.urls import ENABLE_WHEN_EXPRESSION, options_system, questionnaire_url, section_link_id


def answer_entries(value: object, system: str) -> list[dict[str, Any]]:
    values = value if isinstance(value, list) else [value]
    entries: list[dict[str, Any]] = []
    for item in values:
        if isinstance(item, bool):
            entries.append({"valueBoolean": item})
        elif isinstance(item, int):
            entries.append({"valueInteger": item})
        else:
            entries.append({"valueCoding": {"system": system, "code": item}})
    return entries


def to_response(
    ruleset: RuleSet,
    answers: dict[str, object],
    response_id: str | None = None,
    *,
    status: str = "completed",
    skipped: Iterable[str] = (),
) -> dict[str, Any]:
    """A QuestionnaireResponse (completed unless ``status`` says otherwise): one group per
    section, its items in order; the ``skipped`` questions are items without an answer."""
    system = options_system(ruleset.id)
    passed_over = set(skipped)
    groups = []
    for section in ruleset.sections:
        items = [
            {"linkId": qid, "answer": answer_entries(answers[qid], system)} if qid in answers else {"linkId": qid}
            for qid in section.question_ids
            if qid in answers or qid in passed_over
        ]
        if items:
            groups.append({"linkId": section_link_id(section.id), "item": items})
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{questionnaire_url(ruleset.id)}|{ruleset.version}",
        "status": status,
        "item": groups,
    }
    if response_id:
        response["id"] = response_id
    return response


def with_texts(response: dict[str, Any], questionnaire: dict[str, Any]) -> dict[str, Any]:
    """``response`` as form renderers such as LHC-Forms send it: each item repeats its text
    and each coding its display (both optional in R4), with meta and authored filled in."""
    texts: dict[str, str] = {}
    displays: dict[str, str] = {}

    def collect(items: list[dict[str, Any]]) -> None:
        for item in items:
            texts[item["linkId"]] = item.get("text", "")
            for option in item.get("answerOption", []):
                displays[option["valueCoding"]["code"]] = option["valueCoding"]["display"]
            collect(item.get("item", []))

    def enrich(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        enriched = []
        for item in items:
            answers = [
                {"valueCoding": {**a["valueCoding"], "display": displays[a["valueCoding"]["code"]]}}
                if "valueCoding" in a
                else a
                for a in item.get("answer", [])
            ]
            entry: dict[str, Any] = {"linkId": item["linkId"], "text": texts[item["linkId"]]}
            if answers:
                entry["answer"] = answers
            if "item" in item:
                entry["item"] = enrich(item["item"])
            enriched.append(entry)
        return enriched

    collect(questionnaire["item"])
    return {
        **response,
        "meta": {"profile": ["http://hl7.org/fhir/4.0/StructureDefinition/QuestionnaireResponse"]},
        "authored": "2026-01-01T12:00:00.000Z",
        "item": enrich(response["item"]),
    }


def question_items(questionnaire: dict[str, Any]) -> list[dict[str, Any]]:
    """Every non-group, non-display item, in document order."""
    found = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item["type"] not in ("group", "display"):
                found.append(item)
            walk(item.get("item", []))

    walk(questionnaire["item"])
    return found


def has_expression(item: dict[str, Any]) -> bool:
    return any(ext["url"] == ENABLE_WHEN_EXPRESSION for ext in item.get("extension", []))


def _atom(atom: dict[str, Any], values: list[object]) -> bool:
    operator = atom["operator"]
    if operator == "exists":
        return bool(values) is bool(atom["answerBoolean"])
    if "answerCoding" in atom:
        expected: object = (atom["answerCoding"]["system"], atom["answerCoding"]["code"])
    elif "answerBoolean" in atom:
        expected = atom["answerBoolean"]
    else:
        expected = atom["answerInteger"]
    if operator == "=":
        return any(value == expected for value in values)
    if operator == "!=":
        return not any(value == expected for value in values)
    compare = {">": lambda a, b: a > b, "<": lambda a, b: a < b, ">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b}
    return any(bool(compare[operator](value, expected)) for value in values)


def fhir_enabled(
    questionnaire: dict[str, Any], answers: dict[str, object], system: str, expression_results: set[str] | None = None
) -> set[str]:
    """Items enabled under FHIR's enableWhen, in order, dropping the answers of disabled items
    (a response holds none for them). Items with an enableWhenExpression are enabled when in
    ``expression_results`` if given, else by evaluating their FHIRPath."""
    present: dict[str, list[object]] = {}
    for qid, value in answers.items():
        values = value if isinstance(value, list) else [value]
        present[qid] = [(system, v) if isinstance(v, str) else v for v in values]
    codes = {qid: [v[1] if isinstance(v, tuple) else v for v in vs] for qid, vs in present.items()}
    enabled = set()
    for item in question_items(questionnaire):
        link_id = item["linkId"]
        if has_expression(item):
            if expression_results is not None:
                on = link_id in expression_results
            else:
                on = evaluate_fhirpath(expression_of(item), codes)
        elif "enableWhen" in item:
            results = [_atom(atom, present.get(atom["question"], [])) for atom in item["enableWhen"]]
            on = any(results) if item.get("enableBehavior") == "any" else all(results)
        else:
            on = True
        if on:
            enabled.add(link_id)
        else:
            present.pop(link_id, None)
            codes.pop(link_id, None)
    return enabled


# A tiny evaluator for the FHIRPath subset app.fhir.enable_when generates: it rewrites the
# expression into Python over the classes below (tests only; the text comes from our rule set).

_ANSWERS = re.compile(r"%resource\.repeat\(item\)\.where\(linkId = '([a-z0-9_]+)'\)\.answer\.value(?:\.code)?")
_WHERE_NOT = re.compile(r"\.where\(\$this != '([a-z0-9_]+)'\)")


class _Bool:
    def __init__(self, value: bool) -> None:
        self.value = value

    def __bool__(self) -> bool:
        return self.value

    def not_(self) -> "_Bool":
        return _Bool(not self.value)


class _Collection:
    def __init__(self, values: list[object]) -> None:
        self.values = values

    def exists(self) -> _Bool:
        return _Bool(bool(self.values))

    def empty(self) -> _Bool:
        return _Bool(not self.values)

    def without(self, value: object) -> "_Collection":
        return _Collection([v for v in self.values if v != value])

    def count(self) -> "_Collection":
        return _Collection([len(self.values)])

    def __rshift__(self, value: object) -> _Bool:  # "contains"
        return _Bool(value in self.values)

    def _compare(self, other: int, test: Any) -> _Bool:
        # FHIRPath comparisons need a singleton; on an empty collection they are empty,
        # which the generated text only reaches behind "exists() and", so False is safe.
        return _Bool(len(self.values) == 1 and bool(test(self.values[0], other)))

    def __gt__(self, other: int) -> _Bool:
        return self._compare(other, lambda a, b: a > b)

    def __ge__(self, other: int) -> _Bool:
        return self._compare(other, lambda a, b: a >= b)

    def __lt__(self, other: int) -> _Bool:
        return self._compare(other, lambda a, b: a < b)

    def __le__(self, other: int) -> _Bool:
        return self._compare(other, lambda a, b: a <= b)


def evaluate_fhirpath(expression: str, present: dict[str, list[object]]) -> bool:
    """Evaluate a generated enableWhenExpression over answers (codes as plain strings)."""
    namespace = {"V": lambda qid: _Collection(present.get(qid, [])), "True": True, "False": False}
    return bool(eval(_as_python(expression), {"__builtins__": {}}, namespace))  # noqa: S307 - our own generated text


@cache
def _as_python(expression: str) -> CodeType:
    """The expression rewritten into Python and compiled, once per expression."""
    python = _ANSWERS.sub(r"V('\1')", expression)
    python = _WHERE_NOT.sub(r".without('\1')", python)
    python = python.replace(" contains ", " >> ").replace(".not()", ".not_()")
    python = re.sub(r"\btrue\b", "True", re.sub(r"\bfalse\b", "False", python))
    assert "%" not in python and "$" not in python, python
    return compile(python, "<enableWhenExpression>", "eval")


def expression_of(item: dict[str, Any]) -> str:
    (extension,) = [ext for ext in item["extension"] if ext["url"] == ENABLE_WHEN_EXPRESSION]
    return str(extension["valueExpression"]["expression"])


def risk_of(body: dict[str, Any]) -> Any:
    """The RiskAssessment a $screen answer returns, parsed with the R4B models (Any: their
    fields are all optional)."""
    parameters: Any = Parameters.model_validate(body)
    (parameter,) = parameters.parameter
    assert parameter.name == "return"
    assert isinstance(parameter.resource, RiskAssessment)
    return parameter.resource
