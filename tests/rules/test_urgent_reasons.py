"""Urgent reasons lead with the action and give one "because" sentence (content spec 9.3 and 7.3).

Every ``rule.<id>`` text of an emergency or urgent_same_day rule, in every language, is built as:
the action (its first sentence, and a second one where the action needs it), then exactly one
sentence that is not an instruction (what the person told us and why it matters), then only
safety-net instructions. An instruction is recognised by its leading words, listed here per
language. The test prints a table of counts (``pytest -s``)."""

import re

import pytest

from app.engine.levels import Level
from tests.support.rulesets import shipped_ruleset

RULESET = shipped_ruleset()
URGENT = (Level.EMERGENCY, Level.URGENT_SAME_DAY)
URGENT_RULES = [rule.id for rule in RULESET.rules if rule.level in URGENT]

# The leading words of an instruction, "|" between them: imperatives, then the conditions a
# safety-net instruction starts with ("If ..., call ...", "When you can, let ... know."). Kept short
# and explicit; a lead ending in an apostrophe is an elided word ("N'attendez pas", "S'il ...").
INSTRUCTION_LEADS = {
    "en": (
        "Ask|Avoid|Book|Bring|Call|Contact|Do|Do not|Don't|Get|Go|Keep|Let|Lie|Please|Rest|Show|Stay|Stop"
        "|Take|Talk|Tell|Try"
        "|If|When|While|Until"
    ),
    "fr": (
        "Allez|Allongez|Appelez|Arrêtez|Consultez|Contactez|Demandez|Dites|Emportez|Essayez|Faites|Gardez"
        "|Montrez|N'|Ne|Parlez|Prenez|Prévenez|Rendez-vous|Restez"
        "|Si|S'|Quand|Lorsque|Dès que|En attendant"
    ),
}
INSTRUCTION = {
    language: re.compile(rf"(?:{leads})(?:(?<=')|(?![\w']))") for language, leads in INSTRUCTION_LEADS.items()
}
# Rules whose one non-instruction sentence may be a supportive one rather than a "because".
SUPPORTIVE = {"E21_SELF_HARM"}
# Sentences end at . ! or ? followed by a space; a colon or semicolon does not end one.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    return [part.strip() for part in SENTENCE_END.split(" ".join(text.split())) if part.strip()]


def is_instruction(sentence: str, language: str) -> bool:
    return bool(INSTRUCTION[language].match(sentence.replace("\u2019", "'").lstrip("«\u00a0 ")))


def structure_problems(text: str, language: str, supportive: bool = False) -> list[str]:
    """What breaks "action, one because sentence, then safety net" in one text."""
    parts = sentences(text)
    because = [index for index, sentence in enumerate(parts) if not is_instruction(sentence, language)]
    problems = []
    if not parts or not is_instruction(parts[0], language):
        problems.append(f"does not start with an instruction: {parts[0]!r}" if parts else "empty")
    if len(because) != 1:
        problems.append(f"{len(because)} sentences are not instructions: {[parts[i] for i in because]}")
    elif because[0] not in (1, 2):
        problems.append(f"the because sentence is sentence {because[0] + 1}, not the 2nd or 3rd")
    elif ";" in parts[because[0]] and not supportive:
        problems.append(f"the because sentence joins two with a semicolon: {parts[because[0]]!r}")
    return problems


def _counts(language: str) -> str:
    """One row of the table: texts, sentences, instructions, other sentences, texts as built."""
    texts = {rule_id: str(RULESET.locales[language][f"rule.{rule_id}"]) for rule_id in URGENT_RULES}
    parts = [sentences(text) for text in texts.values()]
    total = sum(len(p) for p in parts)
    instructions = sum(is_instruction(s, language) for p in parts for s in p)
    built = sum(not structure_problems(text, language, rule_id in SUPPORTIVE) for rule_id, text in texts.items())
    return f"{language:<8}  {len(texts):>5}  {total:>9}  {instructions:>12}  {total - instructions:>5}  {built:>8}"


def test_the_urgent_rules_are_the_emergency_and_same_day_ones() -> None:
    assert URGENT_RULES and all(rule_id[0] in "EU" for rule_id in URGENT_RULES)
    assert {rule.id for rule in RULESET.rules if rule.id[0] in "EU"} == set(URGENT_RULES)


@pytest.mark.parametrize("language", RULESET.languages)
def test_urgent_reasons_lead_with_the_action_and_give_one_because_sentence(language: str) -> None:
    print("\nlanguage  texts  sentences  instructions  other  as built\n" + _counts(language))
    problems = [
        f"rule.{rule_id}: {problem}"
        for rule_id in URGENT_RULES
        for problem in structure_problems(
            str(RULESET.locales[language][f"rule.{rule_id}"]), language, rule_id in SUPPORTIVE
        )
    ]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("language", "text", "holds"),
    [
        ("en", "Call 999 now. You told us about X, and this needs checking. Do not drive yourself.", True),
        ("en", "Call 999 now. Do not wait. You told us about X, and this matters. If Y, call 999.", True),
        ("en", "Call 999 now. You told us about X. You also told us about Y. Do not drive yourself.", False),
        ("en", "You told us about X. Call 999 now.", False),
        ("en", "Call 999 now. Do not wait. Do not drive. You told us about X, and this matters.", False),
        ("en", "Call 999 now. You told us about X; this matters. Do not drive yourself.", False),
        ("fr", "Appelez le 112 maintenant. Vous nous avez parlé de X, et cela compte. N'attendez pas.", True),
        ("fr", "Appelez le 112. Vous nous avez parlé de X, et cela compte. S'il a de la fièvre, appelez.", True),
        ("fr", "Appelez le 112. Vous nous avez parlé de X. Cela doit être vérifié. Ne conduisez pas.", False),
        ("fr", "Vous pouvez aussi appeler. Vous nous avez parlé de X.", False),
    ],
)
def test_the_structure_check_tells_built_texts_from_others(language: str, text: str, holds: bool) -> None:
    assert (structure_problems(text, language) == []) is holds
