"""What a receipt says: the answers, the rule set that screened them, the level, the language,
country, issuer and times (the JWS payload), written fast and read strictly."""

from typing import Any

import pydantic_core
from pydantic import BaseModel, ConfigDict, Field

from app.schemas.questionnaire import RuleSetRef
from app.schemas.screening import AnswerValue, LevelId


class ReceiptClaims(BaseModel):
    """A receipt's payload, as verified. Unknown members are ignored (a later version may add some)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    iss: str = Field(description="Who issued the receipt (the service's configured issuer).")
    iat: int = Field(description="When it was issued (seconds since 1970, UTC).")
    exp: int = Field(description="When it stops verifying (seconds since 1970, UTC).")
    questionnaire: str = Field(description="Questionnaire id.")
    ruleset: RuleSetRef = Field(description="The rule set that screened the answers: id, version, sha256.")
    level: LevelId = Field(description="The level that rule set gave.")
    language: str = Field(description="The language the result was shown in.")
    country: str = Field(description="Whose emergency numbers the texts used.")
    answers: dict[str, AnswerValue] = Field(description="Every answer sent, keyed by question id.")
    skipped: list[str] = Field(default_factory=list, description="Questions the person chose to skip.")


def payload_head(issuer: str, ruleset: RuleSetRef, language: str, country: str) -> bytes:
    """The members every receipt of one rule set, language and country shares, serialised once
    (the JSON object opened, not closed)."""
    dump = pydantic_core.to_json
    return (
        b'{"iss":'
        + dump(issuer)
        + b',"questionnaire":'
        + dump(ruleset.id)
        + b',"ruleset":'
        + ruleset.model_dump_json().encode()
        + b',"language":'
        + dump(language)
        + b',"country":'
        + dump(country)
    )


def payload(head: bytes, level: str, answers: dict[str, Any], skipped: list[str], iat: int, exp: int) -> bytes:
    """One receipt's payload: ``head`` and what this screening adds."""
    dump = pydantic_core.to_json
    return b"".join(
        (
            head,
            b',"level":"',
            level.encode(),  # a level id: plain ASCII
            b'","iat":%d,"exp":%d,"answers":' % (iat, exp),
            dump(answers),
            (b',"skipped":' + dump(skipped)) if skipped else b"",
            b"}",
        )
    )
