"""The widget in Chromium: personas end to end, keyboard only, axe-core, a phone-width
viewport, embedding from an allowed and a refused origin, network and storage."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import ClinicSite
from tests.e2e.driver import PERSONAS, questions_of, run_flow, state, wait_for
from tests.shared_vectors.build import VECTORS_FILE
from tests.support.answers import complete
from tests.support.servers import Server

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENING = "/v1/questionnaires/hip-pelvic-floor/screenings"


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1024, "height": 900})
    yield ctx
    ctx.close()


def _posted_answers(page: Any) -> list[dict[str, Any]]:
    posted: list[dict[str, Any]] = []

    def record(request: Any) -> None:
        if request.method == "POST" and request.url.split("?")[0].endswith("/screenings"):
            posted.append(json.loads(request.post_data or "{}")["answers"])

    page.on("request", record)
    return posted


def _same_answers(a: dict[str, Any], b: dict[str, Any]) -> bool:
    def norm(answers: dict[str, Any]) -> dict[str, Any]:
        return {k: sorted(v) if isinstance(v, list) else v for k, v in answers.items()}

    return norm(a) == norm(b)


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_personas_complete_the_flow(api: Server, context: Any, artifacts: Path, persona: str) -> None:
    answers, level = PERSONAS[persona]
    served = httpx.post(f"{api.base_url}/v1/questionnaires/hip-pelvic-floor/screenings", json={"answers": answers})
    assert served.json()["level"] == level, "the persona no longer gives its level; update tests/e2e/driver.py"
    page = context.new_page()
    posted = _posted_answers(page)
    page.goto(f"{api.base_url}/embed/demo")
    steps: list[str] = []

    def shoot(current: dict[str, Any]) -> None:
        steps.append(current["state"])
        if current["state"] != "step" or len(steps) <= 2:
            page.screenshot(
                path=str(artifacts / f"persona-{persona}-{len(steps):02d}-{current['state']}.png"), full_page=True
            )

    result = run_flow(page, answers, questions_of(api.base_url), on_step=shoot)
    assert result["level"] == level
    assert steps[-2:] == ["review", "result"]
    # The browser's skip logic sent exactly the answers the server's skip logic asks for. An
    # emergency persona is screened twice: at the red flag (the early emergency screen), then
    # at the end after "Continue the questions".
    assert len(posted) == (2 if level == "emergency" else 1) and _same_answers(posted[-1], answers)
    root = page.locator("hip-pelvic-screener")
    assert root.locator(".level").inner_text().strip() != ""  # a text label, not colour alone
    assert "not a diagnosis" in root.locator(".disclaimer").inner_text()
    assert root.locator("#hps-result-heading").evaluate("(h) => h.getRootNode().activeElement === h")
    page.wait_for_function(
        "() => document.querySelector('hip-pelvic-screener').shadowRoot"
        ".querySelector('[aria-live]').textContent.length > 0"
    )
    booking = root.locator('a[href="https://clinic.example.com/book"]')
    if level in ("emergency", "urgent_same_day"):
        # Action first: what to do now comes straight after the headline; no booking link.
        order = root.locator(".result h2, .result h3").all_inner_texts()
        assert order[1] in ("What to do next",)
        assert booking.count() == 0
    else:
        assert booking.count() == 1
    assert "[object" not in page.locator("hip-pelvic-screener .hps").inner_text()
    if persona == "physio":
        assert root.locator(".result dl dt").count() >= 1  # findings, each with its status in words
    printed = root.locator("button", has_text="Print summary")
    assert printed.is_visible()
    page.emulate_media(media="print")
    assert not printed.is_visible()  # the print stylesheet keeps the summary only
    assert root.locator("#hps-result-heading").is_visible()
    page.emulate_media(media="screen")


def test_keyboard_only_completes_the_flow(api: Server, context: Any, artifacts: Path) -> None:
    answers, level = PERSONAS["nothing_of_note"]
    page = context.new_page()
    posted = _posted_answers(page)
    page.goto(f"{api.base_url}/embed/demo")
    wait_for(page, "step")
    result = run_flow(page, answers, questions_of(api.base_url), keyboard=True)
    assert result["level"] == level
    assert len(posted) == 1 and _same_answers(posted[0], answers)
    page.screenshot(path=str(artifacts / "keyboard-result.png"), full_page=True)


# The sensitive gates of the symptoms checklist: "Prefer not to say" beside the statement.
SENSITIVE: dict[str, object] = {"bo_symptoms_present": "prefer_not_to_say", "sx_applicable": "prefer_not_to_say"}

# The "Prefer not to say" choices on the screen: accessible name, checked, size of the row.
OTHERS_JS = """() => [...document.querySelector('hip-pelvic-screener').shadowRoot
  .querySelectorAll('input[data-other]')].map((input) => {
    const box = input.closest('.choice').getBoundingClientRect();
    return { qid: input.getAttribute('data-other'), value: input.value, checked: input.checked,
             name: input.labels[0].textContent, width: box.width, height: box.height };
  })"""


@pytest.mark.parametrize(("lang", "keyboard"), [("en", False), ("fr", True)])
def test_prefer_not_to_say_on_the_bowel_and_sex_gates(
    api: Server, browser: Any, axe_path: Path, lang: str, keyboard: bool
) -> None:
    """An unticked statement means "no": a person who would rather not say about bowel or sex
    chooses "Prefer not to say" beside it; "None of these apply to me" leaves that answer, and
    the screening gets it."""
    answers = complete(SENSITIVE)
    served = api.client.post(f"{SCREENING}?lang={lang}", json={"answers": answers}).json()
    questions = questions_of(api.base_url, lang)
    label = next(o["label"] for o in questions["bo_symptoms_present"]["options"] if o["value"] == "prefer_not_to_say")
    ctx = browser.new_context(bypass_csp=True, viewport={"width": 375, "height": 900})
    try:
        page = ctx.new_page()
        posted = _posted_answers(page)
        page.goto(f"{api.base_url}/embed/demo?lang={lang}")
        page.add_script_tag(path=str(axe_path))
        root = page.locator("hip-pelvic-screener")
        seen: list[str] = []

        def on_step(current: dict[str, Any]) -> None:
            if current["state"] == "review":
                for qid in SENSITIVE:
                    assert label in root.locator(f'[data-answer="{qid}"]').inner_text()
                if not keyboard:
                    # Change opens the screen with focus on the chosen "Prefer not to say"; Next comes back.
                    root.locator('[data-answer="bo_symptoms_present"] button').click()
                    wait_for(page, "step")
                    assert root.locator('input[data-other="bo_symptoms_present"]').evaluate(
                        "(node) => node.checked && node.getRootNode().activeElement === node"
                    )
                    root.locator('button[type="submit"]').click()
                    assert wait_for(page, "review", "step")["state"] == "review"
                seen.append("review")
            if "bo_symptoms_present" not in current["questions"] or current["state"] != "step":
                return
            shown = page.evaluate(OTHERS_JS)
            chosen = {o["qid"]: o["value"] for o in shown if o["checked"]}
            assert chosen == SENSITIVE, shown
            for other in shown:
                assert other["name"].startswith(label) and len(other["name"]) > len(label), other  # names the statement
                assert other["width"] >= 44 and other["height"] >= 44, other
            none = root.locator('input[data-none="symptoms"]')
            if not keyboard:
                # "None of these apply to me" answers the other statements and leaves "Prefer not
                # to say". (By keyboard it is not chosen: the other statements get their negative
                # at Next, as when one is ticked; the answers posted show it.)
                none.check()
                chosen = {o["qid"]: o["value"] for o in page.evaluate(OTHERS_JS) if o["checked"]}
                assert none.is_checked() and chosen == SENSITIVE, chosen
            assert root.locator("input[data-statement]:checked").count() == 0
            found = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)"
            )
            assert found == [], found
            seen.append("symptoms")

        result = run_flow(page, answers, questions, on_step=on_step, keyboard=keyboard)
        assert seen == ["symptoms", "review"]
        assert result["level"] == served["level"]
        assert len(posted) == 1 and _same_answers(posted[0], answers)
        assert {qid: posted[0][qid] for qid in SENSITIVE} == SENSITIVE
    finally:
        ctx.close()


def test_errors_are_announced_and_focused(api: Server, context: Any) -> None:
    page = context.new_page()
    page.goto(f"{api.base_url}/embed/demo")
    wait_for(page, "step")
    page.locator('hip-pelvic-screener button[type="submit"]').click()
    current = state(page)
    assert current["errors"] and "Answer this question." in current["errors"]
    assert current["focused"] == "hps-error-summary"
    summary = page.locator("hip-pelvic-screener #hps-error-summary")
    assert summary.get_attribute("role") == "alert"
    assert page.locator('hip-pelvic-screener fieldset[aria-invalid="true"]').count() >= 1


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_axe_finds_no_serious_violations_on_any_step(
    api: Server, browser: Any, axe_path: Path, artifacts: Path, lang: str, width: int
) -> None:
    # The embed page's CSP (script-src 'self') would block the injected axe script itself.
    ctx = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(f"{api.base_url}/embed/demo?lang={lang}")
        page.add_script_tag(path=str(axe_path))
        problems: list[str] = []
        seen = 0

        def check(current: dict[str, Any]) -> None:
            nonlocal seen
            seen += 1
            found = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                ".filter(v => ['serious', 'critical'].includes(v.impact))"
                ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' > ')).join(', '))"
            )
            problems.extend(f"{current['state']} {current['heading']!r}: {item}" for item in found)

        answers, _ = PERSONAS["physio"]
        wait_for(page, "step")
        assert page.locator("hip-pelvic-screener select").input_value() == lang
        page.locator('hip-pelvic-screener button[type="submit"]').click()  # the error state too
        check(state(page))
        run_flow(page, answers, questions_of(api.base_url, lang), on_step=check)
        page.screenshot(path=str(artifacts / f"axe-{lang}-{width}-result.png"), full_page=True)
        assert seen > 10
        assert not problems, "\n".join(problems)
    finally:
        ctx.close()


def test_language_switch_inside_the_widget(api: Server, context: Any) -> None:
    page = context.new_page()
    page.goto(f"{api.base_url}/embed/demo")
    current = wait_for(page, "step")
    assert current["heading"] == "About you"
    page.locator("hip-pelvic-screener select").select_option("fr")
    page.wait_for_function(
        "() => { const el = document.querySelector('hip-pelvic-screener');"
        " const h = el.shadowRoot.querySelector('h2');"
        " return el.getAttribute('data-state') === 'step' && h && h.textContent !== 'About you'; }"
    )
    french = state(page)
    assert french["state"] == "step" and french["heading"] != "About you"
    assert page.locator('hip-pelvic-screener button[type="submit"]').inner_text() == "Suivant"


def test_phone_width_has_no_horizontal_scrolling(api: Server, browser: Any, artifacts: Path) -> None:
    ctx = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=1)
    try:
        page = ctx.new_page()
        page.goto(f"{api.base_url}/embed/demo")
        wide: list[str] = []
        small: list[str] = []

        def check(current: dict[str, Any]) -> None:
            sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if sizes[0] > sizes[1]:
                wide.append(f"{current['state']} {current['heading']!r}: {sizes}")
            small.extend(f"{current['heading']!r}: {target}" for target in page.evaluate(SMALL_TARGETS_JS))

        answers, level = PERSONAS["physio"]
        result = run_flow(page, answers, questions_of(api.base_url), on_step=check)
        page.screenshot(path=str(artifacts / "phone-375-result.png"), full_page=True)
        assert result["level"] == level
        assert not wide, wide
        assert not small, small[:10]
    finally:
        ctx.close()


# Controls smaller than 44 by 44 CSS pixels (a choice counts with its label: the whole row).
SMALL_TARGETS_JS = """() => {
  const root = document.querySelector('hip-pelvic-screener').shadowRoot;
  const targets = [...root.querySelectorAll('.choice, select, button, input[type="text"]')];
  return targets.filter((node) => node.offsetParent !== null).map((node) => {
    const box = node.getBoundingClientRect();
    const name = node.className || node.tagName;
    return [name, node.textContent.trim().slice(0, 30), Math.round(box.width), Math.round(box.height)];
  }).filter(([, , width, height]) => width < 44 || height < 44).map((target) => target.join(' '));
}"""


def _widget_rendered(frame: Any) -> bool:
    try:
        return bool(
            frame.evaluate(
                "() => { const el = document.querySelector('hip-pelvic-screener');"
                " return !!(el && el.shadowRoot && el.shadowRoot.querySelector('h2')); }"
            )
        )
    except Exception:
        return False


def test_embedding_from_an_allowed_origin_renders_and_resizes(
    api: Server, context: Any, clinic_site: ClinicSite, artifacts: Path
) -> None:
    page = context.new_page()
    page.goto(f"{clinic_site.origin}/iframe.html")
    frame = page.frame_locator("iframe[data-hps-embed]")
    frame.locator("hip-pelvic-screener h2").wait_for(timeout=15_000)
    page.wait_for_function(
        "() => Number(document.querySelector('iframe[data-hps-embed]').getAttribute('data-hps-height')) > 300"
    )
    page.screenshot(path=str(artifacts / "embed-allowed-iframe.png"), full_page=True)
    # The custom element straight on the clinic page: module script and API calls pass CORS.
    element_page = context.new_page()
    element_page.goto(f"{clinic_site.origin}/element.html")
    assert wait_for(element_page, "step")["heading"] == "About you"


def test_embedding_from_another_origin_is_refused(api: Server, context: Any, other_site: ClinicSite) -> None:
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(f"{other_site.origin}/iframe.html")
    page.wait_for_timeout(1500)
    embedded = [frame for frame in page.frames if frame != page.main_frame]
    assert embedded, "the iframe is there"
    assert not any(_widget_rendered(frame) for frame in embedded)
    assert page.locator("iframe[data-hps-embed]").get_attribute("data-hps-height") is None
    assert any("frame-ancestors" in text for text in messages), messages
    # The custom element from a site that is not allowed: CORS stops the module loading.
    element_page = context.new_page()
    element_page.goto(f"{other_site.origin}/element.html")
    element_page.wait_for_timeout(1000)
    assert not _widget_rendered(element_page.main_frame)


def test_a_full_run_talks_only_to_the_api_and_stores_nothing(api: Server, context: Any) -> None:
    page = context.new_page()
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(f"{api.base_url}/")
    answers, level = PERSONAS["nothing_of_note"]
    result = run_flow(page, answers, questions_of(api.base_url))
    assert result["level"] == level
    page.wait_for_load_state("networkidle")
    assert urls and all(url.startswith(f"{api.base_url}/") for url in urls), [
        u for u in urls if not u.startswith(api.base_url)
    ]
    assert any("/screenings" in url for url in urls) and any("/embed/demo" in url for url in urls)
    assert context.cookies() == []
    for frame in page.frames:
        stored = frame.evaluate("() => [localStorage.length, sessionStorage.length, document.cookie]")
        assert stored == [0, 0, ""], frame.url


def test_the_widget_evaluator_agrees_with_the_shared_vectors(api: Server, context: Any) -> None:
    page = context.new_page()
    page.goto(f"{api.base_url}/embed/demo")
    wait_for(page, "step")
    questions = questions_of(api.base_url)
    vectors = json.loads(VECTORS_FILE.read_text())
    outcome = page.evaluate(
        """async ([vectors, questions]) => {
            const { evaluateCondition } = await import('/widget/v1/screener.js');
            const bad = vectors.filter((v) => evaluateCondition(v.condition, v.answers, questions) !== v.expected);
            return { total: vectors.length, count: bad.length, bad: bad.slice(0, 3) };
        }""",
        [vectors, questions],
    )
    assert outcome["total"] == len(vectors) and outcome["count"] == 0, outcome["bad"]
