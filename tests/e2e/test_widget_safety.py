"""The widget acts at the red flag (issue #12), in Chromium against the real service:

- after each screen it checks the answers so far (POST .../progress); an emergency shows the
  emergency screen at once (action first, then reasons; Change my answer / Continue), and it
  stays on top of every later screen; an urgent level shows a banner and lets the person go on;
- the safety line ("If you think you need emergency help now, call 999") is on every screen;
- network failure, 429, 503, 5xx, 15 s without an answer and a stopped server: the safety
  line, answers kept, retry after Retry-After (or a back-off) and by hand;
- the printable summary: date and time, level, each reason with the answers behind it, the
  rule-set version and the clinic's phone and booking link;
- keyboard only, and axe-core on the emergency screen and the urgent banner in English and French.
"""

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.driver import (
    AFTER_NEXT,
    PERSONAS,
    answer_step,
    key_answer,
    press,
    questions_of,
    run_flow,
    set_answer,
    shows_answer,
    state,
    tab_to,
    wait_for,
)
from tests.support.answers import complete
from tests.support.servers import Server, free_port, uvicorn_server

pytestmark = [pytest.mark.browser, pytest.mark.server]

QUESTIONNAIRE = "/v1/questionnaires/hip-pelvic-floor"
# New numbness around the bottom, every other answer negative: emergency (E01).
SADDLE = complete({"rf_saddle_numbness": "yes_new_or_worsening"})
# Pain in the hip or groin brought on by exercise or load: urgent (U05), plus bladder symptoms
# that alone would suggest pelvic floor physiotherapy (reasons below the result's level).
URGENT = complete(
    {
        "rf_exercise_load_pain": True,
        "bl_symptoms_present": True,
        "bl_onset": "longer_and_unchanged",
        "bl_urgency": "daily",
        "core_symptoms_present": True,
        "core_leak_cough_sneeze_laugh": "weekly",
    }
)
# The demo clinic of conftest.py is in gb.
NUMBER = "999"
AXE_JS = (
    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    ".filter(v => ['serious', 'critical'].includes(v.impact))"
    ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' > ')).join(', '))"
)


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1024, "height": 900})
    yield ctx
    ctx.close()


def _level_of(api_base: str, answers: dict[str, Any]) -> str:
    level: str = httpx.post(f"{api_base}{QUESTIONNAIRE}/screenings", json={"answers": answers}).json()["level"]
    return level


def _first_stop(api_base: str, answers: dict[str, Any]) -> str:
    """The title of the first screen after which the server says to stop (should_stop)."""
    document = httpx.get(f"{api_base}{QUESTIONNAIRE}").json()
    so_far: dict[str, Any] = {}
    for section in document["sections"]:
        so_far.update({item["id"]: answers[item["id"]] for item in section["items"] if item["id"] in answers})
        progress = httpx.post(f"{api_base}{QUESTIONNAIRE}/progress", json={"answers": so_far}).json()
        if progress.get("should_stop"):
            title: str = section["title"]
            return title
    raise AssertionError("the server never says to stop for these answers")


def _submit_step(page: Any, keyboard: bool = False) -> dict[str, Any]:
    if keyboard:
        tab_to(page, lambda a: a["tag"] == "BUTTON" and a["type"] == "submit")
        page.keyboard.press("Enter")
    else:
        page.locator('hip-pelvic-screener button[type="submit"]').click()
    return wait_for(page, *AFTER_NEXT)


