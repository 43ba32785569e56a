"""Receipts in Chromium: the /verify page takes a receipt from the link's fragment or pasted,
shows the verified summary and its downloads, passes axe with no serious or critical issue
and stores nothing; receipt-view.js draws a QR code that zxing-cpp reads back from a
screenshot as the verify link."""

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import zxingcpp
from PIL import Image

from tests.e2e.conftest import _need_browser
from tests.receipts.support import keys_json
from tests.support.answers import complete
from tests.support.servers import Server, uvicorn_server

pytestmark = [pytest.mark.browser, pytest.mark.server]

KEYS = keys_json("Ed25519")
PHYSIO = complete({"bl_symptoms_present": True, "bl_urgency": "daily"})
AXE_JS = (
    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    ".filter(v => ['serious', 'critical'].includes(v.impact))"
    ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' > ')).join(', '))"
)


@pytest.fixture(scope="module")
def receipts_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _need_browser()
    env = {"SCREENER_RATE_LIMIT_PER_MINUTE": "100000", "SCREENER_RECEIPT_KEYS": KEYS}
    with uvicorn_server(tmp_path_factory.mktemp("receipts-e2e"), env=env) as server:
        yield server


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    # bypass_csp: the page's CSP (script-src 'self') would block the injected axe script.
    ctx = browser.new_context(viewport={"width": 1024, "height": 900}, bypass_csp=True, accept_downloads=True)
    yield ctx
    ctx.close()


def _receipt(api: Server, answers: dict[str, object]) -> tuple[str, dict[str, Any]]:
    result = httpx.post(f"{api.base_url}/v1/questionnaires/hip-pelvic-floor/screenings", json={"answers": answers})
    assert result.status_code == 200, result.text
    token = result.json()["receipt"]
    assert isinstance(token, str)
    return token, result.json()


def _no_storage(context: Any, page: Any) -> None:
    assert context.cookies() == []
    assert page.evaluate("() => [localStorage.length, sessionStorage.length, document.cookie]") == [0, 0, ""]


PAGE_TEXTS = {
    "en": ("All answers", "genuine", "Download PDF", "Download for a health record (FHIR)"),
    "fr": ("Toutes les réponses", "authentique", "Télécharger le PDF", "Télécharger pour un dossier de santé (FHIR)"),
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_verify_page_from_the_link_shows_the_summary_passes_axe_and_stores_nothing(
    receipts_api: Server, context: Any, axe_path: Path, artifacts: Path, lang: str
) -> None:
    answers_heading, genuine, pdf_button, fhir_button = PAGE_TEXTS[lang]
    token, result = _receipt(receipts_api, PHYSIO)
    page = context.new_page()
    page.goto(f"{receipts_api.base_url}/verify?lang={lang}#{token}")
    summary = page.locator("article[data-verified]")
    summary.wait_for(timeout=15_000)
    assert summary.get_attribute("data-verified") == result["level"]
    text = summary.inner_text()
    assert result["headline"] in text
    for reason in result["reasons"]:
        assert reason["text"][:50] in text
    assert answers_heading in text
    assert genuine in page.locator("#verify-status").inner_text()
    assert page.evaluate("() => location.hash") == "", "the token leaves the address bar once read"
    assert page.get_by_role("button", name=pdf_button).count() == 1
    assert page.get_by_role("button", name=fhir_button).count() == 1
    with page.expect_download() as pdf:
        page.get_by_role("button", name=pdf_button).click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF-")
    with page.expect_download() as fhir:
        page.get_by_role("button", name=fhir_button).click()
    assert json.loads(Path(fhir.value.path()).read_text())["resourceType"] == "Bundle"
    page.add_script_tag(path=str(axe_path))
    assert page.evaluate(AXE_JS) == []
    page.screenshot(path=str(artifacts / f"receipt-verify-page-{lang}.png"), full_page=True)
    _no_storage(context, page)


def test_verify_page_takes_a_pasted_link_and_names_a_refusal(receipts_api: Server, context: Any) -> None:
    token, result = _receipt(receipts_api, complete({}))
    page = context.new_page()
    page.goto(f"{receipts_api.base_url}/verify")
    page.get_by_label("Receipt or link").fill(f"https://somewhere.example/verify#{token}")
    page.get_by_role("button", name="Check").click()
    page.locator("article[data-verified]").wait_for(timeout=15_000)
    assert result["headline"] in page.locator("article[data-verified]").inner_text()
    header, body, signature = token.split(".")
    page.get_by_label("Receipt or link").fill(f"{header}.{body}.{signature[::-1]}")
    page.get_by_role("button", name="Check").click()
    page.get_by_text("was changed or damaged").wait_for(timeout=15_000)
    assert page.locator("article[data-verified]").count() == 0
    _no_storage(context, page)


def test_receipt_view_draws_a_qr_code_that_reads_back_as_the_verify_link(
    receipts_api: Server, context: Any, artifacts: Path
) -> None:
    token, _ = _receipt(receipts_api, PHYSIO)
    page = context.new_page()
    page.goto(f"{receipts_api.base_url}/verify")
    page.evaluate(
        """async (token) => {
            const { renderReceipt } = await import('/widget/v1/receipt-view.js');
            const box = document.createElement('div');
            box.id = 'receipt-box';
            document.querySelector('main').append(box);
            renderReceipt(box, token, { apiBase: location.origin });
        }""",
        token,
    )
    qr = page.locator("#receipt-box svg[role=img]")
    qr.wait_for()
    png = qr.screenshot()
    Image.open(io.BytesIO(png)).save(artifacts / "receipt-qr.png")
    (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    link = f"{receipts_api.base_url}/verify#{token}"
    assert found.text == link
    assert page.locator("#receipt-box a.hps-receipt-link").get_attribute("href") == link
    _no_storage(context, page)


def test_the_widget_result_shows_the_receipt_as_a_qr_code_with_both_downloads(
    receipts_api: Server, context: Any, axe_path: Path, artifacts: Path
) -> None:
    from tests.e2e.driver import PERSONAS, questions_of, run_flow

    answers, level = PERSONAS["physio"]
    page = context.new_page()
    page.goto(f"{receipts_api.base_url}/embed/demo")
    assert run_flow(page, answers, questions_of(receipts_api.base_url))["level"] == level
    root = page.locator("hip-pelvic-screener")
    qr = root.locator("#hps-receipt svg[role=img]")
    qr.wait_for(timeout=15_000)
    (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    base, _, token = found.text.partition("#")
    assert base == f"{receipts_api.base_url}/verify"
    assert root.locator("#hps-receipt a.hps-receipt-link").get_attribute("href") == found.text
    verified = httpx.post(f"{receipts_api.base_url}/v1/receipts/verify", json={"token": token})
    assert verified.status_code == 200 and verified.json()["signed"]["level"] == level
    with page.expect_download() as pdf:
        root.get_by_role("button", name="Download PDF").click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF-")
    with page.expect_download() as fhir:
        root.get_by_role("button", name="Download for a health record (FHIR)").click()
    assert json.loads(Path(fhir.value.path()).read_text())["resourceType"] == "Bundle"
    page.add_script_tag(path=str(axe_path))
    assert page.evaluate(AXE_JS) == []
    page.emulate_media(media="print")  # the printed summary: the code and the link, no buttons
    assert qr.is_visible() and root.locator("#hps-receipt a.hps-receipt-link").is_visible()
    assert not root.get_by_role("button", name="Download PDF").is_visible()
    page.screenshot(path=str(artifacts / "receipt-widget-print.png"), full_page=True)
    _no_storage(context, page)
