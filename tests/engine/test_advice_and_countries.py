"""Advice flags read the outcome; country placeholders are filled per language and country."""

import pytest

from app.engine.evaluator import screen
from app.engine.levels import Level
from app.engine.ruleset import RuleSet

BASE: dict[str, object] = {"pain_present": True, "age_years": 40, "pain_level": 2}


def test_advice_fires_when_level_finding_and_fired_rule_all_match(minimal: RuleSet) -> None:
    evaluation = screen(minimal, {**BASE, "pain_level": 8, "leak_frequency": "weekly"})
    assert evaluation.level is Level.RECOMMEND_PELVIC_FLOOR_PHYSIO
    assert evaluation.findings["hip"] == "marked"
    assert evaluation.advice == ("see_doctor_too",)


@pytest.mark.parametrize(
    "answers",
    [
        {**BASE, "pain_level": 8},  # no P01: fired_rules lacks it, level is general_advice
        {**BASE, "pain_level": 3, "leak_frequency": "weekly"},  # hip finding not marked
    ],
)
def test_advice_does_not_fire_when_one_part_is_missing(minimal: RuleSet, answers: dict[str, object]) -> None:
    assert screen(minimal, answers).advice == ()


def test_advice_never_changes_the_level(minimal: RuleSet) -> None:
    with_advice = screen(minimal, {**BASE, "pain_level": 8, "leak_frequency": "weekly"})
    without = screen(minimal, {**BASE, "pain_level": 3, "leak_frequency": "weekly"})
    assert with_advice.level is without.level


@pytest.mark.parametrize(
    ("language", "country", "expected"),
    [
        ("en", "gb", "Call 999 now."),
        ("en", "generic", "Call 112 now."),
        ("fr", "gb", "Appelez le 999 maintenant."),
        ("en", "zz", "Call 112 now."),  # unknown country: the rule set's default
        ("en", None, "Call 112 now."),
    ],
)
def test_country_placeholders_are_filled(minimal: RuleSet, language: str, country: str | None, expected: str) -> None:
    assert minimal.texts_for(language, country).text_list("level.emergency.next_steps") == [expected]


def test_raw_locale_keeps_the_placeholder_for_reviewers(minimal: RuleSet) -> None:
    assert minimal.locales["en"]["level.emergency.next_steps"] == ["Call {emergency_number} now."]
    assert minimal.countries == ("generic", "gb")
    assert minimal.default_country == "generic"
