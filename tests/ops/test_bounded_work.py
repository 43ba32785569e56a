"""DOS-10 through a real server: bodies full of made-up keys or bad FHIR items get one short
answer, too many FHIR objects are not parsed, and /progress and FHIR $screen have a budget of
their own. The CPU ratios themselves are `make hostile`'s."""

import json
from pathlib import Path

import httpx
import pytest
from fhir.resources.R4B.operationoutcome import OperationOutcome

from app.api.fhir import MAX_OBJECTS
from app.engine.answers import TOO_MANY_ANSWERS
from app.engine.ruleset import RuleSet
from app.fhir.response import MAX_ISSUES
from app.schemas.problem import Problem
from tests.fhir.support import to_response
from tests.support.answers import symptom_free_adult
from tests.support.servers import Server, uvicorn_server

QUESTIONNAIRE = "/v1/questionnaires/hip-pelvic-floor"
SCREEN = "/fhir/r4/QuestionnaireResponse/$screen"
JSON = {"Content-Type": "application/json"}
FHIR_JSON = {"Content-Type": "application/fhir+json"}


@pytest.mark.server
@pytest.mark.parametrize("route", ["screenings", "progress"])
def test_an_answers_object_with_more_keys_than_questions_gets_one_issue(server: Server, route: str) -> None:
    keys = {f"rf_made_up_{n}": 1 for n in range(600)}  # under the 16 KiB body limit
    response = httpx.post(
        f"{server.base_url}{QUESTIONNAIRE}/{route}", content=json.dumps({"answers": keys}), headers=JSON
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = Problem.model_validate_json(response.content)
    assert [(e.code, e.pointer) for e in problem.errors or []] == [(TOO_MANY_ANSWERS, "#/answers")]
    assert len(response.content) < 1000 and b"made_up" not in response.content


@pytest.mark.server
def test_thousands_of_bad_fhir_items_get_a_short_outcome(server: Server, ruleset: RuleSet) -> None:
    response_document = to_response(ruleset, symptom_free_adult())
    response_document["item"] = [{"linkId": f"made-up-{n}"} for n in range(1900)]
    response = httpx.post(f"{server.base_url}{SCREEN}", content=json.dumps(response_document), headers=FHIR_JSON)
    assert response.status_code == 422
    outcome = OperationOutcome.model_validate(response.json())
    assert len(outcome.issue) == MAX_ISSUES + 1
    assert outcome.issue[-1].code == "too-costly"
    assert len(response.content) < 10_000 and b"made-up" not in response.content


@pytest.mark.server
def test_a_fhir_body_of_more_objects_than_any_response_needs_is_refused_unparsed(
    server: Server, ruleset: RuleSet
) -> None:
    response_document = to_response(ruleset, symptom_free_adult())
    first = response_document["item"][0]["item"][0]
    first["answer"] = [{"valueCoding": {"code": "x"}} for _ in range(MAX_OBJECTS)]  # about 60 KB
    response = httpx.post(f"{server.base_url}{SCREEN}", content=json.dumps(response_document), headers=FHIR_JSON)
    assert response.status_code == 422
    (issue,) = OperationOutcome.model_validate(response.json()).issue
    assert str(MAX_OBJECTS) in (issue.diagnostics or "")


@pytest.mark.server
def test_early_checks_have_a_budget_per_client_shared_by_progress_and_fhir_screen(
    tmp_path: Path, ruleset: RuleSet
) -> None:
    env = {"SCREENER_CHECK_RATE_LIMIT_PER_MINUTE": "3", "SCREENER_RATE_LIMIT_PER_MINUTE": "1"}
    answers = symptom_free_adult()
    with uvicorn_server(tmp_path, env=env) as limited, httpx.Client(base_url=limited.base_url) as client:
        progress = [client.post(f"{QUESTIONNAIRE}/progress", json={"answers": {}}) for _ in range(2)]
        screen = client.post(SCREEN, json=to_response(ruleset, answers))
        assert [r.status_code for r in (*progress, screen)] == [200, 200, 200]

        refused = client.post(f"{QUESTIONNAIRE}/progress", json={"answers": {}})
        assert refused.status_code == 429 and refused.headers["content-type"] == "application/problem+json"
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert Problem.model_validate_json(refused.content).status == 429
        fhir_refused = client.post(SCREEN, json=to_response(ruleset, answers))
        assert fhir_refused.status_code == 429
        assert OperationOutcome.model_validate(fhir_refused.json()).issue[0].code == "throttled"

        # Screenings keep their own budget (one here), untouched by the checks.
        screenings = [client.post(f"{QUESTIONNAIRE}/screenings", json={"answers": answers}) for _ in range(2)]
        assert [r.status_code for r in screenings] == [200, 429]
