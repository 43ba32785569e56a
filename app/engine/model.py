"""Pydantic models of the rule-set file format (structure only; references are checked later)."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
OptionValue = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,63}$")]
SourceId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.-]{0,31}$")]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]

ItemType = Literal["boolean", "single_choice", "multi_choice", "scale", "integer"]

# Conditions are parsed by app.engine.conditions, which reports precise locations.
RawCondition = Any


class FileModel(BaseModel):
    """Strict base: unknown keys in a rule file are errors, never silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Reference(FileModel):
    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://")


class RuleSetFile(FileModel):
    """``ruleset.yaml``: identity and metadata."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,63}$")]
    version: str
    languages: list[Language] = Field(min_length=1)
    default_language: Language
    references: dict[SourceId, Reference] = Field(default_factory=dict)


class OptionSet(FileModel):
    ordered: bool = False
    options: list[OptionValue] = Field(min_length=2)
    exclusive: list[OptionValue] = Field(default_factory=list)


class Item(FileModel):
    """One question. Choice items give ``options`` or name an ``option_set``."""

    id: QuestionId
    type: ItemType
    options: list[OptionValue] | None = None
    option_set: str | None = None
    ordered: bool = False
    exclusive: list[OptionValue] = Field(default_factory=list)
    min: int | None = None
    max: int | None = None
    required: bool = False
    enable_when: RawCondition = None
    # In a checklist section: the answer "None of these apply to me" gives this statement
    # (false, an option, or a list of one exclusive option), and optionally the answer that
    # ticking it gives (else ticking asks which of the other options applies).
    negative: bool | str | list[str] | None = None
    ticked: bool | str | None = None


class Section(FileModel):
    id: QuestionId
    # "checklist": shown as one list of plain statements with "None of these apply to me";
    # items with a ``negative`` are its statements, the others follow up a ticked statement.
    display: Literal["questions", "checklist"] = "questions"
    items: list[Item] = Field(min_length=1)


class QuestionsFile(FileModel):
    """``questions.yaml``: reusable option sets and the ordered sections of items."""

    option_sets: dict[str, OptionSet] = Field(default_factory=dict)
    sections: list[Section] = Field(min_length=1)


class RuleEntry(FileModel):
    id: RuleId
    level: str
    when: RawCondition
    sources: list[str] = Field(default_factory=list)
    rationale: str | None = None


class AdviceEntry(FileModel):
    """An advice flag: extra guidance that never changes the level."""

    id: QuestionId
    when: RawCondition
    rationale: str | None = None


class FindingEntry(FileModel):
    some: RawCondition
    marked: RawCondition


class RulesFile(FileModel):
    """``rules.yaml``: named predicates, the rules, and the per-domain findings."""

    predicates: dict[QuestionId, RawCondition] = Field(default_factory=dict)
    rules: list[RuleEntry] = Field(min_length=1)
    findings: dict[str, FindingEntry] = Field(default_factory=dict)
    advice: list[AdviceEntry] = Field(default_factory=list)


CountryId = Annotated[str, StringConstraints(pattern=r"^([a-z]{2}|generic)$")]
PlaceholderName = Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")]


class CountriesFile(FileModel):
    """``countries.yaml``: per country and language, the values of text placeholders."""

    default: CountryId
    countries: dict[CountryId, dict[Language, dict[PlaceholderName, Annotated[str, Field(min_length=1)]]]]


class CaseExpectation(FileModel):
    level: str
    fired: list[str] | None = None
    findings: dict[str, Literal["none", "some", "marked"]] = Field(default_factory=dict)
    ignored_answers: list[str] | None = None
    advice: list[str] | None = None  # exact set of advice flags, when given


class GoldenCase(FileModel):
    name: str = Field(min_length=1)
    answers: dict[str, Any] = Field(default_factory=dict)
    omit: list[str] = Field(default_factory=list)  # base answers this case leaves out
    expect: CaseExpectation


class CasesFile(FileModel):
    """A golden-case file; ``base_answers`` are merged under every case's own answers."""

    base_answers: dict[str, Any] = Field(default_factory=dict)
    cases: list[GoldenCase] = Field(min_length=1)
