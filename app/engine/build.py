"""Build phase of the load: the checked data into the immutable RuleSet, with its generated
function, its texts for every language and country, and the hash of the files it came from."""

import hashlib
from collections.abc import Mapping
from pathlib import Path

from app.engine import conditions as cond
from app.engine.answers import build_accepts
from app.engine.checks import CheckedRuleSet
from app.engine.localisation import Texts, render
from app.engine.questionnaire import gate_sources
from app.engine.rule_files import CONTENT_FILES, COUNTRIES_FILE, locale_file
from app.engine.ruleset import Advice, Finding, RuleSet, compile_rules, rank
from app.engine.screen_texts import fill_screens


def build_ruleset(directory: Path, checked: CheckedRuleSet) -> RuleSet:
    """The RuleSet of ``checked``, the data read from ``directory``."""
    meta, questions, predicates = checked.meta, checked.questions, checked.predicates
    accepts = build_accepts(questions)
    order = tuple(_predicate_order(predicates))
    rules = tuple(checked.rules)
    ranked = rank(rules)
    # Terms are named per screen before the country's values fill the texts.
    section_questions = [(section.id, section.question_ids) for section in checked.sections]
    screened = {language: fill_screens(checked.locales[language], section_questions) for language in meta.languages}
    advice = tuple(Advice(entry_id, condition) for entry_id, condition in checked.advice.items())
    findings = tuple(Finding(domain, some, marked) for domain, (some, marked) in checked.findings.items())
    fast_screen = compile_rules(questions, accepts, predicates, order, ranked, findings, advice, meta.id)
    return RuleSet(
        id=meta.id,
        version=meta.version,
        sha256=content_hash(directory, meta.languages),
        directory=directory,
        languages=tuple(meta.languages),
        default_language=meta.default_language,
        sections=checked.sections,
        questions=questions,
        accepts=accepts,
        predicates=predicates,
        predicate_order=order,
        rules=rules,
        findings=findings,
        ranked=ranked,
        fast_screen=fast_screen,
        gate_sources=gate_sources(questions),
        advice=advice,
        locales=checked.locales,
        countries=tuple(checked.countries),
        default_country=checked.default_country,
        texts={
            (language, country): Texts(
                language, country, render(screened[language], values[language]), values[language]
            )
            for country, values in checked.countries.items()
            for language in meta.languages
        },
    )


def content_hash(directory: Path, languages: list[str]) -> str:
    """The SHA-256 of every file the rule set is read from, each named, in a fixed order."""
    digest = hashlib.sha256()
    names = [*CONTENT_FILES, *(locale_file(language) for language in sorted(languages))]
    if (directory / COUNTRIES_FILE).is_file():
        names.append(COUNTRIES_FILE)
    for name in names:
        digest.update(name.encode() + b"\0" + (directory / name).read_bytes() + b"\0")
    return digest.hexdigest()


def _predicate_order(predicates: Mapping[str, cond.Condition]) -> list[str]:
    """Dependencies first, so each predicate compiles after the ones it uses."""
    ordered: list[str] = []

    def visit(name: str) -> None:
        if name in ordered:
            return
        for dep in cond.predicate_refs(predicates[name]):
            visit(dep)
        ordered.append(name)

    for name in predicates:
        visit(name)
    return ordered
