"""Compare two versions of a rule set by the outcomes of their golden cases."""

from dataclasses import dataclass

from app.engine.errors import AnswersError
from app.engine.evaluator import screen
from app.engine.golden import load_cases
from app.engine.ruleset import RuleSet


@dataclass(frozen=True)
class Outcome:
    level: str
    fired: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.level} [{', '.join(self.fired)}]" if self.fired else self.level


@dataclass(frozen=True)
class CaseChange:
    case: str
    old: Outcome
    new: Outcome


def _outcome(ruleset: RuleSet, answers: dict[str, object]) -> Outcome:
    try:
        evaluation = screen(ruleset, answers)
    except AnswersError as exc:
        return Outcome("rejected", tuple(sorted({issue.code for issue in exc.issues})))
    return Outcome(evaluation.level.value, tuple(sorted(rule.id for rule in evaluation.fired)))


def diff_outcomes(old: RuleSet, new: RuleSet) -> tuple[list[CaseChange], int]:
    """Every golden case of either version, screened by both; returns the changes and the total."""
    cases: dict[str, dict[str, object]] = {}
    for ruleset in (old, new):
        for file, case, answers in load_cases(ruleset):
            cases.setdefault(f"{file}::{case.name}", answers)
    changes = []
    for name, answers in cases.items():
        before, after = _outcome(old, answers), _outcome(new, answers)
        if before != after:
            changes.append(CaseChange(name, before, after))
    return changes, len(cases)
