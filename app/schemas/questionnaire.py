"""Questionnaire views: what a client needs to render the questions and skip logic."""

from typing import Any, Literal

from pydantic import Field

from app.engine.conditions import to_public
from app.engine.questionnaire import AnswerValue
from app.engine.ruleset import RuleSet
from app.schemas.base import APIModel
from app.schemas.condition import ConditionView

ItemType = Literal["boolean", "single_choice", "multi_choice", "scale", "integer"]


class RuleSetRef(APIModel):
    """Which rule set produced a response: id, SemVer version and a hash of its files."""

    id: str = Field(description="Rule-set id, the same as the questionnaire id.", examples=["hip-pelvic-floor"])
    version: str = Field(
        description="Semantic version of the rule set: MAJOR when a question id or option is removed or renamed "
        "or an answer type changes; MINOR for new questions, options or rules, or changed outcomes; PATCH for "
        "wording with identical outcomes.",
        examples=["1.0.0"],
    )
    sha256: str = Field(description="SHA-256 of the rule-set files that produced this document.")


class OptionView(APIModel):
    """One choice of a single_choice or multi_choice item."""

    value: str = Field(description="Stable option id sent back as the answer.", examples=["myself"])
    label: str = Field(description="The choice as shown to the person, in the response language.")


class ItemView(APIModel):
    """One question. Its answer type follows ``type``: boolean (JSON true/false), single_choice
    (one option value), multi_choice (a list of option values), scale and integer (a whole
    number from min to max)."""

    id: str = Field(description="Stable question id, the key of its answer.", examples=["rf_saddle_numbness"])
    type: ItemType = Field(description="The kind of answer the question takes.")
    text: str = Field(description="The question, in the response language.")
    help: str | None = Field(default=None, description="Extra explanation to show with the question; null if none.")
    options: list[OptionView] = Field(default_factory=list, description="Choices, in display order.")
    ordered: bool = Field(default=False, description="Options form an ordered scale (gt/gte/lt/lte compare positions).")
    exclusive: list[str] = Field(default_factory=list, description="Options that cannot be combined with others.")
    min: int | None = Field(default=None, description="Smallest accepted number (scale, integer); else null.")
    max: int | None = Field(default=None, description="Largest accepted number (scale, integer); else null.")
    min_label: str | None = Field(default=None, description="What the smallest value of a scale means; else null.")
    max_label: str | None = Field(default=None, description="What the largest value of a scale means; else null.")
    required: bool = Field(description="Must be answered whenever the item applies.")
    enable_when: ConditionView | None = Field(
        default=None, description="The item applies only when this is true; null means it always applies."
    )
    statement: str | None = Field(
        default=None,
        description="In a checklist section: the item as a plain statement to tick; null elsewhere (or to show "
        "``text``).",
    )
    negative: bool | str | list[str] | None = Field(
        default=None,
        description='In a checklist section: the answer this statement gets from "None of these apply to me" '
        "(and when left unticked while another is ticked); null for the items that follow up a ticked statement, "
        "and outside checklists.",
    )
    ticked: bool | str | None = Field(
        default=None,
        description="In a checklist section: the answer ticking this statement gives; null when ticking asks "
        "which of the other options applies (the options other than ``negative``).",
    )


class SectionView(APIModel):
    """A group of questions shown together, in order."""

    id: str = Field(description="Stable section id.", examples=["about_you"])
    title: str = Field(description="Section heading, in the response language.")
    intro: str | None = Field(default=None, description="Text to show before the questions; null if none.")
    prompt: str | None = Field(
        default=None,
        description='A checklist\'s question (for example "Which of these do you have?"); null to use the '
        "client's own words, and outside checklists.",
    )
    display: Literal["questions", "checklist"] = Field(
        default="questions",
        description="How the section is shown: ``questions`` one by one, or ``checklist``: one list of statements "
        '(the items with a ``negative``) with "None of these apply to me", which answers each statement with '
        "its ``negative``. Ticking a statement gives its ``ticked`` answer (or asks which other option applies) "
        "and shows the items that follow it up. Answers stay keyed by the items' ids.",
    )
    items: list[ItemView] = Field(description="The questions of the section, in display order.")


class QuestionnaireView(APIModel):
    """A whole questionnaire in one language: what a client needs to render it and apply its
    skip logic itself."""

    id: str = Field(description="Questionnaire id.", examples=["hip-pelvic-floor"])
    title: str = Field(description="Title, in the response language.")
    description: str = Field(description="What the questionnaire is for, to show before it starts.")
    language: str = Field(description="The language of the texts (also in Content-Language).", examples=["en"])
    languages: list[str] = Field(description="Every language the texts exist in (?lang=).")
    country: str = Field(description="Whose emergency numbers and service names the texts use.", examples=["gb"])
    countries: list[str] = Field(description="Countries the texts can be rendered for (?country=).")
    ruleset: RuleSetRef = Field(description="The rule set behind the questions.")
    disclaimer: str = Field(description="Not a diagnosis: show it before the questions.")
    emergency_number: str = Field(description="The country's emergency number, for a tel: link.", examples=["999"])
    safety_line: str = Field(
        description="Show it on every step and in every error state: how to get emergency help now.",
        examples=["If you think you need emergency help now, call 999."],
    )
    sections: list[SectionView] = Field(description="Sections in display order.")

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
                        statement=optional(f"question.{qid}.statement") if question.is_statement else None,
                        negative=_public(question.negative),
                        ticked=_public(question.ticked),
                    )
                )
            sections.append(
                SectionView(
                    id=section.id,
                    title=text(f"section.{section.id}.title"),
                    intro=optional(f"section.{section.id}.intro"),
                    prompt=optional(f"section.{section.id}.prompt") if section.is_checklist else None,
                    display="checklist" if section.is_checklist else "questions",
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
            emergency_number=texts.emergency_number,
            safety_line=text("safety_line"),
            sections=sections,
        )


def _public(answer: AnswerValue | None) -> bool | str | list[str] | None:
    """An answer as JSON has it: a multi_choice answer is a sorted list."""
    if isinstance(answer, frozenset):
        return sorted(answer)
    return None if isinstance(answer, int) and not isinstance(answer, bool) else answer


class QuestionnaireSummary(APIModel):
    """One questionnaire this service runs."""

    id: str = Field(description="Questionnaire id, for the other v1 addresses.", examples=["hip-pelvic-floor"])
    version: str = Field(description="Semantic version of its rule set.", examples=["1.0.0"])
    title: str = Field(description="Title, in the response language.")
    languages: list[str] = Field(description="Languages its texts exist in (?lang=).")


class QuestionnaireList(APIModel):
    """The questionnaires this service runs."""

    questionnaires: list[QuestionnaireSummary] = Field(description="Every questionnaire, by id.")
