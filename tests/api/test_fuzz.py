"""API-01 (bounded for CI): schemathesis against the app's own OpenAPI document, in process,
with every default check: no 5xx, responses match the schema, every status is documented."""

from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from app.config import Settings
from app.main import create_app
from tests.support.answers import complete
from tests.support.inprocess import exchange
from tests.support.rulesets import shipped_catalog

# Rate limit off: fuzzing sends far more screenings per minute than one client may.
APP = create_app(Settings(rate_limit_per_minute=0, check_rate_limit_per_minute=0), shipped_catalog())
# Schema-valid answers may still be refused with 422 for rules JSON Schema does not carry:
# a required question that applies only given other answers, an exclusive option ("none")
# chosen with others; and a well-formed questionnaire id that names no questionnaire is a 404.
# Every other rejection of valid data (400, 413, 415, 5xx) still fails the check.
# A schema-violating request may also be refused for its size (413: a body over the limit is
# refused before it is read as JSON) or its content type (415).
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ["2xx", "304", "404", "422"]},
            "negative_data_rejection": {"expected-statuses": ["400", "401", "403", "404", "406", "413", "415", "422"]},
        }
    }
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG)


@pytest.mark.slow  # hundreds of generated requests
@schema.parametrize()
@settings(max_examples=50, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()


BAD_CHOICES: list[list[object]] = [[{}], [[]], ["none", {}]]


def test_objects_among_chosen_options_are_a_422_not_a_crash() -> None:
    """Found by schemathesis: ``[{}]`` for a multi-choice answer was a 500 (unhashable item)."""

    async def post(client: httpx.AsyncClient) -> list[httpx.Response]:
        return [
            await client.post(
                "/v1/questionnaires/hip-pelvic-floor/screenings",
                json={"answers": {**complete({}), "imp_activities_avoided": bad}},
            )
            for bad in BAD_CHOICES
        ]

    for response in exchange(APP, post):
        assert response.status_code == 422
        assert response.json()["errors"][0]["code"] == "invalid_type"
