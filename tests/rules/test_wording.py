"""Wording lint over every text of every rule set, in every language and country."""

import pytest

from app.engine.wording import banned_phrases, wording_problems
from tests.rules.test_golden_cases import RULESETS


@pytest.mark.parametrize("ruleset", list(RULESETS.values()), ids=list(RULESETS))
def test_no_banned_phrase_in_any_text(ruleset) -> None:
    problems = [f"{lang}/{country} {key}: {found}" for lang, country, key, found in wording_problems(ruleset)]
    assert problems == []


@pytest.mark.parametrize("ruleset", list(RULESETS.values()), ids=list(RULESETS))
def test_disclaimer_says_it_is_not_a_diagnosis(ruleset) -> None:
    assert "This is not a diagnosis." in ruleset.locales["en"]["disclaimer"]
    assert "Ceci n'est pas un diagnostic." in str(ruleset.locales["fr"]["disclaimer"]).replace("\u2019", "'")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "You have a prolapse."),
        ("en", "This rules out a fracture."),
        ("en", "Physiotherapy can cure this."),
        ("en", "We can treat your pain."),
        ("en", "The diagnosis is clear."),
        ("en", "There is a 30% chance."),
        ("en", "You don't need to see a doctor."),
        ("fr", "Le diagnostic est clair."),
        ("fr", "La kinésithérapie peut vous guérir."),
        ("fr", "Cela exclut une fracture."),
        ("fr", "Un traitement est nécessaire."),
    ],
)
def test_the_lint_catches_banned_phrases(language: str, text: str) -> None:
    assert banned_phrases(text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "This is not a diagnosis. A physiotherapist can assess this."),
        ("en", "Your answers include pain that can be linked with the pelvic floor."),
        ("fr", "Ceci n'est pas un diagnostic. Vos réponses mentionnent une douleur."),
    ],
)
def test_the_lint_allows_the_sanctioned_wording(language: str, text: str) -> None:
    assert banned_phrases(text, language) == []
