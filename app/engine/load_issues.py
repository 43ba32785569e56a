"""The problems found while loading a rule set, in the order found, each placed at its file,
line and subject: every phase of the load reports into one log."""

from dataclasses import dataclass, field
from pathlib import Path

from app.engine.errors import RuleSetIssue
from app.engine.yaml_files import Location, YamlDocument


@dataclass
class IssueLog:
    """``documents`` are the files read so far, by their name in the folder: a location in
    one of them is reported with its line."""

    directory: Path
    documents: dict[str, YamlDocument]
    issues: list[RuleSetIssue] = field(default_factory=list)

    def report(
        self,
        code: str,
        file: str,
        message: str,
        subject: str | None = None,
        location: Location = (),
        suggestion: str | None = None,
    ) -> None:
        document = self.documents.get(file)
        line = document.line_of(location) if document is not None else None
        self.issues.append(RuleSetIssue(code, self.directory / file, message, subject, line, suggestion))
