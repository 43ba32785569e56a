"""Domain view of questions: the typed, validated form the evaluator and API work from."""

from dataclasses import dataclass

from app.engine.conditions import Condition

AnswerValue = bool | int | str | frozenset[str]
"""A validated answer: multi-choice answers are frozensets of option values."""

Answers = dict[str, AnswerValue]


@dataclass(frozen=True)
class Question:
    """One item of a questionnaire, with the section it belongs to."""

    id: str
    section: str
    type: str
    options: tuple[str, ...] = ()
    ordered: bool = False
    exclusive: frozenset[str] = frozenset()
    min: int | None = None
    max: int | None = None
    required: bool = False
    enable_when: Condition | None = None
    option_label_prefix: str = ""

    @property
    def is_choice(self) -> bool:
        return self.type in ("single_choice", "multi_choice")

    @property
    def is_numeric(self) -> bool:
        return self.type in ("scale", "integer")

    def option_label_key(self, value: str) -> str:
        """Locale key of one option's label (shared by every item using an option set)."""
        return f"{self.option_label_prefix}.{value}"


@dataclass(frozen=True)
class Section:
    id: str
    question_ids: tuple[str, ...]
