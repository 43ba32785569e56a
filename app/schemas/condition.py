"""The structured condition format of ``enable_when``, as published to clients."""

from typing import Annotated, Literal, Union

from pydantic import ConfigDict, Field

from app.engine.conditions import ALL_OPERATORS
from app.schemas.base import APIModel

Operator = Annotated[str, Field(json_schema_extra={"enum": sorted(ALL_OPERATORS)})]


class LeafCondition(APIModel):
    """True when the answer to ``question`` satisfies ``op``; false when it is unanswered
    (except ``not_answered``). Ordinal operators on ordered options compare list positions."""

    question: str
    op: Operator
    value: bool | int | str | list[str] | list[int] | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="Absent for answered/not_answered; a list for in, not_in, contains_any, contains_all.",
    )


class AllCondition(APIModel):
    """True when every item is true."""

    all: list["ConditionView"] = Field(min_length=1)


class AnyCondition(APIModel):
    """True when at least one item is true."""

    any: list["ConditionView"] = Field(min_length=1)


class NotCondition(APIModel):
    """True when the item is false."""

    model_config = ConfigDict(frozen=True, extra="forbid", serialize_by_alias=True, validate_by_name=True)

    not_: "ConditionView" = Field(alias="not")


class AlwaysCondition(APIModel):
    always: Literal[True]


ConditionView = Union[LeafCondition, AllCondition, AnyCondition, NotCondition, AlwaysCondition]

for _model in (AllCondition, AnyCondition, NotCondition):
    _model.model_rebuild()
