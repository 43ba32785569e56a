"""Checklist sections (#15): the loader gives statements their answers and stops on wrong data
with one line naming the file, the id and the problem; the API and FHIR say how they are shown."""

from pathlib import Path

import pytest

from app.engine.errors import RuleSetError
from app.engine.loader import load_ruleset
from app.engine.ruleset import RuleSet
from app.fhir.questionnaire import ITEM_CONTROL, build_questionnaire
from app.fhir.urls import CHECKLIST_NEGATIVE_EXTENSION, CHECKLIST_TICKED_EXTENSION
from app.schemas.questionnaire import QuestionnaireView
from tests.engine.test_invalid_rulesets import build_ruleset_dir

BASICS = """option_sets:
  FREQ:
    ordered: true
    options: [never, monthly, weekly, daily]
sections:
  - id: basics
    items:
      - {id: pain_present, type: boolean, required: true}
      - {id: age_years, type: integer, min: 0, max: 120, required: true}
      - id: pain_level
        type: scale
        required: true
        enable_when: {question: pain_present, op: equals, value: true}
"""


def _load(tmp_path: Path, symptoms: str, basics: str = BASICS) -> RuleSet:
    directory = build_ruleset_dir(tmp_path)
    (directory / "questions.yaml").write_text(basics + symptoms)
    return load_ruleset(directory)


VALID = """  - id: symptoms
    display: checklist
    items:
      - {id: pain_side, type: single_choice, options: ["no", left, right], negative: "no"}
      - id: leak_frequency
        type: single_choice
        option_set: FREQ
        negative: never
        ticked: weekly
      - id: symptom_list
        type: multi_choice
        options: [numbness, weakness, tingling, none]
        exclusive: [none]
        negative: [none]
"""


def test_a_checklist_gives_its_statements_their_answers(tmp_path: Path) -> None:
    ruleset = _load(tmp_path, VALID.replace('["no", left, right]', "[left, right, both]").replace('"no"}', "both}"))
    symptoms = ruleset.sections[1]
    assert symptoms.is_checklist and not ruleset.sections[0].is_checklist
    assert ruleset.questions["symptom_list"].negative == frozenset({"none"})
    assert ruleset.questions["leak_frequency"].ticked == "weekly"
    assert ruleset.questions["pain_present"].negative is None


BROKEN = {
    "a statement outside a checklist": (
        VALID.replace("    display: checklist\n", ""),
        "pain_side",
        "only for the statements of a section with display: checklist",
    ),
    "a boolean whose negative is true": (
        VALID.replace(
            '{id: pain_side, type: single_choice, options: ["no", left, right], negative: "no"}',
            "{id: pain_side, type: boolean, negative: true}",
        ),
        "pain_side",
        "the 'negative' of a boolean statement is false",
    ),
    "a multi-choice negative that is not exclusive": (
        VALID.replace("negative: [none]", "negative: [numbness]"),
        "symptom_list",
        "a list of one exclusive option",
    ),
    "a ticked answer equal to the negative": (
        VALID.replace("ticked: weekly", "ticked: never"),
        "leak_frequency",
        "'ticked' must be another option",
    ),
    "a follow-up that follows no statement": (
        VALID + "      - {id: other_item, type: boolean}\n",
        "other_item",
        "must read a statement of the same section",
    ),
    "a checklist without statements": (
        "  - id: symptoms\n    display: checklist\n    items:\n      - {id: pain_side, type: boolean}\n",
        "symptoms",
        "needs at least one statement",
    ),
    "a scale as a statement": (
        VALID.replace(
            '{id: pain_side, type: single_choice, options: ["no", left, right], negative: "no"}',
            "{id: pain_side, type: scale, negative: false}",
        ),
        "pain_side",
        "cannot be a checklist statement",
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_wrong_checklist_data_stops_the_load_with_one_line(tmp_path: Path, name: str) -> None:
    symptoms, subject, message = BROKEN[name]
    with pytest.raises(RuleSetError) as excinfo:
        _load(tmp_path, symptoms)
    issues = [issue for issue in excinfo.value.issues if issue.code == "invalid_checklist"]
    assert issues, excinfo.value.issues
    line = str(issues[0])
    assert "\n" not in line and "questions.yaml:" in line and f" {subject}:" in line and message in line, line


def test_every_red_flag_of_a_checklist_is_a_statement_or_follows_one(ruleset: RuleSet) -> None:
    """Every red flag is still asked of everyone: on a checklist screen each one is a
    statement ("None of these" answers it) or a follow-up shown once its statement is ticked."""
    checklists = [section for section in ruleset.sections if section.is_checklist]
    assert {"red_flags", "red_flags_injury", "red_flags_circulation"} <= {s.id for s in checklists}
    for section in checklists:
        statements = [qid for qid in section.question_ids if ruleset.questions[qid].is_statement]
        assert statements, section.id


def test_the_questionnaire_and_fhir_say_how_a_checklist_is_shown(ruleset: RuleSet) -> None:
    view = QuestionnaireView.build(ruleset, "en")
    red_flags = next(section for section in view.sections if section.id == "red_flags")
    assert red_flags.display == "checklist"
    items = {item.id: item for item in red_flags.items}
    assert items["rf_cannot_pass_urine"].negative is False
    assert items["rf_saddle_numbness"].negative == "no"
    assert items["rf_leg_weakness_course"].negative is None  # a follow-up
    assert next(s for s in view.sections if s.id == "about_you").display == "questions"

    resource = build_questionnaire(ruleset, "en")
    group = next(g for g in resource["item"] if g["linkId"] == "section.red_flags")
    controls = [e["valueCodeableConcept"]["coding"][0]["code"] for e in group["extension"] if e["url"] == ITEM_CONTROL]
    assert controls == ["list"]
    by_id = {item["linkId"]: item for item in group["item"]}
    negative = {e["url"]: e for e in by_id["rf_cannot_pass_urine"]["extension"]}[CHECKLIST_NEGATIVE_EXTENSION]
    assert negative["valueBoolean"] is False
    coded = {e["url"]: e for e in by_id["rf_saddle_numbness"]["extension"]}[CHECKLIST_NEGATIVE_EXTENSION]
    assert coded["valueCoding"]["code"] == "no"
    assert all(e["url"] != CHECKLIST_TICKED_EXTENSION for item in group["item"] for e in item.get("extension", []))
