"""Loaded rule sets plus everything that depends only on them, rendered once at start-up."""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.engine.golden import case_files as golden_case_files
from app.engine.levels import Level
from app.engine.loader import load_rulesets
from app.engine.ruleset import RuleSet
from app.schemas.questionnaire import QuestionnaireView
from app.schemas.screening import ResultParts


@dataclass(frozen=True)
class Document:
    body: bytes
    etag: str


@dataclass(frozen=True)
class Floor:
    """A served golden case: these answers get at least this level from any later reload."""

    label: str
    level: Level
    answers: Mapping[str, object]
    key: str  # the answers as canonical JSON: one floor per answer set

    @classmethod
    def of(cls, label: str, answers: Mapping[str, object], level: Level) -> "Floor":
        return cls(label, level, answers, json.dumps(answers, sort_keys=True, default=str))


@dataclass(frozen=True)
class Catalog:
    rulesets: dict[str, RuleSet]
    documents: dict[tuple[str, str, str], Document]  # (questionnaire, language, country)
    result_parts: dict[tuple[str, str, str], ResultParts]
    # By rule-set id: the golden-case files as read at load time (reading them costs nothing;
    # parsing them is left to the first reload, which must not lower them), and the floors a
    # reload's safety gate (app.ruleset_gate) has settled.
    case_files: Mapping[str, tuple[tuple[Path, bytes], ...]] = field(default_factory=dict)
    floors: Mapping[str, tuple[Floor, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls, rules_dir: Path) -> "Catalog":
        """Load every rule set (raises RuleSetError), render each questionnaire per language and
        keep the bytes of the golden-case files."""
        rulesets = load_rulesets(rules_dir)
        documents = {}
        result_parts = {}
        for ruleset in rulesets.values():
            for language, country in ruleset.texts:
                result_parts[(ruleset.id, language, country)] = ResultParts.render(ruleset, language, country)
                body = QuestionnaireView.build(ruleset, language, country).model_dump_json().encode()
                # Strong validator: it changes whenever a byte of the document changes.
                etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
                documents[(ruleset.id, language, country)] = Document(body, etag)
        case_files = {
            ruleset.id: tuple((path, path.read_bytes()) for path in golden_case_files(ruleset))
            for ruleset in rulesets.values()
        }
        return cls(rulesets, documents, result_parts, case_files)
