"""What a journey through the widget costs (issue #15), counted and printed: screens, pointer
clicks and key presses, with progress that never goes back; golden cases give the same level
through the widget as through the API; the service's pages at phone width."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.engine.golden import load_cases
from tests.e2e.driver import questions_of, reset_tally, run_flow, wait_for
from tests.support.answers import complete
from tests.support.rulesets import shipped_ruleset
from tests.support.servers import Server

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENING = "/v1/questionnaires/hip-pelvic-floor/screenings"

# The second person: a weekly leak when coughing, long-standing, and pain on the outer
# side of the hip for 4 months.
LEAK_AND_HIP = {
    "core_symptoms_present": True,
    "core_leak_cough_sneeze_laugh": "weekly",
    "hip_pain_present": True,
    "hip_pain_location": ["outer_side_of_hip"],
    "hip_pain_duration": "from_3_to_12_months",
    "hip_pain_onset": "gradual",
    "hip_pain_trend": "same",
}


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


def _journey(api: Server, context: Any, answers: dict[str, Any], keyboard: bool = False) -> tuple[Any, str]:
    page = context.new_page()
    page.goto(f"{api.base_url}/embed/demo")
    wait_for(page, "step")
    tally = reset_tally()
    result = run_flow(page, answers, questions_of(api.base_url), keyboard=keyboard)
    assert tally.progress == sorted(tally.progress), f"progress went back: {tally.progress}"
    page.close()
    return tally, result["level"]


@pytest.mark.parametrize("anatomy", ["prostate", "vulva"])
def test_a_symptom_free_adult_by_pointer(api: Server, context: Any, anatomy: str) -> None:
    tally, level = _journey(api, context, complete({}, anatomy))
    print("\n" + tally.line(f"symptom-free adult ({anatomy}), pointer"))
    assert level == "general_advice"
    assert tally.screens <= 12 and tally.clicks <= 40, tally


@pytest.mark.parametrize("anatomy", ["prostate", "vulva"])
def test_a_symptom_free_adult_by_keyboard_only(api: Server, context: Any, anatomy: str) -> None:
    tally, level = _journey(api, context, complete({}, anatomy), keyboard=True)
    print("\n" + tally.line(f"symptom-free adult ({anatomy}), keyboard only"))
    assert level == "general_advice"
    assert tally.clicks == 0 and tally.keys <= 100, tally


def test_a_weekly_leak_and_outer_hip_pain(api: Server, context: Any) -> None:
    answers = complete(LEAK_AND_HIP)
    expected = httpx.post(f"{api.base_url}{SCREENING}", json={"answers": answers}).json()["level"]
    tally, level = _journey(api, context, answers)
    print("\n" + tally.line(f"weekly leak on coughing and outer hip pain for 4 months ({level})"))
    assert level == expected
    assert tally.screens <= 14 and tally.clicks <= 70, tally


def _golden_journeys() -> list[Any]:
    """The first golden case of each level (completed quietly), as params: every level's
    journey, a few seconds each (all cases go through the API in tests/rules)."""
    ruleset = shipped_ruleset()
    chosen: dict[str, Any] = {}
    for file, case, answers in load_cases(ruleset):
        key = case.expect.level
        if key not in chosen:
            chosen[key] = pytest.param(complete(dict(answers)), id=f"{Path(file).stem}::{case.name}"[:80])
    return list(chosen.values())


@pytest.mark.parametrize("answers", _golden_journeys())
def test_golden_cases_give_the_api_level_with_progress_that_never_goes_back(
    api: Server, context: Any, answers: dict[str, Any]
) -> None:
    expected = httpx.post(f"{api.base_url}{SCREENING}", json={"answers": answers}).json()["level"]
    tally, level = _journey(api, context, answers)
    print("\n" + tally.line(f"golden case ({level})") + f"; progress {tally.progress}")
    assert level == expected


@pytest.mark.parametrize("path", ["/", "/accessibility", "/accessibility?lang=fr", "/embed/demo"])
def test_service_pages_at_phone_width(api: Server, browser: Any, axe_path: Path, path: str) -> None:
    ctx = browser.new_context(viewport={"width": 375, "height": 740}, bypass_csp=True)
    try:
        page = ctx.new_page()
        page.goto(f"{api.base_url}{path}")
        page.wait_for_load_state("networkidle")
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert sizes[0] <= sizes[1], f"{path} scrolls sideways at 375 pixels: {sizes}"
        page.add_script_tag(path=str(axe_path))
        found = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)"
        )
        assert found == [], f"{path}: {found}"
        icon = httpx.get(f"{api.base_url}/favicon.ico")
        assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/")
    finally:
        ctx.close()


def test_check_your_answers_is_compact_and_change_comes_back_to_it(api: Server, context: Any) -> None:
    page = context.new_page()
    page.goto(f"{api.base_url}/embed/demo")
    answers = complete(LEAK_AND_HIP)
    questions = questions_of(api.base_url)
    reached: list[dict[str, Any]] = []

    def stop_at_review(current: dict[str, Any]) -> None:
        if current["state"] == "review" and not reached:
            reached.append(current)
            raise _AtReview

    with pytest.raises(_AtReview):
        run_flow(page, answers, questions, on_step=stop_at_review)
    root = page.locator("hip-pelvic-screener")
    height = page.evaluate("() => document.documentElement.scrollHeight")
    rows = root.locator("[data-answer]").count()
    print(f"\ncheck your answers: {rows} lines, {height} pixels tall at 1280 pixels wide")
    # A checklist answered "None of these" is one line (two lists shown as one on their screen too).
    none = root.locator('[data-answer="red_flags_sudden_pain"]').inner_text()
    titles = {
        section["id"]: section["title"]
        for section in httpx.get(f"{api.base_url}/v1/questionnaires/hip-pelvic-floor").json()["sections"]
    }
    assert none.count("None of these apply to me") == 1 and titles["red_flags_circulation"] in none
    # Change one answer: its screen opens with focus on it; Next comes straight back.
    root.locator('[data-answer="hip_pain_trend"] button').click()
    step = wait_for(page, "step")
    assert "hip_pain_trend" in step["questions"]
    assert root.locator('input[name="hip_pain_trend"][value="same"]').evaluate(
        "(node) => node.getRootNode().activeElement === node"
    )
    root.locator('input[name="hip_pain_trend"][value="worse"]').check()
    root.locator('button[type="submit"]').click()
    back = wait_for(page, "review", "step", "emergency")
    assert back["state"] == "review", back
    worse = next(o["label"] for o in questions["hip_pain_trend"]["options"] if o["value"] == "worse")
    assert worse in root.locator('[data-answer="hip_pain_trend"]').inner_text()


class _AtReview(Exception):
    pass


def test_headings_take_focus_without_a_box_and_french_spacing(api: Server, context: Any) -> None:
    page = context.new_page()
    page.goto(f"{api.base_url}/embed/demo?lang=fr")
    wait_for(page, "step")
    page.locator('hip-pelvic-screener button[type="submit"]').click()  # the error summary too
    heading = page.locator("hip-pelvic-screener h2")
    heading.evaluate("(h) => h.focus()")
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        outline = heading.evaluate("(h) => [h.getRootNode().activeElement === h, getComputedStyle(h).outlineStyle]")
        assert outline == [True, "none"], (media, outline)
    page.emulate_media(media="screen")
    # French typography: a no-break space (never a plain one) before : ; ? ! in what is shown.
    text = page.locator("hip-pelvic-screener .hps").inner_text()
    plain = [text[max(0, n - 20) : n + 2] for n in range(1, len(text)) if text[n] in ":;?!" and text[n - 1] == " "]
    assert plain == [], plain
    assert "\u00a0?" in text
