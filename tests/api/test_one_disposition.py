"""One disposition per result (service issue #12, point 7): a result gives the actions of its
own level only. Reasons at the result's level keep their full text (the action, then why);
reasons below it carry their ``told.<rule>`` text: what the person told us and why it matters,
with no action line, so an emergency result never also says "contact urgent care today".
"""

import re
from collections.abc import Iterator

import pytest

from app.engine.errors import AnswersError
from app.engine.evaluator import Evaluation, screen
from app.engine.golden import load_cases
from app.engine.levels import Level
from app.engine.localisation import Texts, placeholders_in
from app.engine.ruleset import RuleSet
from app.schemas.screening import ResultParts, ScreeningResult
from tests.rules.test_golden_cases import RULESETS
from tests.support.screen_text_match import as_template, rendered_from

# Imperatives that send the person somewhere or tell them to do something.
IMPERATIVE = {
    "en": re.compile(
        r"\b(?:call|contact|book|phone|ring|go to|see (?:a|your) (?:doctor|gp)|get (?:medical|help|your|the child)"
        r"|stop|mention|tell (?:the|your|someone)|ask|let your|please)\b",
        re.IGNORECASE,
    ),
    "fr": re.compile(
        r"\b(?:appelez|contactez|prenez|allez (?:aux|à l'urgence|voir|sur)|consultez|demandez|faites|arrêtez"
        r"|parlez|dites|prévenez|téléphonez|emportez)\b",
        re.IGNORECASE,
    ),
}
# When to act: a told text gives no timing at all ...
ANY_TIMING = {
    "en": re.compile(
        r"\b(?:today|now|straight away|right away|same day|soon|within|24 hours|tonight|immediately)\b", re.IGNORECASE
    ),
    "fr": re.compile(
        r"\b(?:aujourd'hui|maintenant|tout de suite|le jour même|bientôt|dans les 24 heures"
        r"|sans (?:trop )?attendre|immédiatement)\b",
        re.IGNORECASE,
    ),
}
# ... and nothing shown below an emergency gives the timing of a lower level.
LOWER_TIMING = {
    "en": re.compile(r"\b(?:today|same day|within (?:24 hours|a day|1 to 2 weeks)|see a doctor soon)\b", re.IGNORECASE),
    "fr": re.compile(
        r"\b(?:aujourd'hui|le jour même|dans les 24 heures|dans les 1 à 2 semaines|bientôt)\b", re.IGNORECASE
    ),
}
SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


def _sentences(text: str) -> set[str]:
    return {part.strip() for part in SENTENCE_END.split(text) if len(part.strip()) > 12}


def _golden_evaluations(ruleset: RuleSet) -> list[tuple[str, Evaluation, dict[str, object]]]:
    found = []
    for file, case, answers in load_cases(ruleset):
        try:
            found.append((f"{file}::{case.name}", screen(ruleset, answers), answers))
        except AnswersError:
            continue
    return found


EVALUATIONS = {ruleset_id: _golden_evaluations(ruleset) for ruleset_id, ruleset in RULESETS.items()}
TEXT_SETS = [
    pytest.param(ruleset, language, country, id=f"{ruleset.id}-{language}-{country}")
    for ruleset in RULESETS.values()
    for language, country in sorted(ruleset.texts)
]


def _result_texts(result: ScreeningResult, texts: Texts) -> Iterator[str]:
    """Every text a person can read in a result, with its terms as markers (as in the locale)."""
    yield from (as_template(text, texts.values) for text in _read(result))


def _read(result: ScreeningResult) -> Iterator[str]:
    yield result.headline
    for reason in result.reasons:
        yield reason.text
        if reason.why:
            yield reason.why
    for finding in result.findings.model_dump().values():
        yield finding["text"]
    for advice in result.advice:
        yield advice.text
    yield from result.next_steps
    yield result.disclaimer


