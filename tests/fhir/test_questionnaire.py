"""The FHIR Questionnaire: valid R4(B) content generated from the rule set, and its enableWhen
saying what our skip logic says."""

import random
from typing import Any

import httpx
import pytest
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationdefinition import OperationDefinition
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaire import Questionnaire

from app.engine.answers import assess
from app.engine.conditions import parse
from app.engine.golden import load_cases
from app.engine.questionnaire import Question
from app.fhir.enable_when import fhirpath, item_fields, structured
from app.fhir.questionnaire import build_questionnaire
from app.fhir.urls import (
    DISCLAIMER_LINK_ID,
    ENABLE_WHEN_EXPRESSION,
    MAX_VALUE,
    MIN_VALUE,
    options_system,
    questionnaire_url,
)
from tests.fhir.support import fhir_enabled, has_expression, question_items
from tests.support.answers import symptom_free_adult
from tests.support.rulesets import shipped_ruleset
from tests.support.servers import Server

RULESET = shipped_ruleset()
QUESTIONNAIRE = build_questionnaire(RULESET, RULESET.default_language)
PATH = "/fhir/r4/Questionnaire/hip-pelvic-floor"


@pytest.mark.parametrize(("language", "country"), sorted(RULESET.texts))
def test_every_rendering_parses_as_a_questionnaire(language: str, country: str) -> None:
    document = build_questionnaire(RULESET, language, country)
    parsed = Questionnaire.model_validate(document)
    assert parsed.language == language
    assert parsed.version == RULESET.version
    assert parsed.status == "draft"
    assert parsed.url == questionnaire_url(RULESET.id)


def test_disclaimer_first_then_one_group_per_section() -> None:
    first, *groups = QUESTIONNAIRE["item"]
    assert first == {"linkId": DISCLAIMER_LINK_ID, "text": RULESET.text("en", "disclaimer"), "type": "display"}
    assert [g["text"] for g in groups] == [RULESET.text("en", f"section.{s.id}.title") for s in RULESET.sections]
    assert all(g["type"] == "group" for g in groups)


def test_items_are_our_questions_with_mapped_types() -> None:
    items = question_items(QUESTIONNAIRE)
    assert [item["linkId"] for item in items] == list(RULESET.questions)
    expected_type = {"boolean": "boolean", "single_choice": "choice", "multi_choice": "choice"}
    system = options_system(RULESET.id)
    for item in items:
        question = RULESET.questions[item["linkId"]]
        assert item["type"] == expected_type.get(question.type, "integer")
        assert item["required"] is question.required
        assert item.get("repeats", False) is (question.type == "multi_choice")
        extensions = {ext["url"]: ext for ext in item.get("extension", [])}
        if question.is_numeric:
            assert extensions[MIN_VALUE]["valueInteger"] == question.min
            assert extensions[MAX_VALUE]["valueInteger"] == question.max
        if question.is_choice:
            codings = [option["valueCoding"] for option in item["answerOption"]]
            assert [c["code"] for c in codings] == list(question.options)
            assert {c["system"] for c in codings} == {system}
            assert all(c["display"] == RULESET.text("en", question.option_label_key(c["code"])) for c in codings)
        else:
            assert "answerOption" not in item


def test_skip_logic_is_always_carried_one_way_or_the_other() -> None:
    for item in question_items(QUESTIONNAIRE):
        question = RULESET.questions[item["linkId"]]
        structured_form, expression = "enableWhen" in item, has_expression(item)
        assert not (structured_form and expression), item["linkId"]
        assert (structured_form or expression) is (question.enable_when is not None), item["linkId"]
        if len(item.get("enableWhen", [])) > 1:
            assert item["enableBehavior"] in ("all", "any")


def _cases() -> list[tuple[str, dict[str, object]]]:
    cases = [(f"{file}::{case.name}", answers) for file, case, answers in load_cases(RULESET)]
    return [
        *cases,
        ("symptom_free_vulva", symptom_free_adult()),
        ("symptom_free_prostate", symptom_free_adult("prostate")),
    ]


@pytest.mark.parametrize(("name", "answers"), _cases(), ids=[name for name, _ in _cases()])
def test_fhir_enable_when_agrees_with_our_skip_logic(name: str, answers: dict[str, object]) -> None:
    ours = set(assess(RULESET, answers).applicable)
    structured_ids = {item["linkId"] for item in question_items(QUESTIONNAIRE) if not has_expression(item)}
    theirs = fhir_enabled(QUESTIONNAIRE, answers, options_system(RULESET.id), ours - structured_ids)
    assert theirs & structured_ids == ours & structured_ids


