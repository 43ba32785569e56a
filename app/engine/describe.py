"""Conditions in plain words, for clinical reviewers (review pack) and for the docs."""

from app.engine import conditions as cond
from app.engine.ruleset import RuleSet

_PHRASES = {
    "equals": "is {v}",
    "not_equals": "is answered and is not {v}",
    "in": "is one of {v}",
    "not_in": "is answered and is none of {v}",
    "gt": "is more than {v}",
    "gte": "is {v} or more",
    "lt": "is less than {v}",
    "lte": "is {v} or less",
    "contains": "includes {v}",
    "not_contains": "is answered and does not include {v}",
    "contains_any": "includes any of {v}",
    "contains_all": "includes all of {v}",
    "count_gte": "has at least {v} options chosen",
    "count_lte": "has at most {v} options chosen",
    "answered": "was answered",
    "not_answered": "was not answered (unknown)",
}


def describe_leaf(leaf: cond.Leaf, ruleset: RuleSet, language: str) -> str:
    """One line such as: 'rf_saddle_numbness (Numbness between the legs…) is «Yes, new» (yes_new_or_worsening)'."""
    question = ruleset.questions.get(leaf.question)

    def label(value: object) -> str:
        if question is not None and isinstance(value, str) and value in question.options:
            text = ruleset.locales[language].get(question.option_label_key(value))
            return f"“{text}” ({value})" if isinstance(text, str) else value
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)

    value = leaf.value
    shown = " / ".join(label(item) for item in value) if isinstance(value, tuple) else label(value)
    if leaf.op in cond.ORDINAL_OPERATORS and question is not None and question.type == "single_choice":
        shown += " on the ordered scale"
    return f"{leaf.question} {_PHRASES[leaf.op].format(v=shown)}"


def describe(condition: cond.Condition, ruleset: RuleSet, language: str = "en") -> list[str]:
    """Indented lines (two spaces per level) describing a condition."""
    if isinstance(condition, cond.Leaf):
        return [describe_leaf(condition, ruleset, language)]
    if isinstance(condition, cond.Always):
        return ["always"]
    if isinstance(condition, cond.PredicateRef):
        return [f"“{condition.name}” is true (see predicates)"]
    if isinstance(condition, cond.NotOf):
        return ["NOT:", *("  " + line for line in describe(condition.item, ruleset, language))]
    head = "ALL of:" if isinstance(condition, cond.AllOf) else "ANY of:"
    lines = [head]
    for item in condition.items:
        inner = describe(item, ruleset, language)
        lines.append("  - " + inner[0])
        lines.extend("    " + line for line in inner[1:])
    return lines
