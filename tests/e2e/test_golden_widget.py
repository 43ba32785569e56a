"""Every golden case through the widget (issue #15): the level the widget shows equals the API's
level for the same answers, and the progress figure never goes back along the journey.

test_journey.py drives the first case of each level with real pointer and keyboard input (a few
seconds a case); here every case is driven in the page by widget_runner.js: each answer through
the control a person would use, Next on each screen, so the widget's own screens, skip logic,
early checks (POST .../progress), emergency screens, check-your-answers page and "Start again"
run, at about 0.1 s a case (the widgets are not laid out; what is drawn is checked by the other
browser tests). Cases are completed as the other journeys are (``complete``: a quiet answer to
every question that applies and was not given), so no optional question is skipped. Answers the
API ignores (to questions that do not apply) are never asked by the widget: such cases are
counted, and still compared. Every other answer must have been asked, each on one screen."""

import math
import time
from pathlib import Path
from typing import Any

import pytest

from app.engine.golden import load_cases
from tests.e2e.driver import questions_of, wait_for
from tests.support.answers import complete
from tests.support.rulesets import shipped_ruleset
from tests.support.servers import Server

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENING = "/v1/questionnaires/hip-pelvic-floor/screenings"
RUNNER = (Path(__file__).resolve().parent / "widget_runner.js").read_text()
CHUNK = 48  # cases per test: about 13 tests for pytest-xdist to share out
WIDGETS = 4  # widgets driven side by side on one page
CASES = load_cases(shipped_ruleset())


def _chunks() -> list[Any]:
    count = math.ceil(len(CASES) / CHUNK)
    return [
        pytest.param(n * CHUNK, id=f"cases-{n * CHUNK + 1:03d}-{min(len(CASES), (n + 1) * CHUNK):03d}")
        for n in range(count)
    ]


def _normal(answers: dict[str, Any]) -> dict[str, Any]:
    return {qid: sorted(value) if isinstance(value, list) else value for qid, value in answers.items()}


def _progress_problem(progress: list[list[int]]) -> str | None:
    done = [p[0] for p in progress]
    minutes = [p[1] for p in progress]
    if done != sorted(done) or minutes != sorted(minutes, reverse=True):
        return f"progress went back: {progress}"
    return None


@pytest.mark.parametrize("start", _chunks())
def test_every_golden_case_gives_the_api_level_through_the_widget(
    api: Server, browser: Any, start: int, record_property: Any
) -> None:
    began = time.monotonic()
    chunk = CASES[start : start + CHUNK]
    cases, expected, refused, ignoring = [], {}, [], 0
    for file, case, answers in chunk:
        name = f"{file}::{case.name}"
        full = complete(dict(answers))
        reply = api.client.post(SCREENING, json={"answers": full})
        if reply.status_code != 200:
            refused.append(f"{name}: {reply.status_code}")
            continue
        body = reply.json()
        ignored = set(body["ignored_answers"])
        ignoring += bool(ignored)
        expected[name] = (body["level"], {qid: full[qid] for qid in full if qid not in ignored})
        cases.append({"id": name, "answers": full})
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{api.base_url}/embed/demo")
        wait_for(page, "step")
        attributes = page.evaluate(
            "() => Object.fromEntries([...document.querySelector('hip-pelvic-screener').attributes]"
            ".filter((a) => a.name !== 'data-state').map((a) => [a.name, a.value]))"
        )
        argument = {
            "cases": cases,
            "questions": questions_of(api.base_url),
            "widgets": WIDGETS,
            "attributes": attributes,
            "timeoutMs": 15_000,
        }
        results = page.evaluate(RUNNER, argument)
    finally:
        context.close()
    problems, screens = list(refused), 0
    for result in results:
        name = result["id"]
        level, applicable = expected[name]
        screens += result["screens"]
        if result["error"]:
            problems.append(f"{name}: {result['error']}")
            continue
        if result["level"] != level:
            problems.append(f"{name}: the widget shows {result['level']}, the API gives {level}")
        if sorted(result["asked"]) != sorted(applicable):
            missed = sorted(set(applicable) - set(result["asked"]))
            problems.append(f"{name}: the widget never asked {missed} (or asked one twice)")
        sent, kept = _normal(result["sent"]), _normal(applicable)
        if sent != kept:
            wrong = sorted(qid for qid in set(sent) | set(kept) if sent.get(qid) != kept.get(qid))
            problems.append(f"{name}: the widget sent other answers than the API keeps: {wrong}")
        went_back = _progress_problem(result["progress"])
        if went_back:
            problems.append(f"{name}: {went_back}")
    seconds = time.monotonic() - began
    print(
        f"\ngolden cases {start + 1}-{start + len(chunk)}: {len(results)} of {len(chunk)} driven through the widget"
        f" ({screens} screens; {ignoring} carry answers the API ignores, never asked), {len(refused)} refused by"
        f" the API, {len(problems)} problems, {seconds:.1f} s"
    )
    # tests/conftest.py adds up the chunks in one line at the end of the run.
    record_property(
        "golden_widget",
        {"cases": len(chunk), "driven": len(results), "problems": len(problems), "seconds": round(seconds, 1)},
    )
    assert len(results) + len(refused) == len(chunk)
    assert not problems, "\n".join(problems[:20])
