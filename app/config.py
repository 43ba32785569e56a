"""Settings from the environment (prefix SCREENER_), validated at start-up."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGED_RULES = Path(__file__).parent / "rules"
PACKAGED_CLINICS = Path(__file__).parent / "clinic_profiles" / "demo.yaml"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SCREENER_", frozen=True)

    rules_dir: Path = Field(default=PACKAGED_RULES, description="Folder holding one sub-folder per rule set.")
    max_body_bytes: int = Field(default=16 * 1024, ge=1024, le=1024 * 1024)
    rate_limit_per_minute: int = Field(
        default=60, ge=0, description="Screenings per client address per minute; 0 turns the limit off."
    )
    default_country: str | None = Field(
        default=None,
        pattern=r"^([a-z]{2}|generic)$",
        description="Country whose emergency numbers texts use when a request names none "
        "(lowercase ISO 3166 code); unset means the rule set's own default.",
    )
    log_level: str = Field(
        default="INFO",
        pattern=r"^(?i:debug|info|warning|error)$",
        description="Level of the JSON log lines on stdout (info: one access line per request).",
    )
    questionnaire_max_age: int = Field(default=300, ge=0, description="Cache lifetime of questionnaire documents.")
    clinics_file: Path = Field(
        default=PACKAGED_CLINICS,
        description="YAML file of clinic profiles for the embeddable widget (booking link, phone, allowed "
        "origins, theme); the default holds a single 'demo' clinic.",
    )
