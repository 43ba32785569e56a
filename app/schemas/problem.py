"""RFC 9457 problem details, the body of every error response."""

from pydantic import Field

from app.schemas.base import APIModel


class ProblemItem(APIModel):
    pointer: str = Field(
        description="JSON Pointer (as a URI fragment) to the offending member, e.g. #/answers/rf_saddle_numbness; "
        "#/query/<name> for a query parameter.",
        examples=["#/answers/rf_saddle_numbness"],
    )
    code: str = Field(
        description="Stable machine-readable code: missing_required, unknown_question, invalid_type, "
        "invalid_option, out_of_range, duplicate_option, exclusive_option, unknown_field, missing_field, "
        "duplicate_key, invalid_number, invalid_parameter.",
        examples=["missing_required"],
    )
    detail: str


class Problem(APIModel):
    type: str = Field(description="URI reference naming the problem type; about:blank for plain HTTP errors.")
    title: str
    status: int
    detail: str
    instance: str = Field(description="The request path.")
    errors: list[ProblemItem] | None = None
