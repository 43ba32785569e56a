"""Clinic profiles for the embeddable widget: loaded from YAML and validated once at start-up.

A profile names the clinic, its booking link and phone, its country and languages, the exact
origins allowed to embed the widget (they drive CORS and the embed page's ``frame-ancestors``)
and theme values (CSS custom properties). A broken file stops start-up with one clear message.
"""

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from app.clinic_theme import check_theme

_ORIGIN = re.compile(r"^https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$")

ClinicId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]


class ClinicProfileError(ValueError):
    """The clinic profiles file cannot be used; the message says which file and why."""


def check_origin(origin: str) -> str:
    """An exact origin (scheme, lowercase host, optional port), or ValueError."""
    if not _ORIGIN.match(origin):
        raise ValueError(
            f"'{origin}' is not an exact origin: use scheme://host[:port] in lowercase, "
            "with no path, no trailing slash and no wildcard"
        )
    parts = urlsplit(origin)
    if parts.port is not None and not 0 < parts.port < 65536:
        raise ValueError(f"'{origin}' has an invalid port")
    return origin


class Clinic(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: ClinicId
    name: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    booking_url: str | None = Field(default=None, max_length=500)
    phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ()-]{3,30}$")] | None = None
    country: Annotated[str, StringConstraints(pattern=r"^([a-z]{2}|generic)$")] = "generic"
    languages: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]] = Field(default=["en"], min_length=1)
    allowed_origins: list[str] = Field(default_factory=list)
    theme: dict[str, str] = Field(default_factory=dict)

    @field_validator("booking_url")
    @classmethod
    def _https_url(cls, value: str | None) -> str | None:
        if value is None:
            return value
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc or any(c in value for c in "\"'<> "):
            raise ValueError("booking_url must be an https:// URL")
        return value

    @field_validator("allowed_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            check_origin(origin)
        if len(set(value)) != len(value):
            raise ValueError("allowed_origins lists an origin twice")
        return value

    @field_validator("theme")
    @classmethod
    def _theme(cls, value: dict[str, str]) -> dict[str, str]:
        check_theme(value)
        return value


class ClinicFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    clinics: list[Clinic] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> "ClinicFile":
        ids = [clinic.id for clinic in self.clinics]
        if len(set(ids)) != len(ids):
            raise ValueError("two clinics share an id")
        return self


class Clinics:
    """The loaded profiles, by id, and the union of their allowed origins."""

    def __init__(self, clinics: Iterable[Clinic]) -> None:
        self.by_id = {clinic.id: clinic for clinic in clinics}
        self.allowed_origins = tuple(sorted({o for clinic in self.by_id.values() for o in clinic.allowed_origins}))

    def get(self, clinic_id: str) -> Clinic | None:
        return self.by_id.get(clinic_id)

    @classmethod
    def load(cls, path: Path) -> "Clinics":
        """The profiles in ``path``; ClinicProfileError's message is one line naming the file and,
        for an invalid profile, the clinic and the field."""
        try:
            raw = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ClinicProfileError(f"{path}: cannot read the clinic profiles file ({exc.strerror})") from None
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or "cannot be parsed"
            raise ClinicProfileError(f"{path}: not valid YAML{where}: {problem}") from None
        try:
            parsed = ClinicFile.model_validate(raw)
        except ValidationError as exc:
            errors = exc.errors()
            more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
            raise ClinicProfileError(f"{path}: invalid clinic profiles: {_one_line(raw, errors[0])}{more}") from None
        return cls(parsed.clinics)


def _one_line(raw: Any, error: ErrorDetails) -> str:
    """``clinic 'demo', field theme: --hps-text must be ...`` from a validation error."""
    loc = error["loc"]
    message = " ".join(error["msg"].removeprefix("Value error, ").split())
    if len(loc) >= 2 and loc[0] == "clinics" and isinstance(loc[1], int):
        clinics = raw.get("clinics") if isinstance(raw, dict) else None
        entry = clinics[loc[1]] if isinstance(clinics, list) and loc[1] < len(clinics) else None
        clinic_id = entry.get("id") if isinstance(entry, dict) else None
        # The id is the file's own text: printed with repr, it stays on one line.
        clinic = f"clinic {clinic_id!r}" if isinstance(clinic_id, str) else f"clinic #{loc[1] + 1}"
        field = ".".join(str(part) for part in loc[2:])
        return f"{clinic}, field {field}: {message}" if field else f"{clinic}: {message}"
    return f"{'.'.join(str(part) for part in loc) or '(top level)'}: {message}"
