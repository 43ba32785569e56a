"""Domain view of questions: the typed, validated form the evaluator and API work from."""

from collections.abc import Mapping
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
    # A statement of a checklist section: the answer "None of these" gives it, and the answer
    # ticking it gives (None: ticking asks which of the other options applies).
    negative: AnswerValue | None = None
    ticked: AnswerValue | None = None

    @property
    def is_statement(self) -> bool:
        return self.negative is not None

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
    """Questions shown together; a ``checklist`` is one list of statements with "None of these"."""

    id: str
    question_ids: tuple[str, ...]
    display: str = "questions"

    @property
    def is_checklist(self) -> bool:
        return self.display == "checklist"


def gate_sources(questions: Mapping[str, Question]) -> dict[str, str]:
    """For each gated question, the first question whose enable_when equals its own (itself
    when none comes before). A condition reads only items before its first use (checked at
    load), so its value there holds for every later item with the same condition: skip logic
    evaluates each distinct condition once, and the generated check keeps one flag for it."""
    first: dict[Condition, str] = {}
    return {qid: first.setdefault(q.enable_when, qid) for qid, q in questions.items() if q.enable_when is not None}
