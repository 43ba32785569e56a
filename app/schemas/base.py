"""Base class of every API model: frozen, strict about unknown fields."""

from pydantic import BaseModel, ConfigDict


class APIModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
