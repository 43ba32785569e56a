"""Screening results, errors and the server's capabilities as FHIR resources (JSON form).
A result is a RiskAssessment coding only the screening level: nothing names a diagnosis."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app.engine.errors import AnswerIssue
from app.engine.evaluator import Evaluation
from app.engine.ruleset import RuleSet
from app.fhir.questionnaire import ruleset_extension
from app.fhir.response import Issue, item_expression
from app.fhir.urls import (
    FHIR_VERSION,
    FIRED_RULE_EXTENSION,
    LEVEL_SYSTEM,
    SCREEN_OPERATION,
    UNANSWERED_REQUIRED_EXTENSION,
    questionnaire_url,
    rules_system,
)
from app.schemas.screening import ResultParts

_ISSUE_TYPES = {"missing_required": "required", "unknown_question": "invalid"}
"""Engine issue codes as FHIR issue types; every other one (wrong type, option, range,
duplicate or exclusive option) is an invalid element value."""


def engine_issues(issues: Iterable[AnswerIssue]) -> list[Issue]:
    """Engine answer issues located by linkId (their pointers are ``#/answers/<question id>``)."""
    converted = []
    for issue in issues:
        question = issue.pointer.removeprefix("#/answers").lstrip("/")
        where = item_expression(question) if question else "QuestionnaireResponse.item"
        converted.append(Issue(_ISSUE_TYPES.get(issue.code, "value"), where, issue.detail))
    return converted


def operation_outcome(issues: Sequence[Issue]) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "error",
                "code": issue.code,
                "diagnostics": issue.diagnostics,
                **({"expression": [issue.expression]} if issue.expression else {}),
            }
            for issue in issues
        ],
    }


def risk_assessment(
    ruleset: RuleSet,
    evaluation: Evaluation,
    answers: Mapping[str, object],
    parts: ResultParts,
    response_id: str | None,
    final: bool = True,
) -> dict[str, Any]:
    """The screening result: level (with the headline), the reasons, next steps, disclaimer.

    ``status`` is ``final`` only when ``final`` is true (the response was finished) and the
    evaluation is complete; otherwise ``preliminary``. An incomplete evaluation (an emergency
    found before every required answer was given) lists the unanswered linkIds in extensions
    and says in its first note that emergency help is needed now regardless."""
    level = evaluation.level.value
    # One disposition: reasons below the result's level carry their text without an action.
    result = parts.assemble(evaluation, answers)
    reasons = result.reasons
    basis = (
        {"reference": f"QuestionnaireResponse/{response_id}"}
        if response_id
        else {"display": "The QuestionnaireResponse submitted with this request"}
    )
    rule_codes = rules_system(ruleset.id)
    notes = [{"text": parts.disclaimer}]
    if not evaluation.complete:
        notes.insert(0, {"text": parts.incomplete_note})
    return {
        "resourceType": "RiskAssessment",
        "extension": [
            ruleset_extension(ruleset),
            *({"url": UNANSWERED_REQUIRED_EXTENSION, "valueString": qid} for qid in evaluation.unanswered_required),
        ],
        "language": parts.language,
        "status": "final" if final and evaluation.complete else "preliminary",
        "method": {
            "coding": [{"system": questionnaire_url(ruleset.id), "code": ruleset.id, "version": ruleset.version}],
            "text": f"{ruleset.id} rule set {ruleset.version}",
        },
        # R4 requires a subject; the service knows nobody and stores nothing.
        "subject": {"display": "Anonymous person who answered the questionnaire"},
        "basis": [basis],
        "prediction": [
            {
                "extension": [
                    {"url": FIRED_RULE_EXTENSION, "valueCoding": {"system": rule_codes, "code": reason.rule_id}}
                    for reason in reasons
                ],
                "qualitativeRisk": {
                    "coding": [{"system": LEVEL_SYSTEM, "code": level, "display": result.headline}],
                    "text": result.headline,
                },
                "rationale": "\n\n".join(reason.text for reason in reasons),
            }
        ],
        "mitigation": "\n".join(result.next_steps),
        "note": notes,
    }


def screen_result(risk: dict[str, Any]) -> dict[str, Any]:
    """The $screen output: Parameters with one ``return`` parameter."""
    return {"resourceType": "Parameters", "parameter": [{"name": "return", "resource": risk}]}


SCREEN_STATUSES = (
    "A completed or amended response with every required answer gets a final RiskAssessment, an in-progress "
    "or stopped one a preliminary RiskAssessment. Answers may be partial: an item present without an answer is "
    "a question passed over, a question with no item may still be answered. Partial answers already sure to "
    "need emergency help get a preliminary RiskAssessment at the emergency level at once (a note says the "
    "answers are incomplete and emergency help is needed now; unanswered-required extensions name the required "
    "items still unanswered); other partial answers get an OperationOutcome listing the required items still "
    "unanswered. A response entered in error is refused."
)
"""How $screen treats the response's status (CapabilityStatement and OperationDefinition)."""


def capability_statement(software_version: str, date: str) -> dict[str, Any]:
    """What this server does: read Questionnaire, and $screen on QuestionnaireResponse."""
    return {
        "resourceType": "CapabilityStatement",
        "status": "draft",
        "date": date,
        "kind": "instance",
        "software": {"name": "hip-pelvic-screener", "version": software_version},
        "implementation": {"description": "Non-diagnostic self-screening for hip and pelvic floor symptoms"},
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Stores nothing. $screen returns a RiskAssessment inside Parameters.",
                "resource": [
                    {"type": "Questionnaire", "interaction": [{"code": "read"}]},
                    {"type": "OperationDefinition", "interaction": [{"code": "read"}]},
                    {
                        "type": "QuestionnaireResponse",
                        "operation": [
                            {"name": "screen", "definition": SCREEN_OPERATION, "documentation": SCREEN_STATUSES}
                        ],
                    },
                ],
            }
        ],
    }


def operation_definition() -> dict[str, Any]:
    """$screen: a QuestionnaireResponse in, a RiskAssessment out (type-level, idempotent)."""
    return {
        "resourceType": "OperationDefinition",
        "id": "QuestionnaireResponse-screen",
        "url": SCREEN_OPERATION,
        "name": "Screen",
        "title": "Non-diagnostic screening of a QuestionnaireResponse",
        "status": "draft",
        "kind": "operation",
        "description": "Runs the questionnaire's rules on the response and returns a RiskAssessment whose "
        "qualitativeRisk is the screening level. Nothing is stored. Not a diagnosis. " + SCREEN_STATUSES,
        "affectsState": False,
        "code": "screen",
        "resource": ["QuestionnaireResponse"],
        "system": False,
        "type": True,
        "instance": False,
        "inputProfile": "http://hl7.org/fhir/StructureDefinition/QuestionnaireResponse",
        "parameter": [
            {
                "name": "response",
                "use": "in",
                "min": 1,
                "max": "1",
                "documentation": "The QuestionnaireResponse, posted as the request body itself: status "
                "completed or amended, or in-progress or stopped for answers stopped early.",
                "type": "QuestionnaireResponse",
            },
            {
                "name": "return",
                "use": "out",
                "min": 1,
                "max": "1",
                "documentation": "The result: status final for a finished response with every required answer, "
                "else preliminary.",
                "type": "RiskAssessment",
            },
        ],
    }
