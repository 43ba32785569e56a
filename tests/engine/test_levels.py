"""Levels order by urgency, never alphabetically (guard against the str-Enum bug)."""

import pytest

from app.engine.evaluator import evaluate
from app.engine.levels import LEVEL_IDS, Level
from app.engine.questionnaire import Answers
from app.engine.ruleset import RuleSet

LEAST_TO_MOST_URGENT = [
    Level.GENERAL_ADVICE,
    Level.CONSIDER_PELVIC_FLOOR_PHYSIO,
    Level.RECOMMEND_PELVIC_FLOOR_PHYSIO,
    Level.PROMPT_MEDICAL_REVIEW,
    Level.URGENT_SAME_DAY,
    Level.EMERGENCY,
]


def test_max_picks_emergency() -> None:
    assert max(Level) is Level.EMERGENCY
    # "urgent_same_day" is the alphabetical maximum: a str comparison would pick it.
    assert max([Level.URGENT_SAME_DAY, Level.EMERGENCY, Level.GENERAL_ADVICE]) is Level.EMERGENCY
    assert max([Level.PROMPT_MEDICAL_REVIEW, Level.CONSIDER_PELVIC_FLOOR_PHYSIO]) is Level.PROMPT_MEDICAL_REVIEW


def test_min_picks_general_advice() -> None:
    # "consider_pelvic_floor_physio" is the alphabetical minimum.
    assert min(Level) is Level.GENERAL_ADVICE
    assert min([Level.CONSIDER_PELVIC_FLOOR_PHYSIO, Level.GENERAL_ADVICE]) is Level.GENERAL_ADVICE


def test_sorted_ascending_goes_from_general_advice_to_emergency() -> None:
    for start in range(len(LEAST_TO_MOST_URGENT)):
        rotated = LEAST_TO_MOST_URGENT[start:] + LEAST_TO_MOST_URGENT[:start]
        assert sorted(rotated) == LEAST_TO_MOST_URGENT
        assert sorted(rotated, reverse=True) == LEAST_TO_MOST_URGENT[::-1]
    # What a str-based Enum would give: alphabetical by value.
    assert sorted(Level, key=lambda level: level.value) != LEAST_TO_MOST_URGENT


def test_every_comparison_operator_follows_urgency() -> None:
    for low_index, low in enumerate(LEAST_TO_MOST_URGENT):
        for high in LEAST_TO_MOST_URGENT[low_index + 1 :]:
            assert low < high
            assert low <= high
            assert not low > high
            assert not low >= high
            assert high > low
            assert high >= low
            assert not high < low
            assert not high <= low
        assert low <= low
        assert low >= low
        assert not low < low
        assert not low > low


def test_urgency_numbers() -> None:
    assert [level.urgency for level in LEAST_TO_MOST_URGENT] == [0, 1, 2, 3, 4, 5]


def test_level_is_not_a_string() -> None:
    assert not isinstance(Level.EMERGENCY, str)
    assert Level.EMERGENCY != "emergency"  # type: ignore[comparison-overlap]
    with pytest.raises(TypeError):
        _ = Level.EMERGENCY < "general_advice"


def test_level_ids_are_the_values_most_urgent_first() -> None:
    assert tuple(level.value for level in reversed(LEAST_TO_MOST_URGENT)) == LEVEL_IDS
    assert all(Level(value).value == value for value in LEVEL_IDS)


def test_evaluation_takes_the_most_urgent_fired_level(minimal: RuleSet) -> None:
    ruleset = minimal
    # E01 (emergency), P01 (recommend physio) and the catch-all G01 all fire.
    answers: Answers = {"pain_present": True, "symptom_list": frozenset({"numbness"}), "leak_frequency": "daily"}
    evaluation = evaluate(ruleset, answers)
    assert evaluation.level is Level.EMERGENCY
    assert [rule.id for rule in evaluation.fired] == ["E01", "P01"]
    only_physio = evaluate(ruleset, {"leak_frequency": "weekly"})
    assert only_physio.level is Level.RECOMMEND_PELVIC_FLOOR_PHYSIO
    assert [rule.id for rule in only_physio.fired] == ["P01"]
    nothing = evaluate(ruleset, {})
    assert nothing.level is Level.GENERAL_ADVICE
    assert [rule.id for rule in nothing.fired] == ["G01"]