def _answer_until(
    page: Any,
    answers: dict[str, Any],
    questions: dict[str, dict[str, Any]],
    done: Callable[[str, dict[str, Any]], bool],
    keyboard: bool = False,
    on_step: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Answer and submit steps until ``done(title of the step just submitted, state after)``."""
    current = wait_for(page, "step")
    for _ in range(40):
        title = current["heading"]
        if on_step:
            on_step(current)
        answer_step(page, answers, questions, key_answer if keyboard else set_answer)
        after = _submit_step(page, keyboard)
        if done(title, after):
            return after
        assert after["state"] == "step", f"after {title!r}: {after}"
        current = after
    raise AssertionError("never done")


def _shows_answers(page: Any, answers: dict[str, Any]) -> None:
    """Every question on the step shows the answer given before."""
    questions = questions_of(page.url.split("/embed")[0])
    for qid in state(page)["questions"]:
        assert shows_answer(page, qid, answers[qid], questions[qid]), qid


def _wait_for_reasons(page: Any) -> None:
    page.wait_for_function(
        "() => { const root = document.querySelector('hip-pelvic-screener').shadowRoot;"
        " const slot = root.querySelector('#hps-emergency-reasons');"
        " return slot && !slot.querySelector('.status-line'); }"
    )


def _axe(page: Any, where: str) -> list[str]:
    found: list[str] = page.evaluate(AXE_JS)
    return [f"{where}: {item}" for item in found]


# --- the emergency screen ------------------------------------------------------------------


def test_new_saddle_numbness_stops_at_once_change_and_continue(api: Server, context: Any, artifacts: Path) -> None:
    assert _level_of(api.base_url, SADDLE) == "emergency"
    stop_at = _first_stop(api.base_url, SADDLE)
    questions = questions_of(api.base_url)
    page = context.new_page()
    posted: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda r: posted.append({"url": r.url, **json.loads(r.post_data or "{}")}) if r.method == "POST" else None,
    )
    page.goto(f"{api.base_url}/embed/demo")

    emergency = _answer_until(page, SADDLE, questions, lambda title, after: title == stop_at)
    assert emergency["state"] == "emergency" and emergency["level"] == "emergency"
    assert emergency["focused"] == "hps-emergency-heading"
    # The check sent the answers so far (and no skipped questions: every optional one was answered).
    progress = [p for p in posted if p["url"].endswith("/progress")]
    assert progress[-1]["answers"]["rf_saddle_numbness"] == "yes_new_or_worsening"
    assert progress[-1]["skipped"] == []
    _wait_for_reasons(page)
    page.screenshot(path=str(artifacts / "safety-emergency-screen.png"), full_page=True)
    screen = page.locator("hip-pelvic-screener .emergency")
    call = screen.locator(f'a[href="tel:{NUMBER}"]')
    assert call.inner_text() == f"Call {NUMBER} now"
    assert "Do not drive yourself." in screen.inner_text()
    assert screen.locator('[data-rule="E01_CES_SADDLE_NEW"]').count() == 1
    # The action comes first, then the reasons, then the two choices.
    order = page.evaluate(
        """() => { const root = document.querySelector('hip-pelvic-screener').shadowRoot;
        const call = root.querySelector('#hps-emergency-call');
        const reason = root.querySelector('#hps-emergency-reasons li');
        const change = root.querySelector('#hps-change-answer');
        const follows = (a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
        return [follows(call, reason), follows(reason, change)]; }"""
    )
    assert order == [True, True]
    for name in ("Change my answer", "Continue the questions"):
        assert screen.get_by_role("button", name=name).count() == 1
    assert emergency["safety"] == f"tel:{NUMBER}"

    # Change my answer: back on the screen just submitted, every answer still there.
    page.locator("hip-pelvic-screener #hps-change-answer").click()
    back = wait_for(page, "step")
    assert back["heading"] == stop_at and back["focused"] == "hps-step-heading"
    _shows_answers(page, SADDLE)
    # Submitting it unchanged stops again: the person has not chosen to go on yet.
    assert _submit_step(page)["state"] == "emergency"

    # Continue the questions: the emergency advice stays on top of every later screen.
    page.locator("hip-pelvic-screener #hps-continue").click()
    later: list[dict[str, Any]] = []
    result = run_flow(page, SADDLE, questions, on_step=later.append)
    assert [s["state"] for s in later if s["state"] == "emergency"] == [], "the same emergency is not shown twice"
    assert later and all(s["notice"] == "emergency" for s in later if s["state"] != "result"), later
    assert result["level"] == "emergency" and result["notice"] is None
    page.screenshot(path=str(artifacts / "safety-emergency-result.png"), full_page=True)


def test_keyboard_only_emergency_screen(api: Server, context: Any) -> None:
    answers, level = PERSONAS["emergency"]
    stop_at = _first_stop(api.base_url, answers)
    questions = questions_of(api.base_url)
    page = context.new_page()
    page.goto(f"{api.base_url}/embed/demo")
    first = _answer_until(page, answers, questions, lambda title, after: title == stop_at, keyboard=True)
    assert first["state"] == "emergency" and first["focused"] == "hps-emergency-heading"
    # The call link is the first thing Tab reaches after the heading.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "() => document.querySelector('hip-pelvic-screener').shadowRoot.activeElement.getAttribute('href')"
    ) == (f"tel:{NUMBER}")
    # Space on "Change my answer", then Enter on Next: the emergency screen again.
    tab_to(page, lambda a: a["id"] == "hps-change-answer")
    page.keyboard.press("Space")
    back = wait_for(page, "step")
    assert back["heading"] == stop_at and back["focused"] == "hps-step-heading"
    _shows_answers(page, answers)
    assert _submit_step(page, keyboard=True)["state"] == "emergency"
    # Enter on "Continue the questions", then the rest of the flow with the keyboard.
    press(page, "#hps-continue", keyboard=True)
    after = wait_for(page, "step", "review")
    assert after["focused"] == "hps-step-heading" and after["notice"] == "emergency"
    result = run_flow(page, answers, questions, keyboard=True)
    assert result["level"] == level


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_axe_on_the_emergency_screen_and_the_urgent_banner(
    api: Server, browser: Any, axe_path: Path, artifacts: Path, lang: str
) -> None:
    # The embed page's CSP (script-src 'self') would block the injected axe script itself.
    ctx = browser.new_context(bypass_csp=True)
    try:
        questions = questions_of(api.base_url, lang)
        served = httpx.get(f"{api.base_url}{QUESTIONNAIRE}", params={"lang": lang, "country": "gb"}).json()
        problems: list[str] = []
        page = ctx.new_page()
        page.goto(f"{api.base_url}/embed/demo?lang={lang}")
        page.add_script_tag(path=str(axe_path))
        answers, _ = PERSONAS["emergency"]
        stop_at = _first_stop(api.base_url, answers)
        first = wait_for(page, "step")
        safety = page.locator("hip-pelvic-screener #hps-safety")
        assert first["safety"] == f"tel:{NUMBER}"
        if "safety_line" in served:
            assert safety.inner_text() == served["safety_line"]
        english_stop = {s["title"]: s for s in httpx.get(f"{api.base_url}{QUESTIONNAIRE}").json()["sections"]}
        stop_id = english_stop[stop_at]["id"]
        stop_title = next(s["title"] for s in served["sections"] if s["id"] == stop_id)
        emergency = _answer_until(page, answers, questions, lambda title, after: title == stop_title)
        assert emergency["state"] == "emergency"
        _wait_for_reasons(page)
        screen = page.locator("hip-pelvic-screener .emergency")
        if lang == "fr":
            assert screen.locator(f'a[href="tel:{NUMBER}"]').inner_text() == f"Appelez le {NUMBER} maintenant"
            assert "Ne conduisez pas vous-même." in screen.inner_text()
            assert screen.get_by_role("button", name="Modifier ma réponse").count() == 1
            assert screen.get_by_role("button", name="Continuer les questions").count() == 1
        problems += _axe(page, "emergency screen")
        page.screenshot(path=str(artifacts / f"safety-axe-{lang}-emergency.png"), full_page=True)
        page.locator("hip-pelvic-screener #hps-continue").click()
        assert wait_for(page, "step")["notice"] == "emergency"
        problems += _axe(page, "emergency advice on a later step")

        urgent = ctx.new_page()
        urgent.goto(f"{api.base_url}/embed/demo?lang={lang}")
        urgent.add_script_tag(path=str(axe_path))
        banner = _answer_until(urgent, URGENT, questions, lambda title, after: after["notice"] is not None)
        assert banner["state"] == "step" and banner["notice"] == "urgent_same_day"
        notice = urgent.locator("hip-pelvic-screener #hps-notice")
        assert notice.get_attribute("role") == "status"
        label = "Urgent: get help today" if lang == "en" else "Urgent\u00a0: consultez aujourd\u2019hui"
        assert label in notice.inner_text()
        problems += _axe(urgent, "urgent banner")
        urgent.screenshot(path=str(artifacts / f"safety-axe-{lang}-urgent.png"), full_page=True)
        assert not problems, "\n".join(problems)
    finally:
        ctx.close()


# --- the safety line, the urgent banner and the printable summary ----------------------------


def test_safety_line_on_every_screen_urgent_banner_and_printed_summary(
    api: Server, context: Any, artifacts: Path
) -> None:
    assert _level_of(api.base_url, URGENT) == "urgent_same_day"
    questions = questions_of(api.base_url)
    page = context.new_page()
    page.goto(f"{api.base_url}/embed/demo")
    seen: list[dict[str, Any]] = []
    result = run_flow(page, URGENT, questions, on_step=seen.append)
    assert [s["state"] for s in seen].count("step") > 10
    assert all(s["safety"] == f"tel:{NUMBER}" for s in seen), [s for s in seen if s["safety"] != f"tel:{NUMBER}"]
    # The urgent banner appears after the screen that made the level sure, then stays; never
    # an emergency screen.
    notices = [s["notice"] for s in seen if s["state"] in ("step", "review")]
    start = notices.index("urgent_same_day")
    assert start > 0 and set(notices[start:]) == {"urgent_same_day"} and set(notices[:start]) == {None}
    assert result["level"] == "urgent_same_day" and result["notice"] is None

    root = page.locator("hip-pelvic-screener")
    # Reasons at the result's level first, the others under "Also worth mentioning".
    headings = root.locator(".result h3").all_inner_texts()
    assert headings.index("Why this result") < headings.index("Also worth mentioning")
    served = httpx.post(f"{api.base_url}{QUESTIONNAIRE}/screenings", json={"answers": URGENT}).json()
    main = root.locator(".result ul.reasons").nth(0).locator("li[data-rule]")
    assert main.evaluate_all("(items) => items.map((li) => li.dataset.rule)") == [
        r["rule_id"] for r in served["reasons"] if r["level"] == "urgent_same_day"
    ]
    assert not root.locator(".reason-answers").first.is_visible()  # on paper only

    page.emulate_media(media="print")
    try:
        page.screenshot(path=str(artifacts / "safety-print-summary.png"), full_page=True)
        printed = root.locator("#hps-printed-at").inner_text()
        assert printed.startswith("Summary of your answers, ") and str(time.localtime().tm_year) in printed
        assert (
            root.locator("#hps-level").is_visible()
            and "Urgent: get help today" in root.locator("#hps-level").inner_text()
        )
        u05 = root.locator('[data-rule="U05_EXERCISE_BONE_STRESS"] .reason-answers')
        assert u05.is_visible()
        pairs = dict(zip(u05.locator("dt").all_inner_texts(), u05.locator("dd").all_inner_texts(), strict=True))
        assert pairs[questions["rf_exercise_load_pain"]["text"]] == "Yes"
        every = root.locator(".result li[data-rule]")
        assert every.count() == root.locator(".result li[data-rule] .reason-answers").count()
        assert (
            root.locator("#hps-ruleset").inner_text()
            == f"Rule set: hip-pelvic-floor, version {served['ruleset']['version']}"
        )
        clinic = root.locator("#hps-print-clinic").inner_text()
        assert "Test Pelvic Health Clinic" in clinic and "+44 20 7946 0000" in clinic
        assert "https://clinic.example.com/book" in clinic
        assert root.locator("#hps-safety").is_visible()
        assert not root.locator("button", has_text="Print summary").is_visible()
    finally:
        page.emulate_media(media="screen")


# --- failures: the safety line, answers kept, retry ------------------------------------------


def _fulfil(status: int, retry_after: str | None) -> Callable[[Any], None]:
    headers = {"Content-Type": "application/problem+json"}
    if retry_after is not None:
        headers["Retry-After"] = retry_after
    body = json.dumps({"type": "about:blank", "title": "Unavailable", "status": status, "detail": "try later"})
    return lambda route: route.fulfill(status=status, headers=headers, body=body)


def _on_first_step(api: Server, context: Any) -> tuple[Any, dict[str, dict[str, Any]], str]:
    """A page with the first step answered; returns it, the questions and that step's title."""
    questions = questions_of(api.base_url)
    page = context.new_page()
    page.goto(f"{api.base_url}/embed/demo")
    first = wait_for(page, "step")
    answer_step(page, PERSONAS["nothing_of_note"][0], questions, set_answer)
    return page, questions, str(first["heading"])


def _check_failure_screen(page: Any, cause: str) -> None:
    current = state(page)
    assert current["state"] == "check-error", current
    assert current["focused"] == "hps-failure-heading"
    failure = page.locator("hip-pelvic-screener #hps-failure")
    assert failure.get_attribute("role") == "alert"
    assert cause in failure.inner_text()
    assert failure.locator(f'a[href="tel:{NUMBER}"]').is_visible()
    assert "If you think you need emergency help now, call 999." in failure.inner_text()
    assert "Your answers are kept." in page.locator("hip-pelvic-screener .hps").inner_text()
    assert page.locator("hip-pelvic-screener").get_by_role("button", name="Try again").is_visible()


def _answers_still_there(page: Any, first_title: str) -> None:
    """Recovered: on the second step; Back shows the first step's answers."""
    current = state(page)
    assert current["state"] == "step" and current["heading"] != first_title, current
    page.locator("hip-pelvic-screener button", has_text="Back").click()
    assert wait_for(page, "step")["heading"] == first_title
    _shows_answers(page, PERSONAS["nothing_of_note"][0])


@pytest.mark.parametrize(
    ("status", "retry_after", "cause"),
    [(429, "2", "The service is busy just now."), (503, "1", "The service is busy just now.")],
)
def test_busy_answers_wait_for_retry_after_then_recover(
    api: Server, context: Any, status: int, retry_after: str, cause: str
) -> None:
    page, _, first_title = _on_first_step(api, context)
    times: list[float] = []
    refuse = _fulfil(status, retry_after)

    def handler(route: Any) -> None:
        times.append(time.monotonic())
        refuse(route)

    page.route("**/progress", handler)
    _submit_step(page)
    _check_failure_screen(page, cause)
    seconds = int(retry_after)
    unit = "second" if seconds == 1 else "seconds"
    assert page.locator("hip-pelvic-screener #hps-retry-status").inner_text() == (
        f"It will try again by itself in {seconds} {unit}."
    )
    # Still refused: the widget waits Retry-After again before the next try.
    deadline = time.monotonic() + seconds + 5
    while len(times) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert len(times) >= 2 and times[1] - times[0] >= seconds - 0.1, times
    page.unroute("**/progress")
    wait_for(page, "step", timeout=(seconds + 5) * 1000)
    _answers_still_there(page, first_title)


@pytest.mark.parametrize("mode", ["abort", "500", "timeout"])
def test_network_failure_server_error_and_timeout_recover_by_hand(api: Server, context: Any, mode: str) -> None:
    page, _, first_title = _on_first_step(api, context)
    held: list[Any] = []
    if mode == "abort":
        page.route("**/progress", lambda route: route.abort("connectionrefused"))
        cause = "The service could not be reached."
    elif mode == "500":
        page.route("**/progress", _fulfil(500, None))
        cause = "The service has a problem just now."
    else:
        page.route("**/progress", lambda route: held.append(route))  # never answered
        cause = "The service did not answer in time."
    started = time.monotonic()
    page.locator('hip-pelvic-screener button[type="submit"]').click()
    assert wait_for(page, *AFTER_NEXT, timeout=25_000)["state"] == "check-error"
    if mode == "timeout":
        assert 14.5 <= time.monotonic() - started < 20
    _check_failure_screen(page, cause)
    # No Retry-After: it still tries again by itself after a back-off; "Try again" is at hand.
    assert page.locator("hip-pelvic-screener #hps-retry-status").inner_text() == (
        "It will try again by itself in 5 seconds."
    )
    page.unroute("**/progress")
    for route in held:
        with contextlib.suppress(Exception):  # the widget gave up on it already
            route.abort()
    page.locator("hip-pelvic-screener #hps-retry").click()
    wait_for(page, "step")
    _answers_still_there(page, first_title)


def test_a_stopped_server_then_back_recovers_by_itself(context: Any, tmp_path: Path) -> None:
    port = free_port()
    env = {"SCREENER_RATE_LIMIT_PER_MINUTE": "100000"}
    with uvicorn_server(tmp_path, env, port=port) as server:
        questions = questions_of(server.base_url)
        page = context.new_page()
        page.goto(f"{server.base_url}/embed/demo")
        first = wait_for(page, "step")
        answer_step(page, PERSONAS["nothing_of_note"][0], questions, set_answer)
    # Stopped: the next screen cannot be checked.
    _submit_step(page)
    _check_failure_screen(page, "The service could not be reached.")
    with uvicorn_server(tmp_path, env, port=port):
        # The automatic retry (5 s back-off) finds the server back.
        wait_for(page, "step", timeout=20_000)
        _answers_still_there(page, str(first["heading"]))


def test_loading_and_result_failures_show_the_safety_line_and_recover(api: Server, context: Any) -> None:
    page = context.new_page()

    def questionnaire(url: str) -> bool:
        return f"{QUESTIONNAIRE}?" in url

    page.route(questionnaire, _fulfil(503, "1"))
    page.goto(f"{api.base_url}/embed/demo")
    failed = wait_for(page, "load-error")
    assert failed["safety"] == f"tel:{NUMBER}"  # the number for the page's country, before any questionnaire
    assert "The questions could not be loaded." in page.locator("hip-pelvic-screener #hps-failure").inner_text()
    page.unroute(questionnaire)
    wait_for(page, "step", timeout=6000)

    answers, level = PERSONAS["nothing_of_note"]
    questions = questions_of(api.base_url)
    _answer_until(page, answers, questions, lambda title, after: after["state"] == "review")
    page.route("**/screenings*", _fulfil(429, "1"))
    page.locator("hip-pelvic-screener #hps-submit").click()
    failed = wait_for(page, "submit-error")
    assert failed["safety"] == f"tel:{NUMBER}"
    text = page.locator("hip-pelvic-screener .hps").inner_text()
    assert "Your result could not be worked out. The service is busy just now." in text
    assert "Your answers are kept." in text
    page.unroute("**/screenings*")
    result = wait_for(page, "result", timeout=6000)
    assert result["level"] == level


def test_clinic_pages_can_read_retry_after(api: Server, clinic_site: Any, context: Any) -> None:
    """The CORS layer exposes Retry-After (and ETag) to the clinic's page."""
    refused = httpx.post(
        f"{api.base_url}{QUESTIONNAIRE}/screenings", json={"answers": {}}, headers={"Origin": clinic_site.origin}
    )
    exposed = {name.strip().lower() for name in refused.headers["access-control-expose-headers"].split(",")}
    assert {"retry-after", "etag", "content-language"} <= exposed
    page = context.new_page()
    page.goto(f"{clinic_site.origin}/element.html")
    etag = page.evaluate("async (url) => (await fetch(url)).headers.get('ETag')", f"{api.base_url}{QUESTIONNAIRE}")
    assert etag
