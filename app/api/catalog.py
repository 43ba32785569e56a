"""Loaded rule sets plus everything that depends only on them, rendered once at start-up."""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

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
    # Filled by app.ruleset_gate once the golden cases pass, by rule-set id.
    floors: Mapping[str, tuple[Floor, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls, rules_dir: Path) -> "Catalog":
        """Load every rule set (raises RuleSetError) and render each questionnaire per language."""
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
        return cls(rulesets, documents, result_parts)
