"""Answer sets for tests, built from the questionnaire itself so they follow content changes."""

from app.engine.answers import assess
from app.engine.golden import load_cases, run_case
from app.engine.questionnaire import Question
from app.engine.ruleset import RuleSet

# Re-exported for the modules that still import them from here (tests.support.rulesets has them).
from tests.support.rulesets import ROOT as ROOT
from tests.support.rulesets import RULESET_DIR as RULESET_DIR
from tests.support.rulesets import shipped_ruleset

# The "nothing of note" answer for a choice question, first match wins.
_QUIET_OPTIONS = (
    "no",
    "none",
    "none_of_these",
    "never",
    "not_currently",
    "not_pregnant",
    "not_applicable",
    "not_at_all",
    "myself",
    "longer_and_unchanged",
    "lt_4",
)
_ANATOMY = {"vulva": ["vulva_vagina", "uterus", "ovaries"], "prostate": ["penis", "testicles", "prostate"]}


def _quiet(question: Question) -> object:
    if question.type == "boolean":
        return False
    if question.id == "ctx_age_years":
        return 40
    if question.type in ("integer", "scale"):
        return question.min if question.min is not None else 0
    for option in _QUIET_OPTIONS:
        if option in question.options:
            return [option] if question.type == "multi_choice" else option
    return [question.options[0]] if question.type == "multi_choice" else question.options[0]


def complete(answers: dict[str, object], anatomy: str = "vulva") -> dict[str, object]:
    """``answers`` plus a quiet answer to every other question that applies, in order."""
    ruleset = shipped_ruleset()
    filled = {"ctx_pelvic_anatomy": _ANATOMY[anatomy], **answers}
    while True:
        state = assess(ruleset, filled)
        pending = [qid for qid in state.applicable if qid not in filled]
        if not pending:
            return filled
        filled[pending[0]] = _quiet(ruleset.questions[pending[0]])


def symptom_free_adult(anatomy: str = "vulva") -> dict[str, object]:
    """Every question that applies answered with "no", "none" or "never"."""
    return complete({}, anatomy)


def one_case_per_level(ruleset: RuleSet) -> list[tuple[str, dict[str, object]]]:
    """The first passing golden case of each result level, as (file::case name, answers)."""
    chosen: dict[str, tuple[str, dict[str, object]]] = {}
    for file, case, answers in load_cases(ruleset):
        result = run_case(ruleset, file, case, answers)
        if result.evaluation is not None and result.passed:
            chosen.setdefault(result.evaluation.level.value, (f"{file}::{case.name}", answers))
    return list(chosen.values())
