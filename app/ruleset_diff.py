"""Compare two versions of a rule set by the outcomes of their golden cases."""

from dataclasses import dataclass

from app.engine.errors import AnswersError
from app.engine.evaluator import screen
from app.engine.golden import load_cases
from app.engine.levels import LEVEL_IDS
from app.engine.ruleset import RuleSet


@dataclass(frozen=True)
class Outcome:
    level: str
    fired: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.level} [{', '.join(self.fired)}]" if self.fired else self.level

    @property
    def rank(self) -> int | None:
        """Position among the levels, most urgent first; None when the answers were refused."""
        return LEVEL_IDS.index(self.level) if self.level in LEVEL_IDS else None


@dataclass(frozen=True)
class CaseChange:
    case: str
    old: Outcome
    new: Outcome

    @property
    def kind(self) -> str:
        """'raised' or 'lowered' (the level), 'rules' (same level, other reasons), or 'not comparable'
        (one version refuses the answers: a case only the other version has, in its question ids)."""
        old, new = self.old.rank, self.new.rank
        if old is None or new is None:
            return "not comparable"
        if new == old:
            return "rules"
        return "raised" if new < old else "lowered"


def _outcome(ruleset: RuleSet, answers: dict[str, object]) -> Outcome:
    try:
        evaluation = screen(ruleset, answers)
    except AnswersError as exc:
        return Outcome("rejected", tuple(sorted({issue.code for issue in exc.issues})))
    return Outcome(evaluation.level.value, tuple(sorted(rule.id for rule in evaluation.fired)))


def diff_outcomes(old: RuleSet, new: RuleSet) -> tuple[list[CaseChange], int]:
    """Every golden case of either version, screened by both; returns the changes and the total.

    A case both versions have is screened with each version's own answers, so a question that
    changed its id between them (a new version may move answers to a new id) still compares
    the same situation; a case only one version has is screened by both with its answers."""
    before: dict[str, dict[str, object]] = {f"{file}::{case.name}": answers for file, case, answers in load_cases(old)}
    after: dict[str, dict[str, object]] = {f"{file}::{case.name}": answers for file, case, answers in load_cases(new)}
    changes = []
    for name in {**before, **after}:
        was = _outcome(old, before.get(name, after.get(name, {})))
        now = _outcome(new, after.get(name, before.get(name, {})))
        if was != now:
            changes.append(CaseChange(name, was, now))
    return changes, len({**before, **after})
