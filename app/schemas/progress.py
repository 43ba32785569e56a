"""Progress through a questionnaire: what applies now and what is still to be asked."""

from pydantic import Field

from app.schemas.base import APIModel
from app.schemas.questionnaire import RuleSetRef
from app.schemas.screening import AnswerValue, LevelId


class ProgressRequest(APIModel):
    """Answers so far, and questions the person chose to skip (optional ones only matter)."""

    answers: dict[str, AnswerValue] = Field(
        max_length=500, description="The answers given so far.", examples=[{"ctx_answering_for": "myself"}]
    )
    skipped: list[str] = Field(
        default_factory=list,
        max_length=500,
        description="Question ids the person chose not to answer; they are not offered again as next_question.",
    )


class ProgressView(APIModel):
    """Where a person is in the questionnaire: what applies, what is left, what to ask next."""

    questionnaire: str = Field(description="Questionnaire id.", examples=["hip-pelvic-floor"])
    next_question: str | None = Field(
        description="The first question that applies and is neither answered nor skipped; null when done."
    )
    applicable: list[str] = Field(description="Questions that apply to these answers, in order.")
    unanswered_required: list[str] = Field(
        description="Required questions that apply and are unanswered, in order; a screening needs none left."
    )
    ignored_answers: list[str] = Field(description="Answers to questions that do not apply; a screening ignores them.")
    answered: int = Field(description="How many applicable questions are answered.")
    can_screen: bool = Field(
        description="True when a screening with these answers would be accepted: nothing required is missing, "
        "or should_stop is true."
    )
    minimum_level: LevelId = Field(
        description="The least urgent level these answers can still lead to, however the questions that may "
        "still apply get answered (general_advice when no rule is sure to fire yet). It never goes down as "
        "answers are added, and equals the screening's level once nothing is left to answer."
    )
    minimum_reasons: list[str] = Field(
        description="Ids of the rules that are sure to fire whatever the remaining answers, most urgent first."
    )
    should_stop: bool = Field(
        description="True exactly when minimum_level is emergency: stop asking, and show the emergency advice now "
        "(a screening with these answers returns it, marked complete: false)."
    )
    ruleset: RuleSetRef = Field(description="The rule set that checked the answers.")
