"""rules.yaml checked: its rules (levels, sources, a catch-all), the findings of every domain,
and the advice flags, each condition reading only what exists."""

from collections.abc import Mapping

from app.engine import conditions as cond
from app.engine.condition_checks import check_leaves, parse_condition
from app.engine.levels import LEVEL_IDS, Level
from app.engine.load_issues import IssueLog
from app.engine.model import RulesFile
from app.engine.questionnaire import Question
from app.engine.ruleset import DOMAINS, Reference, Rule
from app.engine.suggestions import suggest
from app.engine.yaml_files import Location


def check_rules(
    log: IssueLog,
    data: RulesFile,
    questions: Mapping[str, Question],
    predicates: Mapping[str, cond.Condition],
    references: Mapping[str, Reference],
) -> list[Rule]:
    """The rules that check, in file order; a rule set without a catch-all is reported."""
    file = "rules.yaml"
    rules: list[Rule] = []
    seen: set[str] = set()
    order = list(questions)
    for index, entry in enumerate(data.rules):
        location: Location = ("rules", index)
        if entry.id in seen:
            log.report("duplicate_id", file, "rule id used twice", entry.id, (*location, "id"))
        seen.add(entry.id)
        if entry.level not in LEVEL_IDS:
            log.report(
                "unknown_level",
                file,
                f"level '{entry.level}' is not one of {list(LEVEL_IDS)}",
                entry.id,
                (*location, "level"),
                suggest(entry.level, LEVEL_IDS),
            )
        for source in entry.sources:
            if source not in references:
                log.report(
                    "unknown_source",
                    file,
                    f"source '{source}' is not in ruleset.yaml references",
                    entry.id,
                    (*location, "sources"),
                    suggest(source, references),
                )
        condition = parse_condition(log, entry.when, file, entry.id, (*location, "when"))
        if condition is None:
            continue
        if not check_leaves(log, condition, questions, file, entry.id, (*location, "when"), data.predicates):
            continue
        if entry.level not in LEVEL_IDS:
            continue
        read = _questions_read(condition, predicates)
        rules.append(
            Rule(
                id=entry.id,
                level=Level(entry.level),
                condition=condition,
                questions=tuple(sorted(read, key=order.index)),
                sources=tuple(references[s] for s in entry.sources if s in references),
                order=index,
            )
        )
    if not any(isinstance(rule.condition, cond.Always) and rule.level is Level.GENERAL_ADVICE for rule in rules):
        log.report(
            "missing_catch_all",
            file,
            "no catch-all rule: add one with level general_advice and 'when: {always: true}'",
            None,
            ("rules",),
        )
    return rules


def check_findings(
    log: IssueLog, data: RulesFile, questions: Mapping[str, Question], predicates: Mapping[str, cond.Condition]
) -> dict[str, tuple[cond.Condition, cond.Condition]]:
    """Each domain's (some, marked) conditions, in DOMAINS order; a domain left out is reported."""
    file = "rules.yaml"
    findings: dict[str, tuple[cond.Condition, cond.Condition]] = {}
    for domain, entry in data.findings.items():
        if domain not in DOMAINS:
            log.report(
                "unknown_domain",
                file,
                f"'{domain}' is not a findings domain {list(DOMAINS)}",
                domain,
                ("findings", domain),
                suggest(domain, DOMAINS),
            )
            continue
        pair = []
        for status in ("some", "marked"):
            location: Location = ("findings", domain, status)
            raw = entry.some if status == "some" else entry.marked
            condition = parse_condition(log, raw, file, f"{domain}.{status}", location)
            if condition is not None and check_leaves(
                log, condition, questions, file, f"{domain}.{status}", location, data.predicates
            ):
                pair.append(condition)
        if len(pair) == 2:
            findings[domain] = (pair[0], pair[1])
    for domain in DOMAINS:
        if domain not in data.findings:
            log.report("missing_domain", file, f"findings has no entry for domain '{domain}'", domain, ("findings",))
    return {domain: findings[domain] for domain in DOMAINS if domain in findings}


def check_advice(
    log: IssueLog, data: RulesFile, outcome_questions: Mapping[str, Question]
) -> dict[str, cond.Condition]:
    """The advice conditions by id; they read the questions and what the result decided."""
    file = "rules.yaml"
    advice: dict[str, cond.Condition] = {}
    for index, entry in enumerate(data.advice):
        location: Location = ("advice", index)
        if entry.id in advice:
            log.report("duplicate_id", file, "advice id used twice", entry.id, (*location, "id"))
            continue
        condition = parse_condition(log, entry.when, file, entry.id, (*location, "when"))
        if condition is not None and check_leaves(
            log, condition, outcome_questions, file, entry.id, (*location, "when"), data.predicates
        ):
            advice[entry.id] = condition
    return advice


def _questions_read(
    condition: cond.Condition, predicates: Mapping[str, cond.Condition], seen: frozenset[str] = frozenset()
) -> set[str]:
    """Question ids a condition reads, through predicates (a cycle is reported elsewhere)."""
    read = {leaf.question for leaf in cond.leaves(condition)}
    for name in cond.predicate_refs(condition):
        if name in predicates and name not in seen:
            read |= _questions_read(predicates[name], predicates, seen | {name})
    return read
