"""Receipt verification: the request (a token) and the verified summary it gets back."""

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from app.receipts.tokens import MAX_TOKEN_LENGTH
from app.schemas.base import APIModel, left_out_when_none
from app.schemas.questionnaire import RuleSetRef
from app.schemas.screening import AnswerValue, LevelId, ScreeningResult


class VerifyRequest(APIModel):
    """A receipt to verify, as the screening result's ``receipt`` gave it."""

    token: str = Field(
        max_length=MAX_TOKEN_LENGTH,
        pattern=r"^[A-Za-z0-9_.-]*$",
        description="The receipt: a compact JWS (three base64url parts joined by dots).",
    )
    clinic: str | SkipJsonSchema[None] = Field(
        default=None,
        max_length=64,
        description="Optional clinic id: the PDF then ends with that clinic's contact details.",
        json_schema_extra=left_out_when_none,
    )


class SignedView(APIModel):
    """What the receipt itself says about the result, as signed."""

    questionnaire: str = Field(description="Questionnaire id.", examples=["hip-pelvic-floor"])
    ruleset: RuleSetRef = Field(description="The rule set that screened the answers when the receipt was issued.")
    level: LevelId = Field(description="The level it gave then.")
    language: str = Field(description="The language the result was shown in.", examples=["en"])
    country: str = Field(description="Whose emergency numbers the texts used.", examples=["gb"])


class AnsweredView(APIModel):
    """One answer, with the question and the answer as the person saw them."""

    question: str = Field(description="Question id.", examples=["bl_urgency"])
    text: str = Field(description="The question, in the receipt's language.")
    answer: str = Field(description="The answer as shown to the person (option labels, Yes or No, numbers).")
    value: AnswerValue = Field(description="The answer as sent.")


class AnswerSectionView(APIModel):
    """The answers of one section of the questionnaire, in its order."""

    id: str = Field(description="Section id.", examples=["bladder"])
    title: str = Field(description="Section heading, in the receipt's language.")
    answers: list[AnsweredView] = Field(description="The answers given in this section.")


class VerifiedReceipt(APIModel):
    """A receipt that verified: who signed it and when, what it says, and its answers screened
    again by the rule set served now."""

    valid: bool = Field(description="Always true: a receipt that does not verify gets a 422 problem.")
    key_id: str = Field(description="The id (kid) of the key that signed it, in /.well-known/jwks.json.")
    issuer: str = Field(description="Who issued it.")
    issued_at: str = Field(description="When it was issued (ISO 8601, UTC).", examples=["2026-12-02T19:40:00Z"])
    expires_at: str = Field(description="When it stops verifying (ISO 8601, UTC).")
    signed: SignedView = Field(description="The result as the receipt states it.")
    served_ruleset: RuleSetRef | None = Field(
        description="The version of the rule set served now; null when the questionnaire is no longer served."
    )
    same_ruleset: bool = Field(
        description="True when the rule set served now is the one that issued the receipt (same version and "
        "sha256): the result below then is the receipt's result, screened again."
    )
    notes: list[str] = Field(description="What to know about this verification (another rule-set version...).")
    result: ScreeningResult | None = Field(
        description="The receipt's answers screened again by the rule set served now, in the receipt's language; "
        "null when that is not possible (the questionnaire is gone, or the answers no longer fit it)."
    )
    answers: list[AnswerSectionView] = Field(description="Every answer, grouped by section, in questionnaire order.")
    skipped: list[str] = Field(description="Questions the person chose to skip.")
