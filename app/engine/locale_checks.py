"""The texts checked: each language's locale file against the texts the rule set shows, and
countries.yaml's placeholder values against the placeholders those texts use."""

from collections.abc import Mapping

from app.engine.load_issues import IssueLog
from app.engine.locale_keys import expected_locale_keys, flatten_locale
from app.engine.localisation import GENERIC_COUNTRY, LocaleValue, placeholders_in
from app.engine.questionnaire import Question, Section
from app.engine.rule_files import COUNTRIES_FILE, RuleSetFiles, locale_file
from app.engine.screen_text_check import is_term_key
from app.engine.suggestions import suggest


def check_locales(
    log: IssueLog, files: RuleSetFiles, sections: tuple[Section, ...], questions: Mapping[str, Question]
) -> dict[str, dict[str, str | list[str]]]:
    """Each language's texts: every text the rule set shows, of the right shape, and no other."""
    required, optional_prefixes = expected_locale_keys(sections, questions, files.questions, files.rules)
    locales: dict[str, dict[str, str | list[str]]] = {}
    for language in files.meta.languages:
        file = locale_file(language)
        if file in files.unreadable:
            log.issues.extend(files.unreadable[file])
            continue
        flat, problems = flatten_locale(files.locales[language])
        for key, message in problems:
            log.report("invalid_locale_value", file, message, key, tuple(key.split(".")))
        known = set(required) | optional_prefixes
        for key, kind in required.items():
            if key not in flat:
                log.report("missing_locale_key", file, f"missing text for '{key}'", key)
            elif kind is list and not isinstance(flat[key], list):
                log.report("invalid_locale_value", file, "must be a list of texts", key, tuple(key.split(".")))
            elif kind is str and not isinstance(flat[key], str):
                log.report("invalid_locale_value", file, "must be a single text", key, tuple(key.split(".")))
        for key in flat:
            if key not in known and not is_term_key(key):
                log.report(
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
                log.report(
                    "missing_locale_key",
                    locale_file(language),
                    f"missing text for '{key}' (other languages have it)",
                    key,
                )
    return locales


def check_countries(
    log: IssueLog, files: RuleSetFiles, locales: Mapping[str, Mapping[str, LocaleValue]]
) -> tuple[dict[str, dict[str, dict[str, str]]], str]:
    """Placeholder values per country and language; without countries.yaml, none are defined."""
    file, meta = COUNTRIES_FILE, files.meta
    if file in files.unreadable:
        log.issues.extend(files.unreadable[file])
        return {}, GENERIC_COUNTRY
    if files.countries is None:
        countries: dict[str, dict[str, dict[str, str]]] = {GENERIC_COUNTRY: {lang: {} for lang in meta.languages}}
        default = GENERIC_COUNTRY
    else:
        countries, default = files.countries.countries, files.countries.default
        if default not in countries:
            log.report(
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
                log.report(
                    "incomplete_country",
                    file,
                    f"no values for language '{language}'",
                    country,
                    ("countries", country),
                )
            elif set(values) != names:
                log.report(
                    "incomplete_country",
                    file,
                    f"placeholders differ from the others: {sorted(set(values) ^ names)}",
                    country,
                    ("countries", country, language),
                )
    for language, locale in locales.items():
        for key, value in locale.items():
            for name in sorted(placeholders_in(value) - names):
                log.report(
                    "unknown_placeholder",
                    locale_file(language),
                    f"text uses {{{name}}}, which countries.yaml does not define",
                    key,
                    tuple(key.split(".")),
                    suggest(name, names),
                )
    return countries, default
