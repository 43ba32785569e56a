"""Evaluate checked answers: every rule runs, the most urgent fired level wins (spec 8.1)."""

from collections.abc import Sequence
from dataclasses import dataclass

from app.engine.answers import check_answers_in_full
from app.engine.levels import Level
from app.engine.questionnaire import Answers
from app.engine.ruleset import DOMAINS, Rule, RuleSet

FindingStatus = str  # "none" | "some" | "marked"


@dataclass(frozen=True)
class Evaluation:
    """The outcome of one screening, before any text is attached."""

    level: Level
    fired: tuple[Rule, ...]  # most urgent first, then in rule-file order
    findings: dict[str, FindingStatus]
    advice: tuple[str, ...] = ()
    ignored_answers: tuple[str, ...] = ()


def evaluate(ruleset: RuleSet, answers: Answers) -> Evaluation:
    """Pure and deterministic: the same answers always give the same evaluation."""
    return _evaluation(ruleset, *ruleset.program(answers))


def _evaluation(
    ruleset: RuleSet, reported: list[int], statuses: tuple[str, ...], advice: list[str], ignored: Sequence[str] = ()
) -> Evaluation:
    ranked = ruleset.ranked
    # The program lists rules most urgent first, and the catch-all always fires, so the
    # first reported rule carries the result level.
    fired = tuple([ranked[index] for index in reported])
    level = fired[0].level if fired else Level.GENERAL_ADVICE
    # The loader keeps findings in DOMAINS order and refuses a rule set that lacks one.
    return Evaluation(level, fired, dict(zip(DOMAINS, statuses, strict=True)), tuple(advice), tuple(ignored))


def screen(ruleset: RuleSet, raw_answers: dict[str, object]) -> Evaluation:
    """Validate raw answers, apply skip logic, then evaluate; raises AnswersError."""
    fast = ruleset.fast_screen(raw_answers)
    if fast is not None:  # valid and complete as sent: checked and evaluated in one pass
        return _evaluation(ruleset, *fast)
    # fast_screen defers exactly when the fast check would: go straight to the full check.
    checked = check_answers_in_full(ruleset, raw_answers)
    return _evaluation(ruleset, *ruleset.program(checked.answers), checked.ignored)
