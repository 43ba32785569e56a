"""Questionnaire views: what a client needs to render the questions and skip logic."""

from typing import Any, Literal

from pydantic import Field

from app.engine.conditions import to_public
from app.engine.ruleset import RuleSet
from app.schemas.base import APIModel
from app.schemas.condition import ConditionView

ItemType = Literal["boolean", "single_choice", "multi_choice", "scale", "integer"]


class RuleSetRef(APIModel):
    id: str = Field(examples=["hip-pelvic-floor"])
    version: str = Field(description="Semantic version of the rule set.", examples=["0.1.0"])
    sha256: str = Field(description="SHA-256 of the rule-set files that produced this document.")


class OptionView(APIModel):
    value: str = Field(description="Stable option id sent back as the answer.")
    label: str


class ItemView(APIModel):
    id: str = Field(description="Stable question id, the key of its answer.", examples=["rf_saddle_numbness"])
    type: ItemType
    text: str
    help: str | None = None
    options: list[OptionView] = Field(default_factory=list, description="Choices, in display order.")
    ordered: bool = Field(default=False, description="Options form an ordered scale (gt/gte/lt/lte compare positions).")
    exclusive: list[str] = Field(default_factory=list, description="Options that cannot be combined with others.")
    min: int | None = None
    max: int | None = None
    min_label: str | None = None
    max_label: str | None = None
    required: bool = Field(description="Must be answered whenever the item applies.")
    enable_when: ConditionView | None = Field(
        default=None, description="The item applies only when this is true; null means it always applies."
    )


class SectionView(APIModel):
    id: str
    title: str
    intro: str | None = None
    items: list[ItemView]


class QuestionnaireView(APIModel):
    id: str = Field(examples=["hip-pelvic-floor"])
    title: str
    description: str
    language: str
    languages: list[str]
    country: str = Field(description="Whose emergency numbers and service names the texts use.", examples=["gb"])
    countries: list[str] = Field(description="Countries the texts can be rendered for (?country=).")
    ruleset: RuleSetRef
    disclaimer: str
    sections: list[SectionView]

    @classmethod
    def build(cls, ruleset: RuleSet, language: str, country: str | None = None) -> "QuestionnaireView":
        """Render the whole questionnaire in one language, with one country's service names."""
        texts = ruleset.texts_for(language, country)
        text, optional = texts.text, texts.optional
        sections = []
        for section in ruleset.sections:
            items = []
            for qid in section.question_ids:
                question = ruleset.questions[qid]
                enable_when: Any = to_public(question.enable_when, ruleset.predicates) if question.enable_when else None
                items.append(
                    ItemView(
                        id=qid,
                        type=question.type,
                        text=text(f"question.{qid}.text"),
                        help=optional(f"question.{qid}.help"),
                        options=[
                            OptionView(value=value, label=text(question.option_label_key(value)))
                            for value in question.options
                        ],
                        ordered=question.ordered,
                        exclusive=sorted(question.exclusive),
                        min=question.min,
                        max=question.max,
                        min_label=optional(f"question.{qid}.min_label"),
                        max_label=optional(f"question.{qid}.max_label"),
                        required=question.required,
                        enable_when=enable_when,
                    )
                )
            sections.append(
                SectionView(
                    id=section.id,
                    title=text(f"section.{section.id}.title"),
                    intro=optional(f"section.{section.id}.intro"),
                    items=items,
                )
            )
        return cls(
            id=ruleset.id,
            title=text("questionnaire.title"),
            description=text("questionnaire.description"),
            language=language,
            languages=list(ruleset.languages),
            country=texts.country,
            countries=list(ruleset.countries),
            ruleset=RuleSetRef(id=ruleset.id, version=ruleset.version, sha256=ruleset.sha256),
            disclaimer=text("disclaimer"),
            sections=sections,
        )


class QuestionnaireSummary(APIModel):
    id: str = Field(examples=["hip-pelvic-floor"])
    version: str = Field(examples=["0.1.0"])
    title: str
    languages: list[str]


class QuestionnaireList(APIModel):
    questionnaires: list[QuestionnaireSummary]
