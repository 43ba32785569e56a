"""NLM's LHC-Forms (npm ``lforms``) in a Playwright page: render a FHIR Questionnaire, answer
it through the rendered controls as a person would, read what it shows, export the response.
Playwright is imported inside functions: conftest imports this module where it may be missing."""

import contextlib
import re
from pathlib import Path
from typing import Any

E2E_DIR = Path(__file__).resolve().parent
LFORMS_DIST = E2E_DIR / "node_modules" / "lforms" / "dist" / "lforms"
# The web component build and the R4 FHIR support, as the lforms README lists them. The
# concatenated lhc-forms.js replaces runtime.js + polyfills.js + main.js.
LFORMS_FILES = (
    "webcomponent/styles.css",
    "webcomponent/assets/lib/zone.min.js",
    "webcomponent/lhc-forms.js",
    "fhir/R4/lformsFHIR.min.js",
)
# A made-up origin answered by Playwright's router from node_modules: nothing leaves the machine.
ORIGIN = "http://lhc-forms.test"
CONTAINER = "lhc-form"
# Scripts at the end of the body: lhc-forms.js appends to document.body as it loads.
PAGE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LHC-Forms</title>
<link rel="stylesheet" href="/lforms/{LFORMS_FILES[0]}"></head>
<body><main id="{CONTAINER}"></main>
<script src="/lforms/{LFORMS_FILES[1]}"></script>
<script src="/lforms/{LFORMS_FILES[2]}"></script>
<script src="/lforms/{LFORMS_FILES[3]}"></script>
</body></html>"""
_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml"}

# Rendered question items (not groups, not display items) in document order; LHC-Forms gives
# each an element id "item-<linkId>/<repetition path>" and leaves disabled items out of the DOM.
SHOWN_JS = """() => [...document.querySelectorAll('lhc-item.lhc-item-question')]
  .filter((node) => !node.classList.contains('lhc-datatype-TITLE') && node.id.startsWith('item-'))
  .filter((node) => node.getClientRects().length > 0)
  .map((node) => node.id.slice('item-'.length).split('/')[0])"""


def serve(page: Any) -> list[str]:
    """Answer ``ORIGIN`` from node_modules; returns the list of requests it could not answer."""
    missing: list[str] = []

    def handle(route: Any) -> None:
        path = route.request.url[len(ORIGIN) :].split("?")[0]
        if path == "/":
            route.fulfill(status=200, body=PAGE, content_type="text/html; charset=utf-8")
            return
        file = (LFORMS_DIST / path.removeprefix("/lforms/")).resolve()
        if path.startswith("/lforms/") and file.is_relative_to(LFORMS_DIST) and file.is_file():
            route.fulfill(status=200, body=file.read_bytes(), content_type=_TYPES.get(file.suffix, "text/plain"))
            return
        missing.append(route.request.url)
        route.fulfill(status=404, body="not found")

    page.route(f"{ORIGIN}/**", handle)
    return missing


def render(page: Any, questionnaire: dict[str, Any]) -> None:
    """Load LHC-Forms and render ``questionnaire`` (R4); raises if LHC-Forms rejects it."""
    page.goto(f"{ORIGIN}/")
    page.wait_for_function("() => !!(window.LForms && LForms.Util && LForms.FHIR && LForms.FHIR.R4)")
    outcome = page.evaluate(
        """([questionnaire, container]) => LForms.Util.addFormToPage(questionnaire, container, {fhirVersion: 'R4'})
             .then(() => 'ready', (error) => 'error: ' + String(error && (error.message || error)))""",
        [questionnaire, CONTAINER],
    )
    if outcome != "ready":
        raise AssertionError(f"LHC-Forms did not render the Questionnaire: {outcome}")


def shown(page: Any) -> list[str]:
    """linkIds of the questions LHC-Forms shows, in document order."""
    link_ids: list[str] = page.evaluate(SHOWN_JS)
    return link_ids


def settle(page: Any, expected: list[str], timeout_ms: float = 5_000) -> list[str]:
    """What LHC-Forms shows once it is ``expected``, or whatever it shows after ``timeout_ms``:
    it may re-run skip logic (enableWhenExpression) after the change event has been handled."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):  # the caller compares what is shown then
        page.wait_for_function(
            f"(expected) => JSON.stringify(({SHOWN_JS})()) === JSON.stringify(expected)",
            arg=expected,
            timeout=timeout_ms,
        )
    return shown(page)


def item_locator(page: Any, link_id: str) -> Any:
    return page.locator(f'lhc-item[id="item-{link_id}/1/1"]')


def answer(page: Any, item: dict[str, Any], value: object) -> None:
    """Answer one question with the pointer and keyboard, the way a person would: click Yes or
    No, type a number, or open the answer list and click the option's label."""
    from playwright.sync_api import expect

    link_id = item["linkId"]
    element = item_locator(page, link_id)
    if item["type"] == "boolean":
        text = "Yes" if value else "No"
        element.locator("label[nz-radio]", has_text=re.compile(rf"^\s*{text}\s*$")).click()
        expect(element.get_by_role("radio", name=text, exact=True)).to_be_checked()
        return
    field = element.locator(f'input[id="{link_id}/1/1"]')
    if item["type"] == "integer":
        field.click()
        field.fill(str(value))
        field.press("Tab")
        expect(field).to_have_value(str(value))
        return
    labels = {option["valueCoding"]["code"]: option["valueCoding"]["display"] for option in item["answerOption"]}
    chosen = [labels[str(code)] for code in (value if isinstance(value, list) else [value])]
    for text in chosen:
        field.click()
        # The list numbers its entries ("2:  Weekly"); match the whole label, not a part of it.
        page.locator("#lhc-tools-searchResults li", has_text=re.compile(rf"^\s*\d+:\s+{re.escape(text)}\s*$")).click()
    field.press("Tab")
    if item.get("repeats"):
        # Each chosen label is listed after its remove button (a multiplication sign).
        expect(element.locator(".autocomp_selected li")).to_have_text(
            [re.compile(rf"^\W*{re.escape(text)}$") for text in chosen]
        )
    else:
        expect(field).to_have_value(chosen[0])


_ANSWERED_LINK_IDS_JS = """() => {
  const found = [];
  const walk = (items) => (items || []).forEach((item) => {
    if (item.answer && item.answer.length) found.push(item.linkId);
    walk(item.item);
  });
  walk(LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4').item);
  return found;
}"""


def export_response(page: Any, answered: set[str], timeout_ms: float = 5_000) -> dict[str, Any]:
    """The QuestionnaireResponse LHC-Forms builds from what was entered (R4), once it holds an
    answer for every item in ``answered``: the form updates its model a moment after the
    control shows the value, so the last answer may not be in an export taken at once."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):  # the caller compares what the export holds
        page.wait_for_function(
            f"(expected) => ({_ANSWERED_LINK_IDS_JS})().filter((id) => expected.includes(id)).length"
            " === expected.length",
            arg=sorted(answered),
            timeout=timeout_ms,
        )
    response: dict[str, Any] = page.evaluate("() => LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4')")
    return response
