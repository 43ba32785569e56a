"""Browser tests: Playwright for Python driving Debian's Chromium against real servers.

- ``api``: the service under uvicorn, with a clinic profile whose allowed origin is a local
  "clinic site" (``clinic_site``, port A); a second port (``other_site``) plays a site that
  is not allowed.
- Chromium is ``/usr/bin/chromium`` (``apt-get install chromium``); never ``playwright install``.
  Without it these tests skip locally, and fail when the ``CI`` variable is set.
"""

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.lhc_forms import LFORMS_DIST, LFORMS_FILES
from tests.support.servers import Server, uvicorn_server
from tests.support.setup_lock import made_by_one_worker

CHROMIUM = Path("/usr/bin/chromium")
E2E_DIR = Path(__file__).resolve().parent
ROOT = E2E_DIR.parents[1]
ARTIFACTS = ROOT / "test-artifacts"
AXE = E2E_DIR / "node_modules" / "axe-core" / "axe.min.js"
NODE_FILES = (AXE, *(LFORMS_DIST / name for name in LFORMS_FILES))
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _need_browser() -> None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("playwright is not installed (it is in the dev extras)")
        pytest.skip("playwright is not installed")
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing: .ci/run installs it with apt-get")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Per module: Playwright's sync API keeps an event loop current in this thread while it
    runs, which would break later tests that call asyncio.run."""
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def node_packages() -> Path:
    """tests/e2e/node_modules as package-lock.json pins it: one ``npm ci`` when a package the
    tests load is missing. --ignore-scripts: the tests only read files from the packages, and
    lforms' dependency fhirpath has a preinstall script that is not needed."""
    with made_by_one_worker(E2E_DIR / "node_modules"):
        if not all(path.exists() for path in NODE_FILES):
            npm = shutil.which("npm")
            if npm is None:
                if os.environ.get("CI"):
                    pytest.fail("npm is needed to install tests/e2e/package.json (axe-core, lforms)")
                pytest.skip("npm is not installed (tests/e2e/package.json: axe-core, lforms)")
            command = [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"]
            subprocess.run(command, cwd=E2E_DIR, check=True, timeout=600)
    return E2E_DIR / "node_modules"


@pytest.fixture(scope="session")
def axe_path(node_packages: Path) -> Path:
    return AXE


@pytest.fixture(scope="session")
def lforms_dist(node_packages: Path) -> Path:
    """NLM's LHC-Forms, as built in the npm package (the web component and the FHIR support)."""
    return LFORMS_DIST


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


class ClinicSite:
    """A tiny "clinic website" on its own port: pages that embed the screener both ways."""

    def __init__(self) -> None:
        self.api = ""
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def pages(self) -> dict[str, str]:
        api = self.api
        return {
            "/iframe.html": f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Clinic</title>
<script src="{api}/widget/v1/embed-parent.js" defer></script></head>
<body><h1>Clinic</h1><iframe src="{api}/embed/demo" title="Pelvic health check" data-hps-embed
width="100%" height="300"></iframe></body></html>""",
            "/element.html": f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Clinic</title>
<script type="module" src="{api}/widget/v1/screener.js"></script></head>
<body><h1>Clinic</h1><hip-pelvic-screener api-base="{api}" clinic="demo"></hip-pelvic-screener></body></html>""",
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                page = site.pages().get(self.path)
                body = (page or "not found").encode()
                self.send_response(200 if page else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def clinic_site() -> Iterator[ClinicSite]:
    site = ClinicSite()
    yield site
    site.close()


@pytest.fixture(scope="session")
def other_site() -> Iterator[ClinicSite]:
    site = ClinicSite()
    yield site
    site.close()


@pytest.fixture(scope="session")
def api(tmp_path_factory: pytest.TempPathFactory, clinic_site: ClinicSite, other_site: ClinicSite) -> Iterator[Server]:
    """The service, with the demo clinic allowing only ``clinic_site``'s origin."""
    _need_browser()
    folder = tmp_path_factory.mktemp("e2e")
    profiles = folder / "clinics.yaml"
    demo = {
        "id": "demo",
        "name": "Test Pelvic Health Clinic",
        "booking_url": "https://clinic.example.com/book",
        "phone": "+44 20 7946 0000",
        "country": "gb",
        "languages": ["en", "fr"],
        "allowed_origins": [clinic_site.origin],
        "theme": {"--hps-accent": "#0b5fff"},
    }
    profiles.write_text(json.dumps({"clinics": [demo]}))
    # Limits high enough for every golden case through the widget (an early check per screen).
    env = {
        "SCREENER_RATE_LIMIT_PER_MINUTE": "100000",
        "SCREENER_CHECK_RATE_LIMIT_PER_MINUTE": "100000",
        "SCREENER_CLINICS_FILE": str(profiles),
    }
    with uvicorn_server(folder, env=env) as server:
        clinic_site.api = other_site.api = server.base_url
        yield server