@pytest.mark.slow  # every golden case at three depths
def test_fhir_enable_when_agrees_on_partial_answers() -> None:
    """Unanswered questions are where FHIR's and our semantics could part (``!=``, ``exists``):
    drop random answers from every golden case and compare again."""
    structured_ids = {item["linkId"] for item in question_items(QUESTIONNAIRE) if not has_expression(item)}
    chance = random.Random(20261125)
    disagreements = []
    for name, answers in _cases():
        for keep in (0.2, 0.5, 0.8):
            partial = {qid: value for qid, value in answers.items() if chance.random() < keep}
            ours = set(assess(RULESET, partial).applicable)
            theirs = fhir_enabled(QUESTIONNAIRE, partial, options_system(RULESET.id), ours - structured_ids)
            if theirs & structured_ids != ours & structured_ids:
                disagreements.append((name, keep, sorted((theirs ^ ours) & structured_ids)))
    assert disagreements == []


@pytest.mark.slow  # every golden case at three depths
def test_enable_when_expressions_agree_with_our_skip_logic() -> None:
    """The FHIRPath fallbacks, run by a small evaluator of the subset we generate, enable
    exactly the items ours do, on every golden case and on partial answers."""
    chance = random.Random(7)
    disagreements = []
    for name, answers in _cases():
        for keep in (1.0, 0.3, 0.7):
            partial = {qid: value for qid, value in answers.items() if keep == 1.0 or chance.random() < keep}
            ours = set(assess(RULESET, partial).applicable)
            theirs = fhir_enabled(QUESTIONNAIRE, partial, options_system(RULESET.id))
            if theirs != ours:
                disagreements.append((name, keep, sorted(theirs ^ ours)))
    assert disagreements == []


def test_most_items_use_the_structured_form() -> None:
    """The expression is the fallback: a renderer without FHIRPath still gets most items right."""
    items = [item for item in question_items(QUESTIONNAIRE) if "enableWhen" in item or has_expression(item)]
    assert sum("enableWhen" in item for item in items) > len(items) / 2


# Mapping decisions on hand-made conditions --------------------------------------------------

_QUESTIONS = {
    "b": Question("b", "s", "boolean"),
    "n": Question("n", "s", "integer", min=0, max=10),
    "c": Question("c", "s", "single_choice", options=("never", "monthly", "weekly", "daily"), ordered=True),
    "m": Question("m", "s", "multi_choice", options=("x", "y", "none"), exclusive=frozenset({"none"})),
}


def _coding(question: Question, code: str) -> dict[str, Any]:
    return {"system": "urn:test", "code": code}


def _fields(raw: dict[str, Any]) -> dict[str, Any]:
    question = Question("t", "s", "boolean", enable_when=parse(raw))
    return item_fields(question, _QUESTIONS, {}, _coding)


def test_negated_comparisons_are_paired_with_exists_so_unanswered_stays_false() -> None:
    assert _fields({"question": "c", "op": "not_equals", "value": "never"}) == {
        "enableWhen": [
            {"question": "c", "operator": "exists", "answerBoolean": True},
            {"question": "c", "operator": "!=", "answerCoding": {"system": "urn:test", "code": "never"}},
        ],
        "enableBehavior": "all",
    }


def test_ordinal_choice_comparisons_become_any_of_equals() -> None:
    fields = _fields({"question": "c", "op": "gte", "value": "weekly"})
    assert fields["enableBehavior"] == "any"
    assert [atom["answerCoding"]["code"] for atom in fields["enableWhen"]] == ["weekly", "daily"]


def test_numeric_comparisons_and_presence_map_directly() -> None:
    assert _fields({"question": "n", "op": "gt", "value": 3}) == {
        "enableWhen": [{"question": "n", "operator": ">", "answerInteger": 3}]
    }
    assert _fields({"not": {"question": "b", "op": "answered"}}) == {
        "enableWhen": [{"question": "b", "operator": "exists", "answerBoolean": False}]
    }


def test_contains_all_and_contains_any() -> None:
    assert "enableBehavior" not in _fields({"question": "m", "op": "contains", "value": "x"})
    assert _fields({"question": "m", "op": "contains_all", "value": ["x", "y"]})["enableBehavior"] == "all"
    assert _fields({"question": "m", "op": "contains_any", "value": ["x", "y"]})["enableBehavior"] == "any"


@pytest.mark.parametrize(
    "raw",
    [
        {"question": "m", "op": "count_gte", "value": 2},
        {
            "any": [
                {"question": "b", "op": "equals", "value": True},
                {"question": "c", "op": "not_equals", "value": "x"},
            ]
        },
        {
            "all": [
                {"question": "b", "op": "equals", "value": True},
                {"question": "m", "op": "contains_any", "value": ["x", "y"]},
            ]
        },
        {"not": {"question": "b", "op": "equals", "value": True}},
    ],
    ids=["count", "any-of-all", "all-of-any", "not-equals-by-negation"],
)
def test_what_one_level_cannot_say_becomes_an_expression(raw: dict[str, Any]) -> None:
    condition = parse(raw)
    assert structured(condition, _QUESTIONS, {}) is None
    fields = _fields(raw)
    assert set(fields) == {"extension"}
    (extension,) = fields["extension"]
    assert extension["url"] == ENABLE_WHEN_EXPRESSION
    assert extension["valueExpression"] == {
        "language": "text/fhirpath",
        "expression": fhirpath(condition, _QUESTIONS, {}),
    }


