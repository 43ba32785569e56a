"""A FHIR QuestionnaireResponse (JSON form) as our answers dict, strictly: every problem is
an ``Issue`` naming where it is (our linkIds or positions), never a submitted value."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.engine.ruleset import RuleSet
from app.fhir.questionnaire import display_link_ids
from app.fhir.urls import options_system, questionnaire_url

_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_MAX_ITEMS = 2000  # far above any real response; HttpGuard's body limit bounds it anyway
# Past this many issues the walk stops: a body of thousands of bad items would otherwise cost
# tens of valid screenings and answer with an OperationOutcome of hundreds of kilobytes.
MAX_ISSUES = 20


@dataclass(frozen=True)
class Issue:
    """One OperationOutcome issue: FHIR issue type, FHIRPath location, plain-words text."""

    code: str  # invalid | required | value | structure | business-rule
    expression: str
    diagnostics: str


class ResponseError(ValueError):
    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(f"{len(issues)} issue(s) in the QuestionnaireResponse")
        self.issues = issues


def item_expression(link_id: str) -> str:
    """FHIRPath to the response item of one of our linkIds, wherever it is nested."""
    return f"QuestionnaireResponse.repeat(item).where(linkId = '{link_id}')"


STATUSES = ("in-progress", "completed", "amended", "entered-in-error", "stopped")
"""QuestionnaireResponse.status in R4 (required)."""
FINISHED = frozenset({"completed", "amended"})
"""The statuses of a response the person finished; in-progress and stopped ones are partial."""


@dataclass(frozen=True)
class Submitted:
    """What a response says: the answers, the questions passed over (an item present without
    an answer), its status and id. Questions with no item at all may still be answered."""

    answers: dict[str, object]
    response_id: str | None
    status: str = "completed"
    skipped: tuple[str, ...] = ()

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


def ruleset_for(document: object, rulesets: Mapping[str, RuleSet]) -> RuleSet:
    """The rule set a response answers: its ``questionnaire`` canonical (a ``|version``
    suffix is accepted), or the only rule set when it names none."""
    if not isinstance(document, dict) or document.get("resourceType") != "QuestionnaireResponse":
        raise ResponseError([Issue("invalid", "QuestionnaireResponse", "the body must be a QuestionnaireResponse")])
    canonical = document.get("questionnaire")
    if canonical is None and len(rulesets) == 1:
        return next(iter(rulesets.values()))
    if isinstance(canonical, str):
        url = canonical.split("|", 1)[0]
        for ruleset in rulesets.values():
            if url == questionnaire_url(ruleset.id):
                return ruleset
    known = ", ".join(questionnaire_url(rid) for rid in sorted(rulesets))
    raise ResponseError(
        [Issue("invalid", "QuestionnaireResponse.questionnaire", f"questionnaire must be one of: {known}")]
    )


def answers_of(document: dict[str, Any], ruleset: RuleSet) -> Submitted:
    """Our answers dict from the response items (groups and answer-nested items flattened).
    A question item without an answer is a question passed over (the engine's ``skipped``);
    a question with no item may still be answered while the response is in progress."""
    issues: list[Issue] = []
    answers: dict[str, object] = {}
    unanswered: list[str] = []
    displays = display_link_ids(ruleset)
    system = options_system(ruleset.id)
    response_id = document.get("id")
    if response_id is not None and (not isinstance(response_id, str) or not _FHIR_ID.match(response_id)):
        issues.append(Issue("value", "QuestionnaireResponse.id", "id must be a FHIR id ([A-Za-z0-9-.], 1 to 64)"))
        response_id = None
    status = document.get("status")
    if status not in STATUSES:
        issues.append(Issue("required" if status is None else "value", _STATUS, _STATUS_HELP))
    elif status == "entered-in-error":
        issues.append(Issue("business-rule", _STATUS, "a response entered in error is not screened"))
    seen = 0

    def visit(items: object, path: str) -> None:
        nonlocal seen
        if items is None:
            return
        if not isinstance(items, list):
            issues.append(Issue("structure", path, "item must be a list"))
            return
        for index, item in enumerate(items):
            seen += 1
            if seen > _MAX_ITEMS:
                issues.append(Issue("structure", "QuestionnaireResponse", "too many items"))
                return
            if len(issues) >= MAX_ISSUES:
                return
            here = f"{path}[{index}]"
            if not isinstance(item, dict) or not isinstance(item.get("linkId"), str):
                issues.append(Issue("structure", here, "every item needs a linkId"))
                continue
            link_id = item["linkId"]
            raw_answers = item.get("answer")
            if link_id in displays:
                if raw_answers:
                    issues.append(Issue("invalid", item_expression(link_id), f"'{link_id}' is not a question"))
            elif link_id in ruleset.questions:
                where = item_expression(link_id)
                if link_id in answers:
                    issues.append(Issue("invalid", where, f"'{link_id}' appears more than once"))
                else:
                    value = _answer(link_id, raw_answers, ruleset, system, where, issues)
                    if value is not None:
                        answers[link_id] = value
                    elif raw_answers is None or raw_answers == []:
                        unanswered.append(link_id)
            else:
                # The linkId came from the client, so it is located by position, not repeated.
                issues.append(Issue("invalid", here, "an item's linkId is not a linkId of this questionnaire"))
                continue
            visit(item.get("item"), f"{here}.item")
            if isinstance(raw_answers, list):
                for position, answer in enumerate(raw_answers):
                    if isinstance(answer, dict):
                        visit(answer.get("item"), f"{here}.answer[{position}].item")

    visit(document.get("item"), "QuestionnaireResponse.item")
    if len(issues) >= MAX_ISSUES:
        more = "the first issues only: more were not checked or listed; fix these and send again"
        issues = [*issues[:MAX_ISSUES], Issue("too-costly", "QuestionnaireResponse", more)]
    if issues:
        raise ResponseError(issues)
    skipped = tuple(dict.fromkeys(link_id for link_id in unanswered if link_id not in answers))
    return Submitted(answers, response_id, str(status), skipped)


_STATUS = "QuestionnaireResponse.status"
_STATUS_HELP = "status must be one of: in-progress, completed, amended, stopped"


_VALUE_KEYS = {"boolean": "valueBoolean", "integer": "valueInteger", "choice": "valueCoding"}


def _answer(link_id: str, raw: object, ruleset: RuleSet, system: str, where: str, issues: list[Issue]) -> object | None:
    """The answer value in our form, or None when absent or invalid (then an issue is added)."""
    if raw is None or raw == []:
        return None  # an item left unanswered: unknown, never "no"
    question = ruleset.questions[link_id]
    kind = "boolean" if question.type == "boolean" else "integer" if question.is_numeric else "choice"
    expected = _VALUE_KEYS[kind]

    def fail(code: str, detail: str) -> None:
        issues.append(Issue(code, where, f"'{link_id}' {detail}"))

    if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
        fail("structure", "answer must be a list of objects")
        return None
    if len(raw) > 1 and question.type != "multi_choice":
        fail("value", "takes one answer")
        return None
    values = []
    for entry in raw:
        value_keys = [key for key in entry if key.startswith("value")]
        if value_keys != [expected]:
            fail("value", f"takes {expected} answers")
            return None
        value = entry[expected]
        if kind == "choice":
            if not isinstance(value, dict) or not isinstance(value.get("code"), str):
                fail("value", "takes a valueCoding with a code")
                return None
            if value.get("system", system) != system:
                fail("value", f"takes codes of the system {system}")
                return None
            value = value["code"]
        elif kind == "integer" and (type(value) is not int):
            fail("value", "takes a valueInteger (a whole number)")
            return None
        elif kind == "boolean" and type(value) is not bool:
            fail("value", "takes a valueBoolean (true or false)")
            return None
        values.append(value)
    # Option membership, ranges and exclusivity are checked by the engine, as for v1.
    return values if question.type == "multi_choice" else values[0]
