"""Settings from the environment (prefix SCREENER_), validated at start-up."""

import ipaddress
from pathlib import Path
from typing import Annotated, Self

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGED_RULES = Path(__file__).parent / "rules"
PACKAGED_CLINICS = Path(__file__).parent / "clinic_profiles" / "demo.yaml"
Bytes = Annotated[int, Field(ge=1024, le=1024 * 1024)]


class Settings(BaseSettings):
    # validate_by_name: the fields with an alias (uvicorn's own variable names) can still be set
    # by field name in code, as Settings(limit_concurrency=...).
    model_config = SettingsConfigDict(env_prefix="SCREENER_", frozen=True, validate_by_name=True)

    rules_dir: Path = Field(default=PACKAGED_RULES, description="Folder holding one sub-folder per rule set.")
    max_body_bytes: Bytes = Field(default=16 * 1024)
    max_fhir_body_bytes: Bytes = Field(
        default=128 * 1024,
        description="Body limit of FHIR $screen: form renderers repeat every item's text and every "
        "answer's display, so a complete QuestionnaireResponse can reach about 80 KB.",
    )
    rate_limit_per_minute: int = Field(
        default=60, ge=0, description="Screenings per client address per minute; 0 turns the limit off."
    )
    check_rate_limit_per_minute: int = Field(
        default=300,
        ge=0,
        description="Early checks (POST .../progress and FHIR $screen, which form renderers also call on "
        "responses in progress) per client address per minute. A client that checks after every answer "
        "needs one per question, so the budget fits a whole questionnaire twice; 0 turns the limit off.",
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
    max_in_flight: int = Field(
        default=100,
        ge=0,
        description="Requests the app works on at once (probes and /metrics aside); the next one gets a "
        "503 problem with Retry-After at once instead of waiting. 0 turns the cap off.",
    )
    max_queue_delay_ms: int = Field(
        default=500,
        ge=0,
        description="Load shedding on queueing delay: while the event loop runs this many milliseconds "
        "behind (CPU overload; requests wait in its queue, not in flight), new requests get the same "
        "immediate 503 problem; probes and /metrics are exempt. 0 turns it off.",
    )
    body_timeout: float = Field(
        default=10.0,
        ge=0.5,
        le=300,
        description="Seconds from the end of the headers within which the whole body must arrive; a "
        "slower one gets a 408 problem and the connection closes.",
    )
    max_headers: int = Field(default=100, ge=10, le=1000, description="Header fields per request; more get 431.")
    max_header_bytes: Bytes = Field(
        default=16 * 1024,
        description="Bytes of header names and values per request; more get 431 (a proxy in front "
        "usually refuses long header lines first).",
    )
    receipt_keys: SecretStr | None = Field(
        default=None,
        description="The keys that sign receipts, as a JWKS of private JWKs (Ed25519 or P-256): the first "
        "signs, the others only verify (keep a retired key until its receipts expire). `python -m "
        "app.receipts.keys` makes one. Unset (and no receipt_keys_file): a key is made at start-up and "
        "receipts die with the process.",
    )
    receipt_keys_file: Path | None = Field(default=None, description="The same JWKS, read from this file.")
    receipt_issuer: str = Field(
        default="hip-pelvic-screener",
        min_length=1,
        max_length=200,
        description="The iss of receipts; only receipts of this issuer verify. Use the service's public URL.",
    )
    receipt_ttl_days: int = Field(default=30, ge=1, le=366, description="How long a receipt verifies.")
    # `screener serve` hands the next two to uvicorn. Each also reads uvicorn's own variable name,
    # which the image sets because it runs the uvicorn command itself: one name works either way.
    limit_concurrency: int = Field(
        default=1000,
        ge=0,
        validation_alias=AliasChoices("SCREENER_LIMIT_CONCURRENCY", "UVICORN_LIMIT_CONCURRENCY"),
        description="uvicorn's connection-level backstop: beyond this many open connections or tasks it "
        "answers a bare 503 itself. Keep it above max_in_flight (idle keep-alive connections count too). "
        "0 turns it off.",
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1,::1",
        validation_alias=AliasChoices("SCREENER_FORWARDED_ALLOW_IPS", "FORWARDED_ALLOW_IPS"),
        description="Comma-separated addresses or CIDR networks of the proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed; the client address (and so the rate-limit bucket) of anyone else "
        "is the connection's own. Behind an ingress, list the ingress addresses.",
    )

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _addresses_or_networks(cls, value: str) -> str:
        if value == "*":  # uvicorn's "trust everyone": only for a proxy on the same host
            return value
        for item in value.split(","):
            # uvicorn would keep an unparsable item as a literal that no peer matches: a typo
            # would trust nobody, silently. ValueError names the item instead.
            ipaddress.ip_network(item.strip(), strict=False)
        return value

    @model_validator(mode="after")
    def _backstop_above_the_cap(self) -> Self:
        if self.max_in_flight and 0 < self.limit_concurrency <= self.max_in_flight:
            raise ValueError(
                f"limit_concurrency ({self.limit_concurrency}) must be above max_in_flight ({self.max_in_flight}), "
                "or uvicorn's bare 503 comes before the app's problem document"
            )
        return self
