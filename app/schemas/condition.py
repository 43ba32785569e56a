"""The structured condition format of ``enable_when``, as published to clients."""

from typing import Annotated, Literal, Union

from pydantic import ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from app.engine.conditions import ALL_OPERATORS
from app.schemas.base import APIModel, left_out_when_none

Operator = Annotated[str, Field(json_schema_extra={"enum": sorted(ALL_OPERATORS)})]


class LeafCondition(APIModel):
    """True when the answer to ``question`` satisfies ``op``; false when it is unanswered
    (except ``not_answered``). Ordinal operators on ordered options compare list positions."""

    question: str = Field(description="The question id whose answer is tested.", examples=["ctx_age_years"])
    op: Operator = Field(description="The test: equals, in, contains_any, gte, answered and so on.")
    value: bool | int | str | list[str] | list[int] | SkipJsonSchema[None] = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="Absent for answered/not_answered; a list for in, not_in, contains_any, contains_all.",
        json_schema_extra=left_out_when_none,
    )


class AllCondition(APIModel):
    """True when every item is true."""

    all: list["ConditionView"] = Field(min_length=1, description="Conditions that must all be true.")


class AnyCondition(APIModel):
    """True when at least one item is true."""

    any: list["ConditionView"] = Field(min_length=1, description="Conditions of which one must be true.")


class NotCondition(APIModel):
    """True when the item is false."""

    model_config = ConfigDict(frozen=True, extra="forbid", serialize_by_alias=True, validate_by_name=True)

    not_: "ConditionView" = Field(alias="not", description="The condition that must be false.")


class AlwaysCondition(APIModel):
    """Always true."""

    always: Literal[True] = Field(description="Always true.")


ConditionView = Union[LeafCondition, AllCondition, AnyCondition, NotCondition, AlwaysCondition]

for _model in (AllCondition, AnyCondition, NotCondition):
    _model.model_rebuild()
