"""The progress endpoint drives a whole questionnaire one question at a time (real server)."""

import httpx
import pytest

from tests.support.answers import one_case_per_level, symptom_free_adult
from tests.support.rulesets import shipped_ruleset
from tests.support.servers import Server

BASE = "/v1/questionnaires/hip-pelvic-floor"
RULESET = shipped_ruleset()


CASES = one_case_per_level(RULESET)


@pytest.mark.parametrize(("name", "answers"), CASES, ids=[name for name, _ in CASES])
def test_one_question_at_a_time_reaches_the_one_shot_result(
    server: Server, name: str, answers: dict[str, object]
) -> None:
    given: dict[str, object] = {}
    skipped: list[str] = []
    for _ in range(len(RULESET.questions) + 1):
        progress = server.client.post(f"{BASE}/progress", json={"answers": given, "skipped": skipped})
        assert progress.status_code == 200, progress.text
        state = progress.json()
        question = state["next_question"]
        if question is None:
            break
        assert question in state["applicable"]
        if question in answers:
            given[question] = answers[question]
        else:
            assert question not in state["unanswered_required"], f"{name}: a required question has no answer"
            skipped.append(question)
    else:
        pytest.fail("the loop did not finish")
    assert state["can_screen"] is True
    assert state["unanswered_required"] == []
    stepwise = server.client.post(f"{BASE}/screenings", json={"answers": given}).json()
    one_shot = server.client.post(f"{BASE}/screenings", json={"answers": answers}).json()
    assert stepwise["level"] == one_shot["level"]
    assert [r["rule_id"] for r in stepwise["reasons"]] == [r["rule_id"] for r in one_shot["reasons"]]
    assert stepwise["findings"] == one_shot["findings"]


def test_at_least_three_golden_cases_are_driven() -> None:
    assert len(CASES) >= 3


def test_empty_answers_start_at_the_first_question(server: Server) -> None:
    state = httpx.post(f"{server.base_url}{BASE}/progress", json={"answers": {}}).json()
    first = next(iter(RULESET.questions))
    assert state["next_question"] == first
    assert state["can_screen"] is False
    assert state["unanswered_required"][0] == first
    assert state["answered"] == 0


def test_progress_reports_ignored_answers_and_completion(server: Server) -> None:
    answers = {**symptom_free_adult(), "hip_pain_duration": "gt_12_months"}
    state = httpx.post(f"{server.base_url}{BASE}/progress", json={"answers": answers}).json()
    assert "hip_pain_duration" in state["ignored_answers"]
    assert state["can_screen"] is True


def test_progress_validates_like_a_screening_without_echo(server: Server) -> None:
    response = httpx.post(
        f"{server.base_url}{BASE}/progress", json={"answers": {"rf_cannot_pass_urine": "no", "SECRET7 x": 1}}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    codes = {e["code"] for e in response.json()["errors"]}
    assert codes == {"invalid_type", "unknown_question"}
    assert "SECRET7" not in response.text
    bad_skip = httpx.post(f"{server.base_url}{BASE}/progress", json={"answers": {}, "skipped": "all"})
    assert bad_skip.status_code == 422
    assert bad_skip.json()["errors"][0]["pointer"] == "#/skipped"
