"""Evaluate checked answers: every rule runs, the most urgent fired level wins (spec 8.1)."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from app.engine.answers import assess, missing_issues
from app.engine.errors import AnswersError
from app.engine.levels import Level
from app.engine.questionnaire import Answers
from app.engine.ruleset import DOMAINS, RuleSet
from app.engine.semantics import Evaluation, Knowledge, evaluate_known, minimum

__all__ = ["Evaluation", "evaluate", "screen"]


def evaluate(ruleset: RuleSet, answers: Answers) -> Evaluation:
    """The evaluation of checked answers (typed, skip logic applied), by the interpreter that
    defines the rule semantics. Pure and deterministic."""
    return evaluate_known(ruleset, Knowledge(answers))


def _evaluation(
    ruleset: RuleSet, reported: list[int], statuses: tuple[str, ...], advice: list[str], ignored: Sequence[str] = ()
) -> Evaluation:
    ranked = ruleset.ranked
    # The fast function lists rules most urgent first, and the catch-all always fires, so the
    # first reported rule carries the result level.
    fired = tuple([ranked[index] for index in reported])
    level = fired[0].level if fired else Level.GENERAL_ADVICE
    # The loader keeps findings in DOMAINS order and refuses a rule set that lacks one.
    return Evaluation(level, fired, dict(zip(DOMAINS, statuses, strict=True)), tuple(advice), tuple(ignored))


def screen(ruleset: RuleSet, raw_answers: Mapping[str, object], skipped: Iterable[str] = ()) -> Evaluation:
    """Validate raw answers, apply skip logic, then evaluate; raises AnswersError.

    Answers with required ones missing are refused, unless they are already sure to lead to
    an emergency: that result comes at once, marked incomplete, with what is still missing.
    Unanswered questions may still be answered, except the ``skipped`` ones."""
    fast = ruleset.fast_screen(raw_answers)
    if fast is not None:  # valid and complete as sent: checked and evaluated in one pass
        return _evaluation(ruleset, *fast)
    # fast_screen defers exactly when the fast check would: check in full, then evaluate by
    # the definition itself (the interpreter), since this path is rare.
    assessment = assess(ruleset, raw_answers)
    if assessment.issues:
        raise AnswersError([*assessment.issues, *missing_issues(assessment.missing_required)])
    if not assessment.missing_required:
        return evaluate_known(ruleset, Knowledge(assessment.answers), assessment.ignored)
    least = minimum(ruleset, assessment.typed, skipped)
    if not least.should_stop:
        raise AnswersError(missing_issues(assessment.missing_required))
    return replace(least.evaluation, complete=False, unanswered_required=assessment.missing_required)
