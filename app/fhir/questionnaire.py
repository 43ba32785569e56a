"""A loaded rule set as a FHIR R4 Questionnaire in one language, for one country's texts."""

import re
from collections.abc import Callable
from typing import Any

from app.engine.questionnaire import AnswerValue, Question
from app.engine.ruleset import RuleSet
from app.fhir.enable_when import item_fields
from app.fhir.urls import (
    CHECKLIST_NEGATIVE_EXTENSION,
    CHECKLIST_TICKED_EXTENSION,
    DISCLAIMER_LINK_ID,
    MAX_VALUE,
    MIN_VALUE,
    RULESET_EXTENSION,
    options_system,
    questionnaire_url,
    section_link_id,
)

_ITEM_TYPES = {
    "boolean": "boolean",
    "single_choice": "choice",
    "multi_choice": "choice",
    "scale": "integer",
    "integer": "integer",
}
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"


def ruleset_extension(ruleset: RuleSet) -> dict[str, Any]:
    """Which rule set produced a resource: id, version and the sha256 of its files."""
    return {
        "url": RULESET_EXTENSION,
        "extension": [
            {"url": "id", "valueString": ruleset.id},
            {"url": "version", "valueString": ruleset.version},
            {"url": "sha256", "valueString": ruleset.sha256},
        ],
    }


def computable_name(ruleset_id: str) -> str:
    """FHIR names start with a capital and hold letters, digits and underscores only."""
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", ruleset_id) if part) or "Questionnaire"


def build_questionnaire(ruleset: RuleSet, language: str, country: str | None = None) -> dict[str, Any]:
    """The Questionnaire resource (JSON form): the disclaimer first, then one group per section."""
    texts = ruleset.texts_for(language, country)
    text, optional = texts.text, texts.optional
    system = options_system(ruleset.id)

    def coding(question: Question, code: str) -> dict[str, Any]:
        return {"system": system, "code": code, "display": text(question.option_label_key(code))}

    def item(question: Question) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "linkId": question.id,
            "text": text(f"question.{question.id}.text"),
            "type": _ITEM_TYPES[question.type],
        }
        extensions: list[dict[str, Any]] = []
        if question.is_numeric:
            if question.min is not None:
                extensions.append({"url": MIN_VALUE, "valueInteger": question.min})
            if question.max is not None:
                extensions.append({"url": MAX_VALUE, "valueInteger": question.max})
        entry.update(item_fields(question, ruleset.questions, ruleset.predicates, coding))
        extensions += entry.pop("extension", [])
        for url, answer in (
            (CHECKLIST_NEGATIVE_EXTENSION, question.negative),
            (CHECKLIST_TICKED_EXTENSION, question.ticked),
        ):
            if answer is not None:
                extensions.append(_answer_extension(url, question, answer, coding))
        if extensions:
            entry["extension"] = extensions
        entry["required"] = question.required
        if question.type == "multi_choice":
            entry["repeats"] = True
        if question.is_choice:
            options = []
            for value in question.options:
                option: dict[str, Any] = {"valueCoding": coding(question, value)}
                if value in question.exclusive:
                    option["extension"] = [{"url": OPTION_EXCLUSIVE, "valueBoolean": True}]
                options.append(option)
            entry["answerOption"] = options
        help_text = optional(f"question.{question.id}.help")
        if help_text:
            entry["item"] = [_display(f"{question.id}.help", help_text, control="help")]
        return entry

    groups: list[dict[str, Any]] = [_display(DISCLAIMER_LINK_ID, text("disclaimer"))]
    for section in ruleset.sections:
        children = []
        intro = optional(f"section.{section.id}.intro")
        if intro:
            children.append(_display(f"{section_link_id(section.id)}.intro", intro))
        children += [item(ruleset.questions[qid]) for qid in section.question_ids]
        group: dict[str, Any] = {
            "linkId": section_link_id(section.id),
            "text": text(f"section.{section.id}.title"),
            "type": "group",
        }
        if section.is_checklist:
            # SDC's "list" group control; the statements say what "None of these" answers.
            group["extension"] = [_item_control("list")]
        group["item"] = children
        groups.append(group)
    return {
        "resourceType": "Questionnaire",
        "id": ruleset.id,
        "extension": [ruleset_extension(ruleset)],
        "language": language,
        "url": questionnaire_url(ruleset.id),
        "version": ruleset.version,
        "name": computable_name(ruleset.id),
        "title": text("questionnaire.title"),
        "status": "draft",
        "description": text("questionnaire.description"),
        "item": groups,
    }


def _display(link_id: str, text: str, control: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"linkId": link_id, "text": text, "type": "display"}
    if control:
        entry["extension"] = [_item_control(control)]
    return entry


def _item_control(code: str) -> dict[str, Any]:
    coding = {"system": "http://hl7.org/fhir/questionnaire-item-control", "code": code}
    return {"url": ITEM_CONTROL, "valueCodeableConcept": {"coding": [coding]}}


def _answer_extension(
    url: str, question: Question, answer: AnswerValue, coding: Callable[[Question, str], dict[str, Any]]
) -> dict[str, Any]:
    """A checklist answer: valueBoolean, or the valueCoding of its (one) option."""
    if isinstance(answer, bool):
        return {"url": url, "valueBoolean": answer}
    code = answer if isinstance(answer, str) else sorted(answer)[0] if isinstance(answer, frozenset) else str(answer)
    return {"url": url, "valueCoding": coding(question, code)}


def display_link_ids(ruleset: RuleSet) -> frozenset[str]:
    """linkIds of the groups and display items: a response may carry them, never answered."""
    ids = {DISCLAIMER_LINK_ID}
    for section in ruleset.sections:
        ids |= {section_link_id(section.id), f"{section_link_id(section.id)}.intro"}
        ids |= {f"{qid}.help" for qid in section.question_ids}
    return frozenset(ids)
