"""Act at the red flag: a client looping on /progress is told to stop right after the answer
that makes an emergency certain, and a screening of just those answers returns it (real server)."""

from typing import Any

import httpx
import pytest

from app.engine import conditions as cond
from app.engine.answers import assess
from app.engine.evaluator import screen
from app.engine.levels import Level
from app.engine.ruleset import Rule
from tests.support.early_exit import emergency_cases, most_negative
from tests.support.rulesets import shipped_ruleset
from tests.support.servers import Server

BASE = "/v1/questionnaires/hip-pelvic-floor"
RULESET = shipped_ruleset()
CASES = emergency_cases(RULESET)


def _settled_after(rule: Rule, asked: list[str]) -> int:
    """The position in ``asked`` after which everything ``rule`` reads is known: the last
    question it reads that was asked, or, for one never asked, the last asked question its
    skip logic reads."""

    def last(qid: str) -> int:
        if qid in asked:
            return asked.index(qid)
        condition = RULESET.questions[qid].enable_when
        reads = [leaf.question for leaf in cond.leaves(condition)] if condition is not None else []
        return max((last(other) for other in reads), default=-1)

    return max(last(qid) for qid in rule.questions)


def test_every_emergency_golden_case_is_driven() -> None:
    assert len(CASES) >= 50


@pytest.mark.parametrize(("name", "answers"), CASES, ids=[name for name, _ in CASES])
def test_progress_stops_at_the_red_flag_and_the_screening_says_emergency_at_once(
    server: Server, name: str, answers: dict[str, object]
) -> None:
    final = screen(RULESET, answers)
    given: dict[str, object] = {}
    skipped: list[str] = []
    asked: list[str] = []
    stopped_at: int | None = None
    at_stop: tuple[dict[str, object], dict[str, Any]] | None = None
    skipped_at_stop: list[str] = []
    with httpx.Client(base_url=server.base_url) as client:
        # Go on to the end (as "Continue the questions" does), to know the whole order asked.
        for _ in range(len(RULESET.questions) + 1):
            state = client.post(f"{BASE}/progress", json={"answers": given, "skipped": skipped}).json()
            assert state["should_stop"] is (state["minimum_level"] == "emergency")
            if stopped_at is None and state["should_stop"]:
                stopped_at, at_stop = len(asked) - 1, (dict(given), state)
                skipped_at_stop = list(skipped)
            assert state["should_stop"] or stopped_at is None, f"{name}: should_stop went back to false"
            question = state["next_question"]
            if question is None:
                break
            asked.append(question)
            if question in answers:
                given[question] = answers[question]
            elif RULESET.questions[question].required:
                given[question] = most_negative(RULESET.questions[question])
            else:
                skipped.append(question)
        assert stopped_at is not None and at_stop is not None, f"{name}: should_stop never came"
        emergency_rules = [rule for rule in final.fired if rule.level is Level.EMERGENCY]
        bound = min(_settled_after(rule, asked) for rule in emergency_rules)
        assert stopped_at <= bound, (
            f"{name}: should_stop came {stopped_at - bound} question(s) after the answer that makes "
            f"{[rule.id for rule in emergency_rules]} certain ({asked[bound]})"
        )
        given, state = at_stop
        assert set(state["minimum_reasons"]) <= {rule.id for rule in final.fired}
        screened = client.post(f"{BASE}/screenings", json={"answers": given, "skipped": skipped_at_stop})
    assert screened.status_code == 200, screened.text
    result = screened.json()
    missing = assess(RULESET, given).missing_required
    assert result["level"] == "emergency"
    assert result["complete"] is (not missing)
    assert result["unanswered_required"] == list(missing)
    assert [reason["rule_id"] for reason in result["reasons"]] == state["minimum_reasons"]


def test_an_incomplete_screening_that_is_not_an_emergency_is_still_refused(server: Server) -> None:
    answers = {"ctx_answering_for": "myself", "ctx_age_years": 40, "rf_back_or_leg_pain": "back_only"}
    response = httpx.post(f"{server.base_url}{BASE}/screenings", json={"answers": answers})
    assert response.status_code == 422
    assert {error["code"] for error in response.json()["errors"]} == {"missing_required"}


def test_a_complete_screening_says_it_is_complete(server: Server) -> None:
    answers = CASES[0][1]
    result = httpx.post(f"{server.base_url}{BASE}/screenings", json={"answers": answers}).json()
    assert (result["complete"], result["unanswered_required"]) == (True, [])
