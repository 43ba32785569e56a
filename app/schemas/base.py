"""Base class of every API model: frozen, strict about unknown fields."""

from pydantic import BaseModel, ConfigDict
from pydantic.config import JsonDict


class APIModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def left_out_when_none(schema: JsonDict) -> None:
    """Schema of a member the JSON leaves out rather than sending null (serialised with
    exclude_none or exclude_if): optional, with no null default for generated clients to expect."""
    schema.pop("default", None)
