"""Evaluate checked answers: every rule runs, the most urgent fired level wins (spec 8.1)."""

from dataclasses import dataclass

from app.engine.answers import check_answers
from app.engine.levels import Level
from app.engine.questionnaire import Answers
from app.engine.ruleset import Rule, RuleSet

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
    rule_hits, finding_hits = ruleset.program(answers)
    fired = [rule for rule, hit in zip(ruleset.rules, rule_hits, strict=True) if hit]
    # The catch-all always fires, so ``fired`` is never empty for a loaded rule set.
    level = max((rule.level for rule in fired), default=Level.GENERAL_ADVICE)
    # A catch-all says "nothing in particular": reporting it beside a real reason would
    # contradict that reason, so it is reported only when it decides the level alone.
    fired = [r for r in fired if not r.is_catch_all or level is Level.GENERAL_ADVICE]
    fired.sort(key=lambda rule: (-rule.level.urgency, rule.order))
    # finding_hits holds (some, marked) per domain, in ruleset.findings order; marked wins.
    findings = {
        finding.domain: "marked" if finding_hits[2 * i + 1] else "some" if finding_hits[2 * i] else "none"
        for i, finding in enumerate(ruleset.findings)
    }
    advice: tuple[str, ...] = ()
    if ruleset.advice:
        # Advice conditions may also read the outcome, through these virtual answers.
        outcome: Answers = {
            **answers,
            "result_level": level.value,
            "fired_rules": frozenset(rule.id for rule in fired),
            **{f"finding_{domain}": status for domain, status in findings.items()},
        }
        advice = tuple(entry.id for entry in ruleset.advice if entry.check(outcome))
    return Evaluation(level, tuple(fired), findings, advice)


def screen(ruleset: RuleSet, raw_answers: dict[str, object]) -> Evaluation:
    """Validate raw answers, apply skip logic, then evaluate; raises AnswersError."""
    checked = check_answers(ruleset, raw_answers)
    evaluation = evaluate(ruleset, checked.answers)
    return Evaluation(evaluation.level, evaluation.fired, evaluation.findings, evaluation.advice, checked.ignored)
