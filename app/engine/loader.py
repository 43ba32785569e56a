"""Load a rule-set folder: parse, validate structure, check every reference, compile.

Every problem is collected with its file, line and subject, so one run reports them all.
"""

import hashlib
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.engine import conditions as cond
from app.engine.answers import build_accepts
from app.engine.checklists import apply_checklists
from app.engine.codegen import outcome_questions
from app.engine.errors import RuleSetError, RuleSetIssue
from app.engine.levels import LEVEL_IDS, Level
from app.engine.locale_keys import expected_locale_keys, flatten_locale
from app.engine.localisation import GENERIC_COUNTRY, LocaleValue, Texts, placeholders_in, render
from app.engine.model import CountriesFile, QuestionsFile, RuleSetFile, RulesFile
from app.engine.questionnaire import Question, Section
from app.engine.ruleset import DOMAINS, Advice, Finding, Reference, Rule, RuleSet, compile_rules, rank
from app.engine.screen_text_check import is_term_key, screen_text_problems
from app.engine.screen_texts import fill_screens
from app.engine.suggestions import suggest
from app.engine.yaml_files import Location, YamlDocument, YamlReadError, read_yaml

ModelT = TypeVar("ModelT", bound=BaseModel)

SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
CONTENT_FILES = ("ruleset.yaml", "questions.yaml", "rules.yaml")


def load_ruleset(directory: Path) -> RuleSet:
    """Load and check one rule set; raise RuleSetError listing every problem found."""
    return _Loader(directory).load()


def load_rulesets(rules_dir: Path) -> dict[str, RuleSet]:
    """Load every rule set below ``rules_dir`` (one sub-folder each), keyed by id."""
    folders = sorted(p for p in rules_dir.iterdir() if (p / "ruleset.yaml").is_file()) if rules_dir.is_dir() else []
    if not folders:
        raise RuleSetError(
            [RuleSetIssue("missing_file", rules_dir, "no rule set found (a folder with a ruleset.yaml)")]
        )
    loaded: dict[str, RuleSet] = {}
    issues: list[RuleSetIssue] = []
    for folder in folders:
        try:
            ruleset = load_ruleset(folder)
        except RuleSetError as exc:
            issues.extend(exc.issues)
            continue
        if ruleset.id in loaded:
            issues.append(
                RuleSetIssue("duplicate_id", folder / "ruleset.yaml", "another folder has this rule-set id", ruleset.id)
            )
        loaded[ruleset.id] = ruleset
    if issues:
        raise RuleSetError(issues)
    return loaded


