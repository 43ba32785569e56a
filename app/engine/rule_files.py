"""Read phase of the load: a rule-set folder's YAML files into their models, each document kept
so that a problem found later can name its line."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.engine.errors import RuleSetError, RuleSetIssue
from app.engine.load_issues import IssueLog
from app.engine.model import CountriesFile, QuestionsFile, RuleSetFile, RulesFile
from app.engine.yaml_files import Location, YamlDocument, YamlReadError, read_yaml

ModelT = TypeVar("ModelT", bound=BaseModel)

CONTENT_FILES = ("ruleset.yaml", "questions.yaml", "rules.yaml")
COUNTRIES_FILE = "countries.yaml"


def locale_file(language: str) -> str:
    return f"locales/{language}.yaml"


@dataclass(frozen=True)
class RuleSetFiles:
    """A folder's files as read. A locale or countries file that could not be read is in
    ``unreadable`` with its problems instead: the checks report them at that file's turn, so
    problems keep one order whatever file they are in."""

    directory: Path
    meta: RuleSetFile
    questions: QuestionsFile
    rules: RulesFile
    locales: dict[str, Any]  # each read locale file's data, by language
    countries: CountriesFile | None  # None when the folder has no countries.yaml
    unreadable: dict[str, list[RuleSetIssue]]
    documents: dict[str, YamlDocument]


def read_rule_files(directory: Path) -> RuleSetFiles:
    """Read every file of the rule set; raise RuleSetError when one of ruleset.yaml,
    questions.yaml and rules.yaml cannot be read, as nothing can be checked without them."""
    documents: dict[str, YamlDocument] = {}
    log = IssueLog(directory, documents)
    meta = _read_model(log, "ruleset.yaml", RuleSetFile)
    questions = _read_model(log, "questions.yaml", QuestionsFile)
    rules = _read_model(log, "rules.yaml", RulesFile)
    if meta is None or questions is None or rules is None:
        raise RuleSetError(log.issues)
    locales: dict[str, Any] = {}
    unreadable: dict[str, list[RuleSetIssue]] = {}
    for language in meta.languages:
        file_log = IssueLog(directory, documents)
        document = _read_document(file_log, locale_file(language), f"no locale file for language '{language}'")
        if document is None:
            unreadable[locale_file(language)] = file_log.issues
        else:
            locales[language] = document.data
    countries = None
    if (directory / COUNTRIES_FILE).is_file():
        file_log = IssueLog(directory, documents)
        countries = _read_model(file_log, COUNTRIES_FILE, CountriesFile)
        if countries is None:
            unreadable[COUNTRIES_FILE] = file_log.issues
    return RuleSetFiles(directory, meta, questions, rules, locales, countries, unreadable, documents)


def _read_document(log: IssueLog, file: str, missing: str) -> YamlDocument | None:
    path = log.directory / file
    if not path.is_file():
        log.report("missing_file", file, missing)
        return None
    try:
        document = read_yaml(path)
    except YamlReadError as exc:
        log.issues.append(RuleSetIssue("yaml_syntax", path, str(exc), None, exc.line))
        return None
    log.documents[file] = document
    return document


def _read_model(log: IssueLog, file: str, model: type[ModelT]) -> ModelT | None:
    document = _read_document(log, file, "file not found")
    if document is None:
        return None
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        for error in exc.errors():
            location = tuple(error["loc"])
            log.report(
                "schema",
                file,
                f"{_dotted(location) or 'file'}: {error['msg']}",
                _subject_at(document.data, location),
                location,
            )
        return None


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
