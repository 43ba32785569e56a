"""Which locale keys a rule set needs, and flattening of nested locale files to dotted keys."""

from collections.abc import Mapping
from typing import Any

from app.engine.levels import LEVEL_IDS
from app.engine.model import QuestionsFile, RulesFile
from app.engine.questionnaire import Question, Section
from app.engine.ruleset import DOMAINS

FINDING_STATUSES = ("none", "some", "marked")


def expected_locale_keys(
    sections: tuple[Section, ...],
    questions: Mapping[str, Question],
    questions_file: QuestionsFile,
    rules_file: RulesFile,
) -> tuple[dict[str, type], set[str]]:
    """Required keys (with the value type each needs) and the optional keys that may exist."""
    required: dict[str, type] = {
        "questionnaire.title": str,
        "questionnaire.description": str,
        "disclaimer": str,
        "safety_net": str,
        "safety_line": str,
        "incomplete_emergency": str,
        "also_worth_mentioning": str,
    }
    optional: set[str] = set()
    for section in sections:
        required[f"section.{section.id}.title"] = str
        optional.add(f"section.{section.id}.intro")
        if section.is_checklist:
            optional.add(f"section.{section.id}.prompt")  # the checklist's question
    for question in questions.values():
        required[f"question.{question.id}.text"] = str
        optional.add(f"question.{question.id}.help")
        if question.is_statement:
            optional.add(f"question.{question.id}.statement")  # its words in a checklist
        if question.type == "scale":
            optional.update({f"question.{question.id}.min_label", f"question.{question.id}.max_label"})
        for value in question.options:
            required[question.option_label_key(value)] = str
    for name, option_set in questions_file.option_sets.items():
        for value in option_set.options:
            required[f"option_set.{name}.{value}"] = str
    for rule in rules_file.rules:
        required[f"rule.{rule.id}"] = str
        # Without any action: shown instead of rule.<id> when the rule is below the result level.
        required[f"told.{rule.id}"] = str
        optional.add(f"why.{rule.id}")
    for advice in rules_file.advice:
        required[f"advice.{advice.id}"] = str
    for domain in DOMAINS:
        required[f"domain.{domain}"] = str
        for status in FINDING_STATUSES:
            required[f"finding.{domain}.{status}"] = str
    for level in LEVEL_IDS:
        required[f"level.{level}.headline"] = str
        required[f"level.{level}.next_steps"] = list
    return required, optional


def flatten_locale(data: Any) -> tuple[dict[str, str | list[str]], list[tuple[str, str]]]:
    """Nested mappings become dotted keys; returns the texts and (key, problem) pairs."""
    flat: dict[str, str | list[str]] = {}
    problems: list[tuple[str, str]] = []

    def visit(node: Any, prefix: str) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                visit(value, f"{prefix}.{key}" if prefix else str(key))
        elif isinstance(node, str):
            if not node.strip():
                problems.append((prefix, "text is empty"))
            flat[prefix] = node
        elif isinstance(node, list) and node and all(isinstance(item, str) and item.strip() for item in node):
            flat[prefix] = list(node)
        else:
            problems.append((prefix or "file", "must be a text, a list of texts, or a mapping of those"))

    visit(data, "")
    return flat, problems
