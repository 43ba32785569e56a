"""Loaded rule sets plus everything that depends only on them, rendered once at start-up."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from app.engine.loader import load_rulesets
from app.engine.ruleset import RuleSet
from app.schemas.questionnaire import QuestionnaireView
from app.schemas.screening import ResultParts


@dataclass(frozen=True)
class Document:
    body: bytes
    etag: str


@dataclass(frozen=True)
class Catalog:
    rulesets: dict[str, RuleSet]
    documents: dict[tuple[str, str, str], Document]  # (questionnaire, language, country)
    result_parts: dict[tuple[str, str, str], ResultParts]

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