def _emergency_wording(ruleset: RuleSet, texts: Texts) -> set[str]:
    """Sentences the emergency level itself says (its next steps, its rules' full texts)."""
    said = {s for line in texts.text_list("level.emergency.next_steps") for s in _sentences(line)}
    for rule in ruleset.rules:
        if rule.level is Level.EMERGENCY:
            said |= _sentences(texts.text(f"rule.{rule.id}"))
    return said | _sentences(texts.text("safety_net")) | _sentences(texts.text("disclaimer"))


def _lower_level_steps(texts: Texts, shared: set[str]) -> set[str]:
    """The sentences of every lower level's next steps, except wording the emergency level shares
    (such as "Take this summary with you.")."""
    lower = [level for level in Level if level is not Level.EMERGENCY]
    lines = [line for level in lower for line in texts.text_list(f"level.{level.value}.next_steps")]
    return {sentence for line in lines for sentence in _sentences(line)} - shared


def _lower_rule_actions(ruleset: RuleSet, texts: Texts, shared: set[str]) -> dict[str, set[str]]:
    """For each rule below emergency, the action lines of its full text: the sentences that its
    told text does not say and that send the person somewhere, say when, or name a service."""
    services = list(texts.services.values())

    def is_action(sentence: str) -> bool:
        return bool(
            IMPERATIVE[texts.language].search(sentence)
            or ANY_TIMING[texts.language].search(sentence)
            or any(value in sentence for value in services)
        )

    return {
        rule.id: {
            sentence
            for sentence in _sentences(texts.text(f"rule.{rule.id}")) - _sentences(texts.text(f"told.{rule.id}"))
            if is_action(sentence) and sentence not in shared
        }
        for rule in ruleset.rules
        if rule.level is not Level.EMERGENCY
    }


def _action_problems(text: str, language: str, services: dict[str, str]) -> list[str]:
    problems = [f"imperative {m.group(0)!r}" for m in IMPERATIVE[language].finditer(text)]
    problems += [f"lower-level timing {m.group(0)!r}" for m in LOWER_TIMING[language].finditer(text)]
    problems += [f"names {name}" for name, value in services.items() if name != "emergency_number" and value in text]
    return problems


@pytest.mark.slow  # every emergency case rendered for each language and country
@pytest.mark.parametrize(("ruleset", "language", "country"), TEXT_SETS)
def test_an_emergency_result_gives_no_step_of_a_lower_level(ruleset: RuleSet, language: str, country: str) -> None:
    texts = ruleset.texts_for(language, country)
    shared = _emergency_wording(ruleset, texts)
    lower_steps = _lower_level_steps(texts, shared)
    lower_actions = _lower_rule_actions(ruleset, texts, shared)
    assert lower_steps and all(lower_actions[rule_id] for rule_id in lower_actions if rule_id.startswith(("U", "P")))
    checked, with_lower_reasons, problems = 0, 0, []
    for label, evaluation, answers in EVALUATIONS[ruleset.id]:
        if evaluation.level is not Level.EMERGENCY:
            continue
        checked += 1
        result = ScreeningResult.build(ruleset, evaluation, answers, language, country)
        everything = list(_result_texts(result, texts))
        for step in lower_steps:
            problems += [f"{label}: lower next step {step!r} in {text!r}" for text in everything if step in text]
        for rule_id, actions in lower_actions.items():
            problems += [
                f"{label}: {rule_id}'s action {action!r} in {text!r}"
                for action in actions
                for text in everything
                if action in text
            ]
        urgent_care = texts.services.get("urgent_care")
        if urgent_care:
            problems += [f"{label}: names urgent care in {text!r}" for text in everything if urgent_care in text]
        lower = [reason for reason in result.reasons if reason.level != "emergency"]
        with_lower_reasons += bool(lower)
        for reason in lower:
            assert rendered_from(texts.text(f"told.{reason.rule_id}"), reason.text, texts.values), (
                f"{label}: {reason.rule_id}"
            )
            for text in (reason.text, reason.why or ""):
                problems += [
                    f"{label}: {reason.rule_id}: {problem} in {text!r}"
                    for problem in _action_problems(text, language, dict(texts.services))
                ]
    assert checked and with_lower_reasons, "the golden cases hold emergencies with reasons below emergency"
    assert problems == []


