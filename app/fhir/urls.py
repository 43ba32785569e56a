"""Canonical URLs of the FHIR artefacts this service defines, all under one base."""

CANONICAL_BASE = "https://hip-pelvic-screener.example/fhir"
"""Stable identity of our FHIR artefacts (not where they are served): change it and every
Questionnaire, CodeSystem and extension URL changes with it."""

FHIR_VERSION = "4.0.1"
FHIR_JSON = "application/fhir+json"

MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
ENABLE_WHEN_EXPRESSION = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"

LEVEL_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/screening-level"
RULESET_EXTENSION = f"{CANONICAL_BASE}/StructureDefinition/ruleset"
FIRED_RULE_EXTENSION = f"{CANONICAL_BASE}/StructureDefinition/fired-rule"
UNANSWERED_REQUIRED_EXTENSION = f"{CANONICAL_BASE}/StructureDefinition/unanswered-required"
"""On a preliminary RiskAssessment: the linkId (valueString) of a required question that
applies and was not answered."""
CHECKLIST_NEGATIVE_EXTENSION = f"{CANONICAL_BASE}/StructureDefinition/checklist-negative"
"""On a statement of a checklist group: the answer "None of these apply to me" gives it
(valueBoolean, or valueCoding of the option)."""
CHECKLIST_TICKED_EXTENSION = f"{CANONICAL_BASE}/StructureDefinition/checklist-ticked"
"""On a statement of a checklist group: the answer ticking it gives, when ticking asks nothing more."""
SCREEN_OPERATION = f"{CANONICAL_BASE}/OperationDefinition/QuestionnaireResponse-screen"
DISCLAIMER_LINK_ID = "display.disclaimer"
"""Not a question id: those never contain a dot, so the two can never collide."""


def questionnaire_url(ruleset_id: str) -> str:
    return f"{CANONICAL_BASE}/Questionnaire/{ruleset_id}"


def options_system(ruleset_id: str) -> str:
    """The CodeSystem holding every option value of one questionnaire."""
    return f"{CANONICAL_BASE}/CodeSystem/{ruleset_id}-options"


def rules_system(ruleset_id: str) -> str:
    return f"{CANONICAL_BASE}/CodeSystem/{ruleset_id}-rules"


def section_link_id(section_id: str) -> str:
    return f"section.{section_id}"
