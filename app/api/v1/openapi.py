"""OpenAPI parts the v1 routes cannot take from their signatures (they read the request
themselves, see app.api.request_context): header parameters, response headers, and the
``answers`` object spelled out question by question from the loaded rule sets."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.api.catalog import Catalog
from app.engine.loader import load_rulesets
from app.engine.questionnaire import Question
from app.engine.ruleset import RuleSet

OPENAPI_TAGS = [
    {"name": "questionnaires", "description": "The questionnaires, localised, with their skip logic."},
    {"name": "screenings", "description": "Answers in, a non-diagnostic suggestion of what to do next out."},
    {"name": "progress", "description": "Partial answers in, the next question to ask out: one question at a time."},
    {
        "name": "receipts",
        "description": "Signed receipts of results: verify one (as JSON, a PDF or a FHIR Bundle), and the keys "
        "that sign them.",
    },
]

ACCEPT_LANGUAGE: dict[str, Any] = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "Preferred languages (RFC 9110), used when there is no ?lang=. Content-Language says "
    "which language the texts are in.",
    "schema": {"type": "string", "examples": ["fr-CA, fr;q=0.9, en;q=0.5"]},
}
IF_NONE_MATCH: dict[str, Any] = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of a copy the client holds; 304 Not Modified when it is still current.",
    "schema": {"type": "string", "examples": ['"3f1c2a9d0b7e4c55a1d2e3f4a5b6c7d8"']},
}


def json_request_body(schema: str, description: str, examples: Mapping[str, Any]) -> dict[str, Any]:
    """The ``requestBody`` of a route that reads a JSON body itself (its model names the schema)."""
    return {
        "required": True,
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}, "examples": examples}},
    }


def _header(description: str, example: str) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "string", "examples": [example]}}


CACHE_CONTROL_NO_STORE = _header("Always no-store: results hold health information.", "no-store")
CONTENT_LANGUAGE = _header("The language of the texts.", "en")
_ETAG_EXAMPLE = '"3f1c2a9d0b7e4c55a1d2e3f4a5b6c7d8"'
ETAG = _header("Strong validator of this document; send it back in If-None-Match.", _ETAG_EXAMPLE)
CACHE_CONTROL_QUESTIONNAIRE = _header(
    "Shared caches may keep the document for max-age seconds, then revalidate.", "public, max-age=300, must-revalidate"
)

ANSWERS_DESCRIPTION = (
    "Answers keyed by question id (the item ids of GET /v1/questionnaires/{questionnaire_id}). "
    "Leave out what was not answered: a missing optional answer is unknown, never 'no'. Every required "
    "question that applies must be answered for a screening; answers to questions that do not apply "
    "are ignored and listed in ignored_answers. Booleans only as JSON booleans, options exactly as "
    "listed, whole numbers within the bounds; a key that is no question id is rejected (unknown_question)."
)


def answer_schema(question: Question) -> dict[str, Any]:
    """The JSON Schema of one answer, as strict as the service's answer check. The question's
    text stays out (it is in the questionnaire document, in every language), so rewording a
    question changes the questionnaire, not the API document."""
    when = "required when it applies" if question.required else "optional"
    schema: dict[str, Any]
    if question.type == "boolean":
        schema = {"type": "boolean"}
    elif question.is_numeric:
        schema = {"type": "integer"}
        if question.min is not None:
            schema["minimum"] = question.min
        if question.max is not None:
            schema["maximum"] = question.max
    elif question.type == "single_choice":
        schema = {"type": "string", "enum": list(question.options)}
    else:
        schema = {
            "type": "array",
            "items": {"type": "string", "enum": list(question.options)},
            "minItems": 1,
            "uniqueItems": True,
        }
        if question.exclusive:
            when += "; " + ", ".join(sorted(question.exclusive)) + " cannot be combined with other options"
    return {"description": f"Section {question.section}: {question.type}, {when}.", **schema}


def answers_schema(rulesets: Mapping[str, RuleSet]) -> dict[str, Any]:
    """The ``Answers`` component: one optional property per question id of every rule set."""
    properties: dict[str, dict[str, Any]] = {}
    for ruleset in rulesets.values():
        for section in ruleset.sections:
            for qid in section.question_ids:
                schema = answer_schema(ruleset.questions[qid])
                known = properties.get(qid)
                if known is None or known == schema:
                    properties[qid] = schema
                else:  # the same id in two questionnaires with different answers
                    variants = known.get("anyOf", [known])
                    properties[qid] = {"anyOf": [*variants, schema]}
    return {
        "title": "Answers",
        "description": ANSWERS_DESCRIPTION + " Questionnaires: " + ", ".join(sorted(rulesets)) + ".",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "maxProperties": 500,
    }


def document_answers(components: dict[str, Any], catalog: Catalog | None, rules_dir: Path) -> None:
    """Add the ``Answers`` component and point the request models' ``answers`` at it. The
    rule sets are the loaded ones once the app has started, else those in ``rules_dir`` (the
    CLI and tests build the document without starting the app); either way the same files."""
    components["Answers"] = answers_schema(catalog.rulesets if catalog is not None else load_rulesets(rules_dir))
    for model in ("ScreeningRequest", "ProgressRequest"):
        components[model]["properties"]["answers"] = {"$ref": "#/components/schemas/Answers"}
