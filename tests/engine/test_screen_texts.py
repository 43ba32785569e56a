"""Texts named per screen (content spec 9.3): in French the pelvic floor physiotherapist is
named in full once per screen and in a short form after; answers named in a text by label."""

import re
from pathlib import Path

import pytest

from app.engine import conditions as cond
from app.engine.errors import AnswersError
from app.engine.evaluator import screen
from app.engine.golden import load_cases
from app.engine.levels import ACT_FIRST
from app.engine.screen_texts import ScreenWriter, Term, requires_answer, terms_of
from app.schemas.screening import ResultParts, ScreeningResult
from tests.rules.test_golden_cases import RULESETS

RULESET = RULESETS["hip-pelvic-floor"]
WIDGET = Path(__file__).resolve().parents[2] / "app" / "web" / "screener.js"


def _read_in_screen_order(result: ScreeningResult) -> list[str]:
    """The texts of a result in the order the widget shows them (app/web/screener.js)."""
    first = result.next_steps if result.level in {level.value for level in ACT_FIRST} else []
    last = [] if result.level in {level.value for level in ACT_FIRST} else result.next_steps
    findings = [view.text for _domain, view in result.findings if view.status != "none"]
    return [
        result.headline,
        *first,
        *(reason.text for reason in result.reasons),
        *findings,
        *(advice.text for advice in result.advice),
        *last,
    ]


def _naming_problems(texts: list[str], terms: dict[str, Term]) -> list[str]:
    """A term named in full more than once, or short before its full form, on one screen.
    Forms are found longest first: one term's form can be part of another's."""
    joined = "\n".join(texts)
    forms = [(form, kind, name) for name, term in terms.items() for kind, form in (("F", term.full), ("S", term.short))]
    for form, kind, name in sorted(forms, key=lambda item: -len(item[0])):
        joined = joined.replace(form, f"\x00{kind}:{name}\x00")
    problems = []
    for name in terms:
        uses = re.findall(rf"\x00([FS]):{name}\x00", joined)
        if uses.count("F") > 1:
            problems.append(f"{name} in full {uses.count('F')} times")
        if uses and uses[0] == "S":
            problems.append(f"{name} short before its full form")
    return problems


@pytest.mark.parametrize("language", [lang for lang in RULESET.languages if terms_of(RULESET.locales[lang])])
def test_each_result_names_a_term_in_full_once_then_short(language: str) -> None:
    parts = ResultParts.render(RULESET, language)
    terms = terms_of(RULESET.texts_for(language).values)
    checked = shortened = 0
    problems = []
    for file, case, answers in load_cases(RULESET):
        try:
            evaluation = screen(RULESET, answers)
        except AnswersError:
            continue
        texts = _read_in_screen_order(parts.assemble(evaluation, answers))
        checked += 1
        shortened += any(term.short in text and term.full not in text for text in texts for term in terms.values())
        problems += [f"{file}::{case.name}: {problem}" for problem in _naming_problems(texts, terms)]
    assert checked and shortened, "some golden result uses a short form"
    assert problems == []


@pytest.mark.parametrize("language", [lang for lang in RULESET.languages if terms_of(RULESET.locales[lang])])
def test_each_questionnaire_section_names_a_term_in_full_once_then_short(language: str) -> None:
    values = RULESET.texts_for(language).values
    terms = terms_of(values)
    problems = []
    for section in RULESET.sections:
        keys = [f"section.{section.id}.title", f"section.{section.id}.intro"]
        for qid in section.question_ids:
            keys += [key for key in values if key.startswith(f"question.{qid}.")]
        texts = [str(values[key]) for key in keys if key in values]
        problems += [f"{section.id}: {problem}" for problem in _naming_problems(texts, terms)]
    assert problems == []
    assert not any("{term:" in str(value) for key, value in values.items() if key.startswith(("section.", "question.")))


def test_french_names_the_pelvic_floor_physiotherapist_in_full_then_short() -> None:
    terms = terms_of(RULESET.locales["fr"])
    assert "spécialisé(e) en rééducation du périnée" in terms["pf_physio"].full
    assert len(terms["pf_physio"].short) < len(terms["pf_physio"].full) / 2


def test_the_widget_shows_next_steps_first_for_the_same_levels() -> None:
    match = re.search(r"const URGENT = new Set\(\[([^\]]*)\]\)", WIDGET.read_text(encoding="utf-8"))
    assert match, "the widget's URGENT set"
    assert set(re.findall(r'"(\w+)"', match.group(1))) == {level.value for level in ACT_FIRST}


def test_an_answer_is_named_by_its_label_lower_case_inside_a_sentence() -> None:
    writer = ScreenWriter({}, {"hip_pain_duration": "More than 12 months"})
    assert writer("Hip pain for {answer:hip_pain_duration}.") == "Hip pain for more than 12 months."
    assert writer("{answer:hip_pain_duration}: that long.") == "More than 12 months: that long."
    assert writer("Pain. {answer:hip_pain_duration} of it.") == "Pain. More than 12 months of it."
    assert ScreenWriter({}, {"q": "NHS 111"})("Call {answer:q}.") == "Call NHS 111."


def test_the_english_reason_names_the_duration_the_person_gave() -> None:
    parts = ResultParts.render(RULESET, "en")
    case = next(
        (answers, screen(RULESET, answers))
        for _file, _case, answers in load_cases(RULESET)
        if answers.get("hip_pain_duration") == "from_3_to_12_months"
        and any(rule.id == "R02_HIP_WITH_PF" for rule in screen(RULESET, answers).fired)
    )
    answers, evaluation = case
    reason = next(r for r in parts.assemble(evaluation, answers).reasons if r.rule_id == "R02_HIP_WITH_PF")
    assert "pain for 3 to 12 months" in reason.text


def test_a_term_is_full_then_short_within_one_text() -> None:
    writer = ScreenWriter({"physio": Term("physiotherapist (physical therapist)", "physio")})
    assert writer("A {term:physio} and a {term:physio}.") == "A physiotherapist (physical therapist) and a physio."
    assert writer("Then a {term:physio}.") == "Then a physio."


def _leaf(question: str, op: str = "equals", value: object = True) -> cond.Leaf:
    return cond.Leaf(question, op, value)


@pytest.mark.parametrize(
    ("condition", "required"),
    [
        (_leaf("q"), True),
        (_leaf("q", "not_answered", None), False),
        (_leaf("other"), False),
        (cond.AllOf((_leaf("other"), _leaf("q"))), True),
        (cond.AnyOf((_leaf("other"), _leaf("q"))), False),
        (cond.AnyOf((_leaf("q", "gte", 2), _leaf("q", "lte", 1))), True),
        (cond.NotOf(_leaf("q")), False),
        (cond.NotOf(_leaf("q", "not_answered", None)), True),
        (cond.PredicateRef("q_said"), True),
        (cond.PredicateRef("unknown"), False),
        (cond.Always(), False),
    ],
)
def test_a_text_may_name_an_answer_only_when_its_rule_needs_it(condition: cond.Condition, required: bool) -> None:
    assert requires_answer(condition, "q", {"q_said": _leaf("q")}) is required
