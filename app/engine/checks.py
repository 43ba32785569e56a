"""Check phase of the load: every reference, type, cycle and text of the files read, all
problems collected at once; what passes is the checked data the RuleSet is built from."""

import re
from dataclasses import dataclass

from app.engine import conditions as cond
from app.engine.checklists import apply_checklists
from app.engine.codegen import outcome_questions
from app.engine.condition_checks import check_predicates
from app.engine.errors import RuleSetError
from app.engine.load_issues import IssueLog
from app.engine.locale_checks import check_countries, check_locales
from app.engine.model import RuleSetFile
from app.engine.question_checks import attach_enable_when, check_questions
from app.engine.questionnaire import Question, Section
from app.engine.rule_checks import check_advice, check_findings, check_rules
from app.engine.rule_files import RuleSetFiles, locale_file
from app.engine.ruleset import DOMAINS, Reference, Rule
from app.engine.screen_text_check import screen_text_problems

SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


@dataclass(frozen=True)
class CheckedRuleSet:
    """A rule set's content with nothing left to check, in the engine's own types."""

    meta: RuleSetFile
    sections: tuple[Section, ...]
    questions: dict[str, Question]
    predicates: dict[str, cond.Condition]
    rules: list[Rule]
    findings: dict[str, tuple[cond.Condition, cond.Condition]]  # (some, marked) by domain, in DOMAINS order
    advice: dict[str, cond.Condition]
    locales: dict[str, dict[str, str | list[str]]]
    countries: dict[str, dict[str, dict[str, str]]]
    default_country: str


def check_rule_files(files: RuleSetFiles) -> CheckedRuleSet:
    """Check everything; raise RuleSetError listing every problem, in the order found."""
    log = IssueLog(files.directory, files.documents)
    meta = files.meta
    _check_meta(log, files)
    references = {key: Reference(key, value.title, value.url) for key, value in meta.references.items()}
    sections, questions, raw_enable_when = check_questions(log, files.questions)
    predicates = check_predicates(log, files.rules, questions)
    # enable_when may name predicates, so it is attached once they are checked.
    attach_enable_when(log, questions, raw_enable_when, predicates)
    for checklist in apply_checklists(files.questions, questions):
        log.report("invalid_checklist", "questions.yaml", checklist.message, checklist.subject, checklist.location)
    rules = check_rules(log, files.rules, questions, predicates, references)
    findings = check_findings(log, files.rules, questions, predicates)
    outcome = {**questions, **outcome_questions([rule.id for rule in rules], DOMAINS)}
    advice = check_advice(log, files.rules, outcome)
    locales = check_locales(log, files, sections, questions)
    countries, default_country = check_countries(log, files, locales)
    for problem in screen_text_problems(locales, questions, rules, predicates):
        key = problem.key
        log.report(problem.code, locale_file(problem.language), problem.message, key, tuple(key.split(".")))
    if log.issues:
        raise RuleSetError(log.issues)
    return CheckedRuleSet(
        meta, sections, questions, predicates, rules, findings, advice, locales, countries, default_country
    )


def _check_meta(log: IssueLog, files: RuleSetFiles) -> None:
    meta = files.meta
    if files.directory.name != meta.id:
        log.report("invalid_id", "ruleset.yaml", f"id '{meta.id}' differs from its folder name", meta.id, ("id",))
    if not SEMVER.match(meta.version):
        log.report(
            "invalid_version",
            "ruleset.yaml",
            f"version '{meta.version}' is not Semantic Versioning (MAJOR.MINOR.PATCH)",
            meta.id,
            ("version",),
        )
    if len(set(meta.languages)) != len(meta.languages):
        log.report("duplicate_id", "ruleset.yaml", "a language is listed twice", meta.id, ("languages",))
    if meta.default_language not in meta.languages:
        log.report(
            "unknown_language",
            "ruleset.yaml",
            f"default_language '{meta.default_language}' is not in languages",
            meta.id,
            ("default_language",),
        )
