"""The widget's routes and headers, CORS over the clinics' allowed origins, and clinic profiles."""

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.clinics import ClinicProfileError, Clinics
from app.config import PACKAGED_CLINICS, Settings
from app.main import create_app
from tests.support.rulesets import shipped_catalog

ROOT = Path(__file__).resolve().parents[2]
CLINIC = "https://clinic.example.com"
SCREENING = "/v1/questionnaires/hip-pelvic-floor/screenings"


@pytest.fixture(scope="module")
def app() -> Any:
    return create_app(Settings(rate_limit_per_minute=0), shipped_catalog())


def request(app: Any, method: str, path: str, **options: Any) -> httpx.Response:
    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.request(method, path, **options)

    return asyncio.run(run())


# --- static scripts ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["screener.js", "embed-parent.js", "embed-boot.js"])
def test_widget_scripts_are_served_as_javascript(app: Any, name: str) -> None:
    response = request(app, "GET", f"/widget/v1/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content == (ROOT / "app" / "web" / name).read_bytes()


def test_the_widget_loads_nothing_from_elsewhere_and_stores_nothing() -> None:
    source = (ROOT / "app" / "web" / "screener.js").read_text()
    for forbidden in ("localStorage", "sessionStorage", "document.cookie", "indexedDB", "http://", "https://", "eval("):
        assert forbidden not in source, forbidden
    assert "export function evaluateCondition(condition, answers, questions)" in source
    boot = (ROOT / "app" / "web" / "embed-boot.js").read_text()
    assert '"*"' not in boot and "'*'" not in boot


def test_clinic_profile_json_is_public_data_only(app: Any) -> None:
    profile = request(app, "GET", "/widget/v1/clinics/demo.json").json()
    assert profile["id"] == "demo" and profile["booking_url"].startswith("https://")
    assert "allowed_origins" not in profile
    assert request(app, "GET", "/widget/v1/clinics/nope.json").status_code == 404


# --- embed page --------------------------------------------------------------------------


def test_embed_page_headers(app: Any) -> None:
    response = request(app, "GET", "/embed/demo")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    assert "x-frame-options" not in response.headers
    csp = response.headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["frame-ancestors"] == "'self' https://clinic.example.com https://www.clinic.example.com"
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert directives["default-src"] == "'none'"
    assert "*" not in csp and "unsafe" not in csp
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "camera=()" in response.headers["permissions-policy"]
    assert "<script>" not in response.text and "<script " not in response.text.replace('<script type="module" src=', "")
    assert '<hip-pelvic-screener api-base="" clinic="demo" lang="en" country="gb"' in response.text


def test_embed_page_language_comes_from_the_clinic_with_a_lang_override(app: Any) -> None:
    assert 'lang="fr" country="gb"' in request(app, "GET", "/embed/demo?lang=fr").text
    assert 'lang="en"' in request(app, "GET", "/embed/demo?lang=xx").text
    assert 'lang="en"' in request(app, "GET", "/embed/demo?lang=%3Cscript%3E").text


def test_unknown_clinic_is_404_and_cannot_be_framed(app: Any) -> None:
    response = request(app, "GET", "/embed/nobody")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert request(app, "GET", "/embed/nobody/theme.css").status_code == 404


def test_theme_css_holds_only_the_clinic_custom_properties(app: Any) -> None:
    response = request(app, "GET", "/embed/demo/theme.css")
    assert response.headers["content-type"] == "text/css; charset=utf-8"
    assert "--hps-accent: #0b5fff;" in response.text


def test_other_pages_keep_x_frame_options(app: Any) -> None:
    for path in ("/", "/v1/questionnaires", "/widget/v1/screener.js"):
        response = request(app, "GET", path)
        assert response.headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path


def test_landing_page_demonstrates_both_embedding_ways(app: Any) -> None:
    page = request(app, "GET", "/")
    assert "<hip-pelvic-screener" in page.text and 'src="/embed/demo"' in page.text
    assert 'href="/docs"' in page.text and 'href="/openapi.json"' in page.text
    assert "does not give a diagnosis" in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-src 'self'" in csp and "frame-ancestors 'none'" in csp


# --- CORS --------------------------------------------------------------------------------


def test_allowed_origin_is_echoed_with_vary_and_no_credentials(app: Any) -> None:
    response = request(app, "GET", "/v1/questionnaires", headers={"Origin": CLINIC})
    assert response.headers["access-control-allow-origin"] == CLINIC
    assert "Origin" in [v.strip() for v in response.headers["vary"].split(",")]
    assert "access-control-allow-credentials" not in response.headers
    post = request(app, "POST", SCREENING, headers={"Origin": CLINIC}, json={"answers": {}})
    assert post.headers["access-control-allow-origin"] == CLINIC
    assert "access-control-allow-credentials" not in post.headers


def test_preflight_for_an_allowed_origin(app: Any) -> None:
    response = request(
        app,
        "OPTIONS",
        SCREENING,
        headers={
            "Origin": CLINIC,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == CLINIC
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "content-type" in response.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in response.headers
    assert "Origin" in response.headers["vary"]


@pytest.mark.parametrize(
    "origin",
    [
        "https://clinic.example.com.evil.net",
        "https://evilclinic.example.com",
        "https://evil.net",
        "http://clinic.example.com",
        "https://clinic.example.com:8443",
        "https://CLINIC.EXAMPLE.COM",
        "https://clinic.example.com/",
        "null",
        "*",
        "",
    ],
)
def test_other_origins_get_no_cors_headers(app: Any, origin: str) -> None:
    get = request(app, "GET", "/v1/questionnaires", headers={"Origin": origin})
    assert "access-control-allow-origin" not in get.headers
    post = request(app, "POST", SCREENING, headers={"Origin": origin}, json={"answers": {}})
    assert "access-control-allow-origin" not in post.headers
    preflight = request(app, "OPTIONS", SCREENING, headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.status_code in (400, 405)


def test_no_origin_no_cors_headers(app: Any) -> None:
    response = request(app, "POST", SCREENING, json={"answers": {}})
    assert not [name for name in response.headers if name.startswith("access-control-")]


def test_without_allowed_origins_there_is_no_cors_layer(tmp_path: Path) -> None:
    profiles = tmp_path / "clinics.yaml"
    profiles.write_text("clinics:\n  - id: solo\n    name: Solo\n")
    app = create_app(Settings(clinics_file=profiles), shipped_catalog())
    response = request(app, "GET", "/v1/questionnaires", headers={"Origin": CLINIC})
    assert "access-control-allow-origin" not in response.headers
    embed = request(app, "GET", "/embed/solo")
    assert embed.headers["content-security-policy"].endswith("frame-ancestors 'self'")


# --- clinic profiles ---------------------------------------------------------------------


def test_the_packaged_demo_clinic_loads() -> None:
    clinics = Clinics.load(PACKAGED_CLINICS)
    demo = clinics.get("demo")
    assert demo is not None and demo.languages == ["en", "fr"] and demo.country == "gb"
    assert clinics.allowed_origins == ("https://clinic.example.com", "https://www.clinic.example.com")


_VALID = {"id": "a", "name": "A", "allowed_origins": ["https://a.example"]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"allowed_origins": ["https://*.example.com"]}, "not an exact origin"),
        ({"allowed_origins": ["*"]}, "not an exact origin"),
        ({"allowed_origins": ["https://a.example/"]}, "not an exact origin"),
        ({"allowed_origins": ["https://a.example/path"]}, "not an exact origin"),
        ({"allowed_origins": ["https://A.example"]}, "not an exact origin"),
        ({"allowed_origins": ["null"]}, "not an exact origin"),
        ({"allowed_origins": ["https://a.example", "https://a.example"]}, "twice"),
        ({"booking_url": "javascript:alert(1)"}, "https://"),
        ({"theme": {"--hps-accent": "red; } body { display: none"}}, "must be a colour"),
        ({"theme": {"--hps-accent": "url(https://tracker.example/x.png)"}}, "must be a colour"),
        ({"theme": {"color": "red"}}, "--hps-"),
        ({"id": "Bad Id"}, "id"),
        ({"unknown": 1}, "unknown"),
        ({"phone": "call me"}, "phone"),
    ],
)
def test_invalid_profiles_are_refused_with_a_clear_message(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    path = tmp_path / "clinics.yaml"
    path.write_text(json.dumps({"clinics": [{**_VALID, **change}]}))  # JSON is YAML
    with pytest.raises(ClinicProfileError) as caught:
        Clinics.load(path)
    assert str(path) in str(caught.value)
    assert message.lower() in str(caught.value).lower()


def test_missing_duplicate_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ClinicProfileError, match="cannot read"):
        Clinics.load(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("clinics: [\n")
    with pytest.raises(ClinicProfileError, match="not valid YAML"):
        Clinics.load(broken)
    twice = tmp_path / "twice.yaml"
    twice.write_text(json.dumps({"clinics": [_VALID, _VALID]}))
    with pytest.raises(ClinicProfileError, match="share an id"):
        Clinics.load(twice)


def test_a_broken_profiles_file_stops_start_up(tmp_path: Path) -> None:
    path = tmp_path / "clinics.yaml"
    path.write_text(json.dumps({"clinics": [{**_VALID, "allowed_origins": ["https://*.evil"]}]}))
    done = subprocess.run(
        [sys.executable, "-c", "import app.main"],
        cwd=ROOT,
        env={"SCREENER_CLINICS_FILE": str(path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "invalid clinic profiles" in done.stderr and "not an exact origin" in done.stderr