@pytest.mark.parametrize(("ruleset", "language", "country"), TEXT_SETS)
def test_reasons_at_the_result_level_give_the_action_and_lower_ones_only_what_was_told(
    ruleset: RuleSet, language: str, country: str
) -> None:
    texts = ruleset.texts_for(language, country)
    parts = ResultParts.render(ruleset, language, country)
    mixed = 0
    for label, evaluation, answers in EVALUATIONS[ruleset.id]:
        result = parts.assemble(evaluation, answers)
        assert [reason.rule_id for reason in result.reasons] == [rule.id for rule in evaluation.fired], label
        assert result.reasons[0].level == result.level, label
        assert result.also_worth_mentioning_heading == texts.text("also_worth_mentioning")
        for reason in result.reasons:
            key = "rule" if reason.level == result.level else "told"
            template = texts.text(f"{key}.{reason.rule_id}")
            assert rendered_from(template, reason.text, texts.values), f"{label}: {reason.rule_id}"
            assert reason.why == texts.optional(f"why.{reason.rule_id}")
        mixed += any(reason.level != result.level for reason in result.reasons)
    assert mixed, "some golden case reports reasons below its level"


@pytest.mark.parametrize(("ruleset", "language", "country"), TEXT_SETS)
def test_no_told_text_gives_an_action(ruleset: RuleSet, language: str, country: str) -> None:
    """Any rule may sit below the level of some result, so every told text is checked."""
    texts = ruleset.texts_for(language, country)
    raw = ruleset.locales[language]
    problems = []
    for rule in ruleset.rules:
        key = f"told.{rule.id}"
        told = texts.text(key)
        if placeholders_in(raw[key]):
            problems.append(f"{key}: names a number or service {sorted(placeholders_in(raw[key]))}")
        problems += [f"{key}: {problem}" for problem in _action_problems(told, language, dict(texts.services))]
        problems += [f"{key}: timing {m.group(0)!r}" for m in ANY_TIMING[language].finditer(told)]
        if texts.emergency_number in told:
            problems.append(f"{key}: names the emergency number")
        if rule.level >= Level.PROMPT_MEDICAL_REVIEW:
            assert told != texts.text(f"rule.{rule.id}"), f"{key} is the full text, action included"
    assert problems == []


def _without_markers(value: object) -> str:
    """A locale text without its {term:...} and {answer:...} markers (their colon is no punctuation)."""
    return re.sub(r"\{(?:term|answer):[a-z0-9_]+\}", "", str(value))


@pytest.mark.parametrize("ruleset", list(RULESETS.values()), ids=list(RULESETS))
def test_french_told_texts_keep_the_non_breaking_spaces(ruleset: RuleSet) -> None:
    if "fr" not in ruleset.languages:
        pytest.skip("no French texts")
    problems = [
        f"told.{rule.id}: {m.group(0)!r}"
        for rule in ruleset.rules
        for m in re.finditer(
            r"(?:\S[;:?!»]|[ \t][;:?!»]|«[ \t\S])", _without_markers(ruleset.locales["fr"][f"told.{rule.id}"])
        )
    ]
    assert problems == []


@pytest.mark.parametrize("ruleset", list(RULESETS.values()), ids=list(RULESETS))
def test_the_lint_catches_an_action_in_a_told_text(ruleset: RuleSet) -> None:
    services = dict(ruleset.texts_for("en", "gb").services)
    told = "You told us about a fall. Contact NHS 111 (call 111 or go to 111.nhs.uk) today."
    assert _action_problems(told, "en", services)
    assert _action_problems("Book to see a doctor soon.", "en", services)
    assert _action_problems("Vous nous avez parlé d'une chute. Prenez bientôt rendez-vous avec un médecin.", "fr", {})
    assert _action_problems("Contactez aujourd'hui votre sage-femme.", "fr", {})
    assert not _action_problems("You told us about a fall. A broken bone can still let you walk.", "en", services)
    assert not _action_problems("Vous nous avez dit que vous avez mal quand vous allez à la selle.", "fr", {})