def test_count_expression_leaves_exclusive_options_out() -> None:
    expression = fhirpath(parse({"question": "m", "op": "count_gte", "value": 2}), _QUESTIONS, {})
    assert ".where($this != 'none').count() >= 2" in expression
    assert expression.startswith("(%resource.repeat(item).where(linkId = 'm').answer.value.code.exists() and ")


# Through the real server ------------------------------------------------------------------


def test_served_questionnaire_is_fhir_json_with_etag(server: Server) -> None:
    response = httpx.get(f"{server.base_url}{PATH}?lang=fr&country=gb")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/fhir+json"
    assert response.headers["content-language"] == "fr"
    assert "max-age" in response.headers["cache-control"]
    parsed = Questionnaire.model_validate(response.json())
    assert parsed.language == "fr"
    again = httpx.get(
        f"{server.base_url}{PATH}?lang=fr&country=gb", headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304


def test_unknown_questionnaire_and_bad_parameter_are_operation_outcomes(server: Server) -> None:
    missing = httpx.get(f"{server.base_url}/fhir/r4/Questionnaire/nope")
    assert missing.status_code == 404
    assert OperationOutcome.model_validate(missing.json()).issue[0].code == "not-found"
    bad = httpx.get(f"{server.base_url}{PATH}?lang=%3Cscript%3E")
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/fhir+json"
    assert "script" not in bad.text
    OperationOutcome.model_validate(bad.json())


def test_metadata_lists_the_questionnaire_and_screen(server: Server) -> None:
    response = httpx.get(f"{server.base_url}/fhir/r4/metadata")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/fhir+json"
    statement: Any = CapabilityStatement.model_validate(response.json())
    assert statement.fhirVersion == "4.0.1"
    assert statement.format == ["json"]
    resources = {resource.type: resource for resource in statement.rest[0].resource}
    assert [i.code for i in resources["Questionnaire"].interaction] == ["read"]
    assert [op.name for op in resources["QuestionnaireResponse"].operation] == ["screen"]


def test_fhir_routes_stay_out_of_the_openapi_document(server: Server) -> None:
    paths = httpx.get(f"{server.base_url}/openapi.json").json()["paths"]
    assert not [path for path in paths if path.startswith("/fhir")]


def test_operation_definition_is_served_and_valid(server: Server) -> None:
    statement = httpx.get(f"{server.base_url}/fhir/r4/metadata").json()
    (screen,) = [r for r in statement["rest"][0]["resource"] if r["type"] == "QuestionnaireResponse"]
    definition_id = screen["operation"][0]["definition"].rsplit("/", 1)[1]
    response = httpx.get(f"{server.base_url}/fhir/r4/OperationDefinition/{definition_id}")
    assert response.status_code == 200
    parsed: Any = OperationDefinition.model_validate(response.json())
    assert parsed.url == screen["operation"][0]["definition"]
    assert (parsed.code, parsed.resource, parsed.type, parsed.instance) == (
        "screen",
        ["QuestionnaireResponse"],
        True,
        False,
    )


def test_other_methods_and_addresses_get_operation_outcomes(server: Server) -> None:
    wrong_method = httpx.get(f"{server.base_url}/fhir/r4/QuestionnaireResponse/$screen")
    assert wrong_method.status_code == 405
    assert wrong_method.headers["allow"] == "POST"
    OperationOutcome.model_validate(wrong_method.json())
    # OPTIONS (not a CORS preflight) is no FHIR interaction: a 405 outcome naming what is.
    for path, allow in (("/fhir/r4/metadata", "GET, HEAD"), ("/fhir/r4/QuestionnaireResponse/$screen", "POST")):
        options = httpx.options(f"{server.base_url}{path}")
        assert (options.status_code, options.headers["allow"]) == (405, allow), path
        assert options.headers["content-type"] == "application/fhir+json"
        OperationOutcome.model_validate(options.json())
    nowhere = httpx.get(f"{server.base_url}/fhir/r4/Patient/CANARY-1")
    assert nowhere.status_code == 404
    assert nowhere.headers["content-type"] == "application/fhir+json"
    assert "CANARY" not in nowhere.text
    assert OperationOutcome.model_validate(nowhere.json()).issue[0].code == "not-found"
