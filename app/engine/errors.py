"""Engine errors. Only the API layer turns them into HTTP problems.

ScreenerError
├── RuleSetError          a rule set failed to load (start-up stops)
├── AnswersError          submitted answers are invalid (one or more AnswerIssue)
└── UnknownQuestionnaire  no rule set with that id
"""

from dataclasses import dataclass
from pathlib import Path


class ScreenerError(Exception):
    """Base of every error the engine raises on purpose."""


@dataclass(frozen=True)
class RuleSetIssue:
    """One problem found while loading a rule set."""

    code: str
    file: Path
    message: str
    subject: str | None = None  # the rule, question, predicate or locale key concerned
    line: int | None = None
    suggestion: str | None = None

    def __str__(self) -> str:
        where = str(self.file) + (f":{self.line}" if self.line is not None else "")
        about = f" {self.subject}:" if self.subject else ""
        hint = f" (did you mean '{self.suggestion}'?)" if self.suggestion else ""
        return f"{where}:{about} {self.message}{hint} [{self.code}]"


class RuleSetError(ScreenerError):
    """A rule set cannot be used; ``issues`` lists every problem found."""

    def __init__(self, issues: list[RuleSetIssue]) -> None:
        self.issues = issues
        first = str(issues[0])
        more = f" (and {len(issues) - 1} more problem(s))" if len(issues) > 1 else ""
        super().__init__(f"invalid rule set: {first}{more}")


@dataclass(frozen=True)
class AnswerIssue:
    """One problem with submitted answers; ``question`` is None for body-level problems."""

    code: str
    detail: str
    pointer: str


class AnswersError(ScreenerError):
    """Submitted answers cannot be screened."""

    def __init__(self, issues: list[AnswerIssue]) -> None:
        self.issues = issues
        super().__init__(f"{len(issues)} invalid answer(s)")


class UnknownQuestionnaire(ScreenerError):
    """No loaded rule set has this id."""
