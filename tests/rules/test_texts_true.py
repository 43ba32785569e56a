"""Texts true to the answers (content spec 9.3): for every golden case, in every language, no
result text claims a duration, a frequency, a pregnancy, a birth, an age or an operation that
the answers contradict. Each claim a text can make is a pattern here with the answers it needs."""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from app.engine.errors import AnswersError
from app.engine.evaluator import Evaluation, screen
from app.engine.golden import load_cases
from app.engine.ruleset import RuleSet
from app.schemas.screening import ResultParts
from tests.rules.test_golden_cases import RULESETS

Answers = dict[str, object]
LONGER_THAN = ("from_6_weeks_to_3_months", "from_3_to_12_months", "gt_12_months")


def _durations(answers: Answers) -> list[object]:
    return [answers.get("hip_pain_duration"), answers.get("pp_duration")]


def _hip_pain_lasted(value: str) -> Callable[[Answers], bool]:
    return lambda answers: answers.get("hip_pain_duration") == value


@dataclass(frozen=True)
class Claim:
    name: str
    patterns: dict[str, str]  # language -> regular expression
    holds: Callable[[Answers], bool]  # the answers allow the claim


CLAIMS = [
    Claim(
        "a duration of 3 months or more",
        {"en": r"3 months or more|more than 3 months", "fr": r"3 mois ou plus|plus de 3 mois"},
        lambda a: any(d in LONGER_THAN[1:] for d in _durations(a)),
    ),
    Claim(
        "a duration of 6 weeks or more",
        {"en": r"6 weeks or more", "fr": r"6 semaines ou plus"},
        lambda a: any(d in LONGER_THAN for d in _durations(a)),
    ),
    # Texts that name the hip pain's duration by its answer (R02, C02): each label only with its answer.
    *(
        Claim(
            f"hip pain for {label}",
            {"en": rf"pain for {label}", "fr": rf"durée\s:\s{label_fr}"},
            _hip_pain_lasted(value),
        )
        for value, label, label_fr in (
            ("from_6_weeks_to_3_months", "6 weeks to 3 months", "de 6 semaines à 3 mois"),
            ("from_3_to_12_months", "3 to 12 months", "de 3 à 12 mois"),
            ("gt_12_months", "more than 12 months", "plus de 12 mois"),
        )
    ),
    Claim(
        "a limp for more than a week",
        {"en": r"more than a week|more than 7 days", "fr": r"plus d'une semaine|plus de 7 jours"},
        lambda a: a.get("rf_child_limp") == "yes_gt_7_days",
    ),
    Claim(
        "being pregnant or having had a baby in the last 6 weeks",
        {"en": r"you are pregnant or had a baby", "fr": r"vous êtes enceinte ou que vous avez eu un bébé"},
        lambda a: (
            a.get("ctx_pregnancy_status") == "pregnant"
            or a.get("ctx_last_birth") in ("lt_3_days", "from_3_days_to_6_weeks")
        ),
    ),
    Claim(
        "being pregnant",
        {"en": r"(?:you are|As you are) pregnant(?! or had)", "fr": r"vous êtes enceinte(?! ou que vous avez eu)"},
        lambda a: a.get("ctx_pregnancy_status") == "pregnant",
    ),
    Claim(
        "maybe being pregnant",
        {"en": r"you might be pregnant", "fr": r"vous pourriez être enceinte"},
        lambda a: a.get("ctx_pregnancy_status") not in ("not_pregnant", "not_applicable"),
    ),
    Claim(
        "a birth",
        {
            "en": r"after (?:having a baby|giving birth)|(?<!pregnant or )had a baby",
            "fr": r"après votre accouchement|(?<!enceinte ou que )vous avez eu un bébé|vous avez accouché",
        },
        lambda a: a.get("ctx_last_birth") != "not_applicable",
    ),
    Claim(
        "an age of about 9 to 17",
        {"en": r"aged about 9 to 17", "fr": r"environ 9 à 17 ans"},
        lambda a: a.get("ctx_answering_for") == "a_child_under_16" or 9 <= int(str(a.get("ctx_age_years", 0))) <= 17,
    ),
    Claim(
        "a hip operation",
        {"en": r"since your hip operation", "fr": r"depuis votre opération de la hanche"},
        lambda a: a.get("rf_hip_surgery_recent") not in (None, "none"),
    ),
    Claim(
        "an operation (its team, its wound)",
        {
            "en": r"your operation|your surgical team|the operation",
            "fr": r"votre opération|votre équipe chirurgicale|l'opération",
        },
        lambda a: a.get("rf_hip_surgery_recent") not in (None, "none"),
    ),
    Claim(
        "keyhole hip surgery in the last 6 weeks",
        {"en": r"keyhole surgery on your hip in the last 6 weeks", "fr": r"petites incisions \(arthroscopie\)"},
        lambda a: a.get("rf_hip_surgery_recent") == "arthroscopy_lt_6_weeks",
    ),
]


def _result_texts(parts: ResultParts, evaluation: Evaluation, answers: Answers) -> list[tuple[str, str]]:
    result = parts.assemble(evaluation, answers)
    texts = [(f"reason {r.rule_id}", r.text) for r in result.reasons]
    texts += [(f"finding {domain}", view.text) for domain, view in result.findings]
    texts += [(f"advice {a.id}", a.text) for a in result.advice]
    return texts


_RENDERED: dict[str, list[tuple[str, str, Answers, str, str]]] = {}


def _golden_result_texts(ruleset: RuleSet) -> list[tuple[str, str, Answers, str, str]]:
    """(language, case, answers, where, text) for every text of every golden case's result."""
    if ruleset.id in _RENDERED:
        return _RENDERED[ruleset.id]
    found = _RENDERED.setdefault(ruleset.id, [])
    parts = [ResultParts.render(ruleset, language) for language in ruleset.languages]
    for file, case, answers in load_cases(ruleset):
        try:
            evaluation = screen(ruleset, answers)
        except AnswersError:
            continue
        for rendered in parts:
            for where, text in _result_texts(rendered, evaluation, answers):
                found.append((rendered.language, f"{file}::{case.name}", answers, where, text))
    return found


@pytest.mark.parametrize("ruleset", list(RULESETS.values()), ids=list(RULESETS))
def test_no_result_text_claims_what_the_answers_contradict(ruleset: RuleSet) -> None:
    problems = [
        f"{language} {case}: {where} claims {claim.name}: {text!r}"
        for language, case, answers, where, text in _golden_result_texts(ruleset)
        for claim in CLAIMS
        if re.search(claim.patterns[language], text) and not claim.holds(answers)
    ]
    assert not problems, f"{len(problems)} texts untrue to their answers, for example:\n" + "\n".join(problems[:15])


def test_every_claim_pattern_matches_a_shipped_text() -> None:
    """A pattern that matches no text guards nothing: each one must find the texts it is for,
    in the locale files or in a golden case's result (where answers are named)."""
    ruleset = next(iter(RULESETS.values()))
    rendered = _golden_result_texts(ruleset)
    for claim in CLAIMS:
        for language, pattern in claim.patterns.items():
            shipped = [value for value in ruleset.locales[language].values() if isinstance(value, str)]
            shipped += [text for lang, _case, _answers, _where, text in rendered if lang == language]
            assert any(re.search(pattern, text) for text in shipped), (
                f"{claim.name} ({language}): no text matches {pattern!r}"
            )