class _Loader:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.issues: list[RuleSetIssue] = []
        self.documents: dict[str, YamlDocument] = {}

    # -- reporting -----------------------------------------------------------------------
    def report(
        self,
        code: str,
        file: str,
        message: str,
        subject: str | None = None,
        location: Location = (),
        suggestion: str | None = None,
    ) -> None:
        document = self.documents.get(file)
        line = document.line_of(location) if document is not None else None
        self.issues.append(RuleSetIssue(code, self.directory / file, message, subject, line, suggestion))

    def read(self, file: str, model: type[ModelT]) -> ModelT | None:
        path = self.directory / file
        if not path.is_file():
            self.report("missing_file", file, "file not found")
            return None
        try:
            document = read_yaml(path)
        except YamlReadError as exc:
            self.issues.append(RuleSetIssue("yaml_syntax", path, str(exc), None, exc.line))
            return None
        self.documents[file] = document
        try:
            return model.model_validate(document.data)
        except ValidationError as exc:
            for error in exc.errors():
                location = tuple(error["loc"])
                self.report(
                    "schema",
                    file,
                    f"{_dotted(location) or 'file'}: {error['msg']}",
                    _subject_at(document.data, location),
                    location,
                )
            return None

    # -- the load --------------------------------------------------------------------------
    def load(self) -> RuleSet:
        meta = self.read("ruleset.yaml", RuleSetFile)
        questions_file = self.read("questions.yaml", QuestionsFile)
        rules_file = self.read("rules.yaml", RulesFile)
        if meta is None or questions_file is None or rules_file is None:
            raise RuleSetError(self.issues)
        self.check_meta(meta)
        references = {key: Reference(key, value.title, value.url) for key, value in meta.references.items()}
        sections, questions, raw_enable_when = self.build_questions(questions_file)
        predicates = self.build_predicates(rules_file, questions)
        # enable_when may name predicates, so it is attached once they are built.
        self.attach_enable_when(questions, raw_enable_when, predicates)
        for checklist in apply_checklists(questions_file, questions):
            self.report("invalid_checklist", "questions.yaml", checklist.message, checklist.subject, checklist.location)
        rules = self.build_rules(rules_file, questions, predicates, references)
        findings = self.build_findings(rules_file, questions, predicates)
        outcome = {**questions, **outcome_questions([rule.id for rule in rules], DOMAINS)}
        advice = self.build_advice(rules_file, outcome)
        locales = self.load_locales(meta, sections, questions, questions_file, rules_file)
        countries, default_country = self.load_countries(meta, locales)
        for problem in screen_text_problems(locales, questions, rules, predicates):
            key = problem.key
            self.report(problem.code, f"locales/{problem.language}.yaml", problem.message, key, tuple(key.split(".")))
        if self.issues:
            raise RuleSetError(self.issues)
        accepts = build_accepts(questions)
        order = tuple(_predicate_order(predicates))
        rules_tuple = tuple(rules)
        ranked = rank(rules_tuple)
        # Terms are named per screen before the country's values fill the texts.
        section_questions = [(section.id, section.question_ids) for section in sections]
        screened = {language: fill_screens(locales[language], section_questions) for language in meta.languages}
        advice_tuple = tuple(Advice(entry_id, condition) for entry_id, condition in advice.items())
        findings_tuple = tuple(Finding(domain, some, marked) for domain, (some, marked) in findings.items())
        fast_screen = compile_rules(
            questions, accepts, predicates, order, ranked, findings_tuple, advice_tuple, meta.id
        )
        return RuleSet(
            id=meta.id,
            version=meta.version,
            sha256=self.content_hash(meta),
            directory=self.directory,
            languages=tuple(meta.languages),
            default_language=meta.default_language,
            sections=sections,
            questions=questions,
            accepts=accepts,
            predicates=predicates,
            predicate_order=order,
            rules=rules_tuple,
            findings=findings_tuple,
            ranked=ranked,
            fast_screen=fast_screen,
            advice=advice_tuple,
            locales=locales,
            countries=tuple(countries),
            default_country=default_country,
            texts={
                (language, country): Texts(
                    language, country, render(screened[language], values[language]), values[language]
                )
                for country, values in countries.items()
                for language in meta.languages
            },
        )

    def check_meta(self, meta: RuleSetFile) -> None:
        if self.directory.name != meta.id:
            self.report("invalid_id", "ruleset.yaml", f"id '{meta.id}' differs from its folder name", meta.id, ("id",))
        if not SEMVER.match(meta.version):
            self.report(
                "invalid_version",
                "ruleset.yaml",
                f"version '{meta.version}' is not Semantic Versioning (MAJOR.MINOR.PATCH)",
                meta.id,
                ("version",),
            )
        if len(set(meta.languages)) != len(meta.languages):
            self.report("duplicate_id", "ruleset.yaml", "a language is listed twice", meta.id, ("languages",))
        if meta.default_language not in meta.languages:
            self.report(
                "unknown_language",
                "ruleset.yaml",
                f"default_language '{meta.default_language}' is not in languages",
                meta.id,
                ("default_language",),
            )

    # -- questions -------------------------------------------------------------------------
    def build_questions(
        self, data: QuestionsFile
    ) -> tuple[tuple[Section, ...], dict[str, Question], dict[str, tuple[Any, Location]]]:
        """The sections and questions, and each question's enable_when as written (attached by
        ``attach_enable_when`` once the predicates it may name are built)."""
        file = "questions.yaml"
        questions: dict[str, Question] = {}
        sections: list[Section] = []
        seen_sections: set[str] = set()
        raw_enable_when: dict[str, tuple[Any, Location]] = {}
        for s_index, section in enumerate(data.sections):
            if section.id in seen_sections:
                self.report("duplicate_id", file, "section id used twice", section.id, ("sections", s_index, "id"))
            seen_sections.add(section.id)
            ids: list[str] = []
            for i_index, item in enumerate(section.items):
                location: Location = ("sections", s_index, "items", i_index)
                if item.id in questions:
                    self.report("duplicate_id", file, "question id used twice", item.id, (*location, "id"))
                    continue
                if item.id in ("result_level", "fired_rules") or item.id.startswith("finding_"):
                    self.report(
                        "reserved_id",
                        file,
                        "this id is reserved for what advice conditions read about the result",
                        item.id,
                        (*location, "id"),
                    )
                    continue
                question = self.build_question(item, section.id, data, location)
                if question is None:
                    continue
                questions[item.id] = question
                ids.append(item.id)
                if item.enable_when is not None:
                    raw_enable_when[item.id] = (item.enable_when, (*location, "enable_when"))
            sections.append(Section(section.id, tuple(ids), section.display))
        return tuple(sections), questions, raw_enable_when

    def build_question(self, item: Any, section: str, data: QuestionsFile, location: Location) -> Question | None:
        file = "questions.yaml"

        def invalid(message: str, where: str = "type") -> None:
            self.report("invalid_item", file, message, item.id, (*location, where))

        options: tuple[str, ...] = ()
        ordered, exclusive, label_prefix = item.ordered, tuple(item.exclusive), f"option.{item.id}"
        if item.type in ("single_choice", "multi_choice"):
            if (item.options is None) == (item.option_set is None):
                invalid(f"a {item.type} item needs exactly one of 'options' or 'option_set'")
                return None
            if item.option_set is not None:
                option_set = data.option_sets.get(item.option_set)
                if option_set is None:
                    self.report(
                        "unknown_option_set",
                        file,
                        f"option set '{item.option_set}' is not defined",
                        item.id,
                        (*location, "option_set"),
                        suggest(item.option_set, data.option_sets),
                    )
                    return None
                options, ordered = tuple(option_set.options), option_set.ordered
                exclusive = tuple(option_set.exclusive) + exclusive
                label_prefix = f"option_set.{item.option_set}"
            else:
                options = tuple(item.options or ())
                if len(options) < 2:
                    invalid("a choice item needs at least two options", "options")
            duplicates = sorted({o for o in options if options.count(o) > 1})
            if duplicates:
                self.report(
                    "duplicate_id", file, f"option(s) listed twice: {duplicates}", item.id, (*location, "options")
                )
            for value in exclusive:
                if value not in options:
                    self.report(
                        "unknown_option",
                        file,
                        f"exclusive option '{value}' is not an option",
                        item.id,
                        (*location, "exclusive"),
                        suggest(value, options),
                    )
            if item.type == "single_choice" and exclusive:
                invalid("only multi_choice items have exclusive options", "exclusive")
            if item.min is not None or item.max is not None:
                invalid("only scale and integer items have min and max", "min")
        else:
            if item.options is not None or item.option_set is not None or item.exclusive or item.ordered:
                invalid(f"a {item.type} item has no options")
            if item.type == "boolean" and (item.min is not None or item.max is not None):
                invalid("only scale and integer items have min and max", "min")
        low, high = item.min, item.max
        if item.type == "scale":
            low = 0 if low is None else low
            high = 10 if high is None else high
        if item.type == "integer" and (low is None or high is None):
            invalid("an integer item needs both min and max", "min")
        if low is not None and high is not None and low > high:
            invalid(f"min {low} is greater than max {high}", "min")
        return Question(
            id=item.id,
            section=section,
            type=item.type,
            options=options,
            ordered=ordered,
            exclusive=frozenset(exclusive),
            min=low,
            max=high,
            required=item.required,
            option_label_prefix=label_prefix,
        )

    def attach_enable_when(
        self,
        questions: dict[str, Question],
        raw: dict[str, tuple[Any, Location]],
        predicates: Mapping[str, cond.Condition],
    ) -> None:
        """Each enable_when, with the predicates it names written out: a predicate is the one
        definition of a condition that rules and skip logic share, and clients (the widget,
        FHIR renderers) evaluate the written-out form alone."""
        file = "questions.yaml"
        position = {qid: index for index, qid in enumerate(questions)}
        parsed: dict[str, cond.Condition] = {}
        for qid, (raw_condition, location) in raw.items():
            condition = self.parse_condition(raw_condition, file, qid, location)
            if condition is None:
                continue
            if not self.check_leaves(condition, questions, file, qid, location, predicates):
                continue
            expanded = cond.expand_predicates(condition, predicates)
            # A reference left after expanding names a predicate that did not build or that
            # refers back to itself: build_predicates reported it.
            if not any(True for _ in cond.predicate_refs(expanded)):
                parsed[qid] = expanded
        # A cycle is reported as such; otherwise a reference to a later item is an ordering error.
        graph = {qid: {leaf.question for leaf in cond.leaves(c)} for qid, c in parsed.items()}
        in_cycle = _nodes_in_cycles(graph)
        for qid, condition in parsed.items():
            location = raw[qid][1]
            if qid in in_cycle:
                self.report(
                    "enable_when_cycle", file, "enable_when depends on itself through other items", qid, location
                )
                continue
            later = sorted(dep for dep in graph[qid] if position[dep] >= position[qid])
            if later:
                self.report(
                    "enable_when_forward_reference",
                    file,
                    f"enable_when may only read earlier items; reads {later}",
                    qid,
                    location,
                )
                continue
            questions[qid] = replace(questions[qid], enable_when=condition)

    # -- conditions ------------------------------------------------------------------------
    def parse_condition(self, raw: Any, file: str, subject: str, location: Location) -> cond.Condition | None:
        try:
            return cond.parse(raw)
        except cond.ConditionSyntaxError as exc:
            self.report("condition_syntax", file, f"{exc.path}: {exc}", subject, location)
            return None

    def check_leaves(
        self,
        condition: cond.Condition,
        questions: Mapping[str, Question],
        file: str,
        subject: str,
        location: Location,
        predicates: Mapping[str, Any] | None = None,
    ) -> bool:
        ok = True
        for leaf in cond.leaves(condition):
            question = questions.get(leaf.question)
            if question is None:
                self.report(
                    "unknown_question",
                    file,
                    f"condition reads unknown question '{leaf.question}'",
                    subject,
                    location,
                    suggest(leaf.question, questions),
                )
                ok = False
                continue
            problem = cond.type_problem(leaf, question)
            if problem is not None:
                code, message = problem
                hint = suggest(str(leaf.value), question.options) if code == "unknown_option" else None
                self.report(code, file, message, subject, location, hint)
                ok = False
        for name in cond.predicate_refs(condition):
            if predicates is not None and name not in predicates:
                self.report(
                    "unknown_predicate",
                    file,
                    f"predicate '{name}' is not defined",
                    subject,
                    location,
                    suggest(name, predicates),
                )
                ok = False
        return ok

    def build_predicates(self, data: RulesFile, questions: Mapping[str, Question]) -> dict[str, cond.Condition]:
        file = "rules.yaml"
        parsed: dict[str, cond.Condition] = {}
        for name, raw in data.predicates.items():
            location: Location = ("predicates", name)
            condition = self.parse_condition(raw, file, name, location)
            if condition is not None and self.check_leaves(condition, questions, file, name, location, data.predicates):
                parsed[name] = condition
        graph = {name: set(cond.predicate_refs(c)) for name, c in parsed.items()}
        for name in sorted(_nodes_in_cycles(graph)):
            self.report(
                "predicate_cycle",
                file,
                "predicate refers to itself through other predicates",
                name,
                ("predicates", name),
            )
        return parsed

    def build_rules(
        self,
        data: RulesFile,
        questions: Mapping[str, Question],
        predicates: Mapping[str, cond.Condition],
        references: Mapping[str, Reference],
    ) -> list[Rule]:
        file = "rules.yaml"
        rules: list[Rule] = []
        seen: set[str] = set()
        order = list(questions)
        for index, entry in enumerate(data.rules):
            location: Location = ("rules", index)
            if entry.id in seen:
                self.report("duplicate_id", file, "rule id used twice", entry.id, (*location, "id"))
            seen.add(entry.id)
            if entry.level not in LEVEL_IDS:
                self.report(
                    "unknown_level",
                    file,
                    f"level '{entry.level}' is not one of {list(LEVEL_IDS)}",
                    entry.id,
                    (*location, "level"),
                    suggest(entry.level, LEVEL_IDS),
                )
            for source in entry.sources:
                if source not in references:
                    self.report(
                        "unknown_source",
                        file,
                        f"source '{source}' is not in ruleset.yaml references",
                        entry.id,
                        (*location, "sources"),
                        suggest(source, references),
                    )
            condition = self.parse_condition(entry.when, file, entry.id, (*location, "when"))
            if condition is None:
                continue
            if not self.check_leaves(condition, questions, file, entry.id, (*location, "when"), data.predicates):
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
            self.report(
                "missing_catch_all",
                file,
                "no catch-all rule: add one with level general_advice and 'when: {always: true}'",
                None,
                ("rules",),
            )
        return rules

    def build_findings(
        self, data: RulesFile, questions: Mapping[str, Question], predicates: Mapping[str, cond.Condition]
    ) -> dict[str, tuple[cond.Condition, cond.Condition]]:
        file = "rules.yaml"
        findings: dict[str, tuple[cond.Condition, cond.Condition]] = {}
        for domain, entry in data.findings.items():
            if domain not in DOMAINS:
                self.report(
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
                condition = self.parse_condition(raw, file, f"{domain}.{status}", location)
                if condition is not None and self.check_leaves(
                    condition, questions, file, f"{domain}.{status}", location, data.predicates
                ):
                    pair.append(condition)
            if len(pair) == 2:
                findings[domain] = (pair[0], pair[1])
        for domain in DOMAINS:
            if domain not in data.findings:
                self.report(
                    "missing_domain", file, f"findings has no entry for domain '{domain}'", domain, ("findings",)
                )
        return {domain: findings[domain] for domain in DOMAINS if domain in findings}

    def build_advice(self, data: RulesFile, outcome_questions: Mapping[str, Question]) -> dict[str, cond.Condition]:
        file = "rules.yaml"
        advice: dict[str, cond.Condition] = {}
        for index, entry in enumerate(data.advice):
            location: Location = ("advice", index)
            if entry.id in advice:
                self.report("duplicate_id", file, "advice id used twice", entry.id, (*location, "id"))
                continue
            condition = self.parse_condition(entry.when, file, entry.id, (*location, "when"))
            if condition is not None and self.check_leaves(
                condition, outcome_questions, file, entry.id, (*location, "when"), data.predicates
            ):
                advice[entry.id] = condition
        return advice

    def load_countries(
        self, meta: RuleSetFile, locales: Mapping[str, Mapping[str, LocaleValue]]
    ) -> tuple[dict[str, dict[str, dict[str, str]]], str]:
        """Placeholder values per country and language; without countries.yaml, none are defined."""
        file = "countries.yaml"
        if not (self.directory / file).is_file():
            countries: dict[str, dict[str, dict[str, str]]] = {GENERIC_COUNTRY: {lang: {} for lang in meta.languages}}
            default = GENERIC_COUNTRY
        else:
            data = self.read(file, CountriesFile)
            if data is None:
                return {}, GENERIC_COUNTRY
            countries, default = data.countries, data.default
            if default not in countries:
                self.report(
                    "unknown_country",
                    file,
                    f"default country '{default}' is not defined",
                    default,
                    ("default",),
                    suggest(default, countries),
                )
        names = set(next(iter(next(iter(countries.values())).values()), {})) if countries else set()
        for country, by_language in countries.items():
            for language in meta.languages:
                values = by_language.get(language)
                if values is None:
                    self.report(
                        "incomplete_country",
                        file,
                        f"no values for language '{language}'",
                        country,
                        ("countries", country),
                    )
                elif set(values) != names:
                    self.report(
                        "incomplete_country",
                        file,
                        f"placeholders differ from the others: {sorted(set(values) ^ names)}",
                        country,
                        ("countries", country, language),
                    )
        for language, locale in locales.items():
            for key, value in locale.items():
                for name in sorted(placeholders_in(value) - names):
                    self.report(
                        "unknown_placeholder",
                        f"locales/{language}.yaml",
                        f"text uses {{{name}}}, which countries.yaml does not define",
                        key,
                        tuple(key.split(".")),
                        suggest(name, names),
                    )
        return countries, default

    # -- locales ---------------------------------------------------------------------------
    def load_locales(
        self,
        meta: RuleSetFile,
        sections: tuple[Section, ...],
        questions: Mapping[str, Question],
        questions_file: QuestionsFile,
        rules_file: RulesFile,
    ) -> dict[str, dict[str, str | list[str]]]:
        required, optional_prefixes = expected_locale_keys(sections, questions, questions_file, rules_file)
        locales: dict[str, dict[str, str | list[str]]] = {}
        for language in meta.languages:
            file = f"locales/{language}.yaml"
            path = self.directory / file
            if not path.is_file():
                self.report("missing_file", file, f"no locale file for language '{language}'")
                continue
            try:
                document = read_yaml(path)
            except YamlReadError as exc:
                self.issues.append(RuleSetIssue("yaml_syntax", path, str(exc), None, exc.line))
                continue
            self.documents[file] = document
            flat, problems = flatten_locale(document.data)
            for key, message in problems:
                self.report("invalid_locale_value", file, message, key, tuple(key.split(".")))
            known = set(required) | optional_prefixes
            for key, kind in required.items():
                if key not in flat:
                    self.report("missing_locale_key", file, f"missing text for '{key}'", key)
                elif kind is list and not isinstance(flat[key], list):
                    self.report("invalid_locale_value", file, "must be a list of texts", key, tuple(key.split(".")))
                elif kind is str and not isinstance(flat[key], str):
                    self.report("invalid_locale_value", file, "must be a single text", key, tuple(key.split(".")))
            for key in flat:
                if key not in known and not is_term_key(key):
                    self.report(
                        "unknown_locale_key",
                        file,
                        f"'{key}' is not used by this rule set",
                        key,
                        tuple(key.split(".")),
                        suggest(key, known),
                    )
            locales[language] = flat
        # Optional texts (help, intros) must exist in every language or in none.
        for key in sorted({k for flat in locales.values() for k in flat if k in optional_prefixes}):
            for language, flat in locales.items():
                if key not in flat:
                    self.report(
                        "missing_locale_key",
                        f"locales/{language}.yaml",
                        f"missing text for '{key}' (other languages have it)",
                        key,
                    )
        return locales

    def content_hash(self, meta: RuleSetFile) -> str:
        digest = hashlib.sha256()
        names = [*CONTENT_FILES, *(f"locales/{language}.yaml" for language in sorted(meta.languages))]
        if (self.directory / "countries.yaml").is_file():
            names.append("countries.yaml")
        for name in names:
            digest.update(name.encode() + b"\0" + (self.directory / name).read_bytes() + b"\0")
        return digest.hexdigest()


def _questions_read(
    condition: cond.Condition, predicates: Mapping[str, cond.Condition], seen: frozenset[str] = frozenset()
) -> set[str]:
    """Question ids a condition reads, through predicates (a cycle is reported elsewhere)."""
    read = {leaf.question for leaf in cond.leaves(condition)}
    for name in cond.predicate_refs(condition):
        if name in predicates and name not in seen:
            read |= _questions_read(predicates[name], predicates, seen | {name})
    return read


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


def _nodes_in_cycles(graph: Mapping[str, set[str]]) -> set[str]:
    """Nodes that can reach themselves (edges to unknown nodes are ignored)."""
    cyclic: set[str] = set()
    for start in graph:
        stack, seen = list(graph[start]), set()
        while stack:
            node = stack.pop()
            if node == start:
                cyclic.add(start)
                break
            if node in seen or node not in graph:
                continue
            seen.add(node)
            stack.extend(graph[node])
    return cyclic


def _dotted(location: Location) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".")


def _subject_at(data: Any, location: Location) -> str | None:
    """The id of the innermost item on the path, so schema errors name the rule or question."""
    subject, node = None, data
    for part in location:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            subject = node["id"]
    return subject
