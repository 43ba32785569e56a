"""RFC 9457 problem details, the body of every error response."""

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from app.schemas.base import APIModel, left_out_when_none


class ProblemItem(APIModel):
    """One issue with the request, pointing at the member it is about."""

    pointer: str = Field(
        description="JSON Pointer (as a URI fragment) to the offending member, e.g. #/answers/rf_saddle_numbness; "
        "#/query/<name> for a query parameter.",
        examples=["#/answers/rf_saddle_numbness"],
    )
    code: str = Field(
        description="Stable machine-readable code: missing_required, unknown_question, invalid_type, "
        "invalid_option, out_of_range, duplicate_option, exclusive_option, unknown_field, missing_field, "
        "duplicate_key, invalid_number, invalid_parameter, too_many_answers, invalid_receipt.",
        examples=["missing_required"],
    )
    detail: str = Field(
        description="The issue in words, for developers; never repeats the submitted value.",
        examples=["'rf_saddle_numbness' applies to these answers and is required"],
    )


class Problem(APIModel):
    """An RFC 9457 problem document (application/problem+json): the body of every error."""

    type: str = Field(
        description="URI reference naming the problem type: /problems/malformed-json, /problems/invalid-body, "
        "/problems/invalid-answers, /problems/invalid-parameter, /problems/invalid-receipt, /problems/overloaded "
        "(503); about:blank for "
        "plain HTTP errors.",
        examples=["/problems/invalid-answers"],
    )
    title: str = Field(description="Short summary of the problem type.", examples=["Invalid answers"])
    status: int = Field(description="The HTTP status code.", examples=[422])
    detail: str = Field(description="What went wrong with this request, for developers.")
    instance: str = Field(description="The request path.")
    errors: list[ProblemItem] | SkipJsonSchema[None] = Field(
        default=None,
        description="Each issue found, for 422 responses; left out otherwise.",
        json_schema_extra=left_out_when_none,
    )
    reason: str | SkipJsonSchema[None] = Field(
        default=None,
        description="Why a receipt was refused (type /problems/invalid-receipt only): malformed, unknown_key, "
        "bad_signature, invalid_claims, wrong_issuer, expired or not_yet_valid; left out otherwise.",
        examples=["expired"],
        json_schema_extra=left_out_when_none,
    )
