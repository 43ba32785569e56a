"""The screening endpoint through a real uvicorn server: results and every problem status."""

import json
import re
from collections.abc import Iterator

import httpx
import pytest

from app.engine.conditions import leaves
from app.engine.levels import LEVEL_IDS
from app.engine.ruleset import DOMAINS, RuleSet
from tests.support.answers import complete, symptom_free_adult
from tests.support.servers import Server, uvicorn_server

SCREENINGS = "/v1/questionnaires/hip-pelvic-floor/screenings"


def post(server: Server, answers: dict[str, object], **kwargs: object) -> httpx.Response:
    return httpx.post(f"{server.base_url}{SCREENINGS}", json={"answers": answers}, **kwargs)  # type: ignore[arg-type]


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    return body  # type: ignore[no-any-return]


def test_emergency_result_carries_everything_a_frontend_shows(server: Server, ruleset: RuleSet) -> None:
    response = post(server, {**symptom_free_adult(), "rf_saddle_numbness": "yes_new_or_worsening"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-language"] == "en"
    result = response.json()
    assert result["level"] == "emergency"
    assert result["headline"] == "Get emergency help now"
    assert [reason["rule_id"] for reason in result["reasons"]] == ["E01_CES_SADDLE_NEW"]
    reason = result["reasons"][0]
    assert reason["level"] == "emergency"
    assert "rf_saddle_numbness" in reason["questions"]
    assert {source["id"] for source in reason["sources"]} == {"S3", "S4", "S5"}
    assert all(source["url"].startswith("http") for source in reason["sources"])
    assert set(result["findings"]) == set(DOMAINS)
    assert all(f["status"] in ("none", "some", "marked") and f["text"] for f in result["findings"].values())
    assert result["next_steps"][-1] == ruleset.text("en", "safety_net")
    assert result["disclaimer"].startswith("This is not a diagnosis.")
    assert result["ruleset"] == {"id": ruleset.id, "version": ruleset.version, "sha256": ruleset.sha256}
    assert result["language"] == "en"
    assert result["ignored_answers"] == []


def test_physio_recommendation_in_french(server: Server) -> None:
    answers = complete({"bl_symptoms_present": True, "bl_urgency": "daily"})
    response = post(server, answers, params={"lang": "fr"})
    assert response.status_code == 200
    result = response.json()
    assert result["level"] == "recommend_pelvic_floor_physio"
    assert result["language"] == "fr"
    assert response.headers["content-language"] == "fr"
    assert result["findings"]["pf_bladder"]["status"] == "marked"
    assert "diagnostic" in result["disclaimer"]


def test_all_reasons_reported_most_urgent_first(server: Server) -> None:
    answers = complete(
        {
            "rf_hip_hot_swollen_red": True,
            "bl_symptoms_present": True,
            "bl_urgency": "daily",
            "rf_inflammatory_pattern": ["long_morning_stiffness", "better_with_exercise"],
        }
    )
    result = post(server, answers).json()
    levels = [reason["level"] for reason in result["reasons"]]
    assert levels[0] == "emergency" == result["level"]
    assert levels == sorted(levels, key=LEVEL_IDS.index)
    assert {"E08_HOT_SWOLLEN_JOINT", "P15_INFLAMMATORY_PATTERN", "R01_PF_SIGNIFICANT"} <= {
        r["rule_id"] for r in result["reasons"]
    }


def test_answers_to_questions_that_do_not_apply_are_ignored(server: Server) -> None:
    answers = {
        **symptom_free_adult("prostate"),
        "hip_pain_duration": "gt_12_months",  # hip_pain_present is false
        "ctx_pregnancy_status": "not_pregnant",  # no womb, ovaries or vagina listed
        "rf_vaginal_bleeding": ["none"],
    }
    result = post(server, answers).json()
    assert sorted(result["ignored_answers"]) == [
        "ctx_pregnancy_status",
        "hip_pain_duration",
        "rf_vaginal_bleeding",
    ]
    assert result["level"] == "general_advice"


def test_missing_required_answers_are_all_listed(server: Server, ruleset: RuleSet) -> None:
    body = assert_problem(post(server, {"ctx_answering_for": "myself"}), 422)
    errors: list[dict[str, str]] = body["errors"]  # type: ignore[assignment]
    missing = [e["pointer"].removeprefix("#/answers/") for e in errors if e["code"] == "missing_required"]
    unconditional = [q.id for q in ruleset.questions.values() if q.required and q.enable_when is None]
    assert set(unconditional) - {"ctx_answering_for"} <= set(missing)
    assert all(ruleset.questions[qid].required for qid in missing)
    order = list(ruleset.questions)
    assert missing == sorted(missing, key=order.index), "listed in questionnaire order"


def test_missing_optional_answer_is_accepted_as_unknown(server: Server, ruleset: RuleSet) -> None:
    answers = complete({"hip_pain_present": True, "hip_pain_duration": "from_1_to_6_weeks"})
    # Optional answers that no skip logic reads: leaving them out changes nothing else.
    read = {leaf.question for q in ruleset.questions.values() if q.enable_when for leaf in leaves(q.enable_when)}
    optional = [qid for qid in answers if not ruleset.questions[qid].required and qid not in read]
    assert optional, "the symptom-free adult answers some optional questions"
    for qid in optional:
        del answers[qid]
    response = post(server, answers)
    assert response.status_code == 200
    assert response.json()["ignored_answers"] == []


@pytest.mark.parametrize(
    ("question", "value", "code"),
    [
        ("rf_cannot_pass_urine", "no", "invalid_type"),
        ("rf_cannot_pass_urine", 0, "invalid_type"),
        ("rf_cannot_pass_urine", "off", "invalid_type"),
        ("rf_saddle_numbness", "No", "invalid_option"),
        ("rf_saddle_numbness", "no ", "invalid_option"),
        ("rf_saddle_numbness", True, "invalid_type"),
        ("ctx_age_years", 121, "out_of_range"),
        ("ctx_age_years", 40.5, "invalid_type"),
        ("ctx_age_years", "40", "invalid_type"),
        ("hip_pain_worst_week", 11, "out_of_range"),
        ("rf_inflammatory_pattern", ["none", "onset_before_45"], "exclusive_option"),
        ("rf_inflammatory_pattern", ["onset_before_45", "onset_before_45"], "duplicate_option"),
        ("rf_inflammatory_pattern", "none", "invalid_type"),
        ("rf_saddle_numbness", None, "invalid_type"),
    ],
)
def test_invalid_answer_is_a_422_naming_the_field(server: Server, question: str, value: object, code: str) -> None:
    body = assert_problem(post(server, {**symptom_free_adult(), question: value}), 422)
    assert body["type"] == "/problems/invalid-answers"
    assert body["errors"] == [
        {"pointer": f"#/answers/{question}", "code": code, "detail": body["errors"][0]["detail"]}  # type: ignore[index]
    ]


def test_unknown_question_gets_a_suggestion(server: Server) -> None:
    body = assert_problem(post(server, {**symptom_free_adult(), "rf_sadle_numbness": "no"}), 422)
    assert body["errors"][0]["code"] == "unknown_question"  # type: ignore[index]
    assert "rf_saddle_numbness" in body["errors"][0]["detail"]  # type: ignore[index]


def test_status_400_for_malformed_json(server: Server) -> None:
    response = httpx.post(
        f"{server.base_url}{SCREENINGS}", content=b'{"answers": {', headers={"Content-Type": "application/json"}
    )
    assert assert_problem(response, 400)["type"] == "/problems/malformed-json"


def test_status_404_for_unknown_questionnaire(server: Server) -> None:
    response = httpx.post(f"{server.base_url}/v1/questionnaires/nope/screenings", json={"answers": {}})
    assert_problem(response, 404)


def test_status_405_with_allow(server: Server) -> None:
    response = httpx.delete(f"{server.base_url}{SCREENINGS}")
    assert_problem(response, 405)
    assert response.headers["allow"] == "POST"


def test_status_413_for_a_large_body_even_without_content_length(server: Server) -> None:
    big = json.dumps({"answers": {"x": "y" * 20_000}}).encode()
    assert_problem(
        httpx.post(f"{server.base_url}{SCREENINGS}", content=big, headers={"Content-Type": "application/json"}), 413
    )

    def chunks() -> Iterator[bytes]:  # streamed: no Content-Length header at all
        for _ in range(40):
            yield b" " * 1024

    streamed = httpx.post(
        f"{server.base_url}{SCREENINGS}", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_problem(streamed, 413)


def test_status_415_for_non_json(server: Server) -> None:
    payload = json.dumps({"answers": symptom_free_adult()})
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"):
        response = httpx.post(f"{server.base_url}{SCREENINGS}", content=payload, headers={"Content-Type": content_type})
        assert_problem(response, 415)
    response = httpx.post(f"{server.base_url}{SCREENINGS}", content=payload.encode())
    assert_problem(response, 415)


def test_status_422_for_duplicate_keys(server: Server) -> None:
    content = b'{"answers": {"rf_cannot_pass_urine": false, "rf_cannot_pass_urine": true}}'
    body = assert_problem(
        httpx.post(f"{server.base_url}{SCREENINGS}", content=content, headers={"Content-Type": "application/json"}), 422
    )
    assert body["errors"][0]["code"] == "duplicate_key"  # type: ignore[index]


@pytest.mark.server
def test_status_429_with_retry_after(tmp_path) -> None:
    with uvicorn_server(tmp_path, env={"SCREENER_RATE_LIMIT_PER_MINUTE": "3"}) as limited:
        statuses = [post(limited, symptom_free_adult()).status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
        response = post(limited, symptom_free_adult())
        assert_problem(response, 429)
        assert 1 <= int(response.headers["retry-after"]) <= 60
        assert httpx.get(f"{limited.base_url}/v1/questionnaires").status_code == 200  # reads are not limited


@pytest.mark.server
def test_status_500_is_a_generic_problem_without_internals(tmp_path) -> None:
    with uvicorn_server(tmp_path, app="tests.support.faulty_app:create", factory=True) as faulty:
        responses = [
            httpx.get(f"{faulty.base_url}/test-only/crash"),  # behind the framework's error layer
            httpx.post(f"{faulty.base_url}/test-only/direct-crash", json={"answers": {}}),  # served directly
        ]
        for response in responses:
            body = assert_problem(response, 500)
            assert "CANARY-CRASH" not in response.text
            assert "Traceback" not in response.text
            assert body["type"] == "about:blank"
            assert response.headers["x-request-id"]  # HttpGuard sits outside both
            assert response.headers["x-content-type-options"] == "nosniff"
        log = faulty.log()
    # Logged by type and stack, never the message (a message can carry answers).
    assert "CANARY-CRASH" not in log
    crashes = [json.loads(line) for line in log.splitlines() if '"unhandled error' in line]
    assert len(crashes) == 2
    for line in crashes:
        assert line["msg"].endswith(": RuntimeError")
        assert "faulty_app.py" in line["stack"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [({}, "generic"), ({"country": "gb"}, "gb"), ({"country": "US"}, "us"), ({"country": "de"}, "generic")],
)
def test_country_selects_emergency_numbers_with_a_fallback(
    server: Server, query: dict[str, str], expected: str
) -> None:
    response = post(server, {**symptom_free_adult(), "rf_cannot_pass_urine": True}, params=query)
    assert response.status_code == 200
    result = response.json()
    assert result["country"] == expected
    assert not re.search(r"\{[a-z_]+\}", response.text)  # every placeholder was filled


def test_malformed_country_is_a_422(server: Server) -> None:
    body = assert_problem(post(server, symptom_free_adult(), params={"country": "g1b"}), 422)
    assert body["errors"][0]["pointer"] == "#/query/country"  # type: ignore[index]
