"""Clinic profiles for the embeddable widget: loaded from YAML and validated once at start-up.

A profile names the clinic, its booking link and phone, its country and languages, the exact
origins allowed to embed the widget (they drive CORS and the embed page's ``frame-ancestors``)
and theme values (CSS custom properties). A broken file stops start-up with one clear message.
"""

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

_ORIGIN = re.compile(r"^https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$")
_THEME_NAME = re.compile(r"^--hps-[a-z][a-z0-9-]{0,40}$")
# Colours, lengths, font names: nothing that can end a declaration or a rule, or load anything.
_THEME_VALUE = re.compile(r"^[A-Za-z0-9#%.,()' \"-]{1,120}$")

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
        for name, css in value.items():
            if not _THEME_NAME.match(name):
                raise ValueError(f"theme key '{name}' must be a custom property starting with --hps-")
            if not _THEME_VALUE.match(css) or "url(" in css.lower() or "/*" in css:
                raise ValueError(f"theme value of '{name}' has characters a theme value cannot use")
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
        try:
            raw = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ClinicProfileError(f"{path}: cannot read the clinic profiles file ({exc.strerror})") from None
        except YAMLError as exc:
            raise ClinicProfileError(f"{path}: not valid YAML: {exc}") from None
        try:
            parsed = ClinicFile.model_validate(raw)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in error['loc']) or '(top level)'}: {error['msg']}"
                for error in exc.errors()
            )
            raise ClinicProfileError(f"{path}: invalid clinic profiles: {problems}") from None
        return cls(parsed.clinics)
