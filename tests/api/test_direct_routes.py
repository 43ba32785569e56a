"""The v1 routes are served by DirectRoutes ahead of the FastAPI stack: every answer must be
the same, byte for byte, as the framework's own route gives for the same request."""

from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response

from app.api.direct_routes import DirectRoutes
from app.api.middleware import HttpGuard
from app.config import Settings
from app.main import ScreenerAPI, create_app
from app.receipts.issuer import Receipts
from app.receipts.keys import Keyring
from tests.support.answers import complete, symptom_free_adult
from tests.support.inprocess import exchange
from tests.support.rulesets import shipped_catalog

QUESTIONNAIRE = "/v1/questionnaires/hip-pelvic-floor"
SCREENINGS = f"{QUESTIONNAIRE}/screenings"
PROGRESS = f"{QUESTIONNAIRE}/progress"
JSON = {"Content-Type": "application/json"}
# Differ on every request by design.
_PER_REQUEST = {"x-request-id", "date"}

EMERGENCY = complete({"rf_back_or_leg_pain": "back_and_leg", "rf_new_urine_leak_or_pads": "yes_new_or_worsening"})

# (method, path, keyword arguments for httpx): successes, every error the routes raise, and
# negotiation through the query string and headers.
REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/v1/questionnaires", {}),
    ("GET", QUESTIONNAIRE, {}),
    ("GET", QUESTIONNAIRE, {"params": {"lang": "fr"}}),
    ("GET", QUESTIONNAIRE, {"headers": {"Accept-Language": "fr-CA, en;q=0.5"}}),
    ("GET", QUESTIONNAIRE, {"headers": {"If-None-Match": "*"}}),
    ("GET", QUESTIONNAIRE, {"params": {"lang": "not a language"}}),
    ("GET", "/v1/questionnaires/no-such-questionnaire", {}),
    ("POST", SCREENINGS, {"json": {"answers": symptom_free_adult()}}),
    ("POST", SCREENINGS, {"json": {"answers": EMERGENCY}, "params": {"country": "gb", "lang": "fr"}}),
    ("POST", SCREENINGS, {"json": {"answers": EMERGENCY}, "params": {"country": "!!"}}),
    ("POST", SCREENINGS, {"json": {"answers": {"no_such_question": 1}}}),
    ("POST", SCREENINGS, {"json": {"answers": []}}),
    ("POST", SCREENINGS, {"json": [{}]}),
    ("POST", SCREENINGS, {"content": b'{"answers": {}, "answers": {}}', "headers": JSON}),
    ("POST", SCREENINGS, {"content": b'{"answers": {"a": NaN}}', "headers": JSON}),
    ("POST", SCREENINGS, {"content": b"\xff\xfe", "headers": JSON}),
    ("POST", SCREENINGS, {"content": b"{}", "headers": {"Content-Type": "text/plain"}}),
    ("POST", "/v1/questionnaires/no-such-questionnaire/screenings", {"json": {"answers": {}}}),
    ("POST", PROGRESS, {"json": {"answers": {}}}),
    ("POST", PROGRESS, {"json": {"answers": symptom_free_adult(), "skipped": ["ctx_age_years"]}}),
    ("POST", PROGRESS, {"json": {"answers": {"ctx_age_years": "forty"}}}),
    # Not served directly: other methods reach the framework in both apps.
    ("PUT", SCREENINGS, {"json": {"answers": {}}}),
    ("GET", SCREENINGS, {}),
]


# Both apps sign receipts with one key, at one fixed time, so their results are the same bytes.
RECEIPTS = Receipts(Keyring.generated(), "hip-pelvic-screener", 30, clock=lambda: 1796117400.0)


def _app(direct: bool) -> ScreenerAPI:
    app = create_app(Settings(rate_limit_per_minute=0), shipped_catalog())
    app.state.receipts = RECEIPTS
    assert app.direct_routes is not None
    if not direct:
        app.direct_routes.routes.clear()  # everything falls through to the FastAPI routes
    return app


def _send(app: ScreenerAPI, method: str, path: str, kwargs: dict[str, Any]) -> httpx.Response:
    async def call(client: httpx.AsyncClient) -> httpx.Response:
        return await client.request(method, path, **kwargs)

    return exchange(app, call)


@pytest.fixture(scope="module")
def apps() -> tuple[ScreenerAPI, ScreenerAPI]:
    return _app(direct=True), _app(direct=False)


@pytest.mark.parametrize(("method", "path", "kwargs"), REQUESTS, ids=[f"{m} {p} {k}"[:90] for m, p, k in REQUESTS])
def test_direct_routes_answer_exactly_as_the_framework_routes(
    apps: tuple[ScreenerAPI, ScreenerAPI], method: str, path: str, kwargs: dict[str, Any]
) -> None:
    direct, framework = (_send(app, method, path, kwargs) for app in apps)
    assert direct.status_code == framework.status_code
    assert [(k, v) for k, v in direct.headers.multi_items() if k not in _PER_REQUEST] == [
        (k, v) for k, v in framework.headers.multi_items() if k not in _PER_REQUEST
    ]
    assert direct.content == framework.content


def test_the_corpus_reaches_both_paths(apps: tuple[ScreenerAPI, ScreenerAPI]) -> None:
    """The comparison means something only if the direct app really serves these routes itself
    (and the other does not): count the calls that fall through to the framework."""
    counts = []
    for app in apps:
        assert app.direct_routes is not None
        calls = 0
        framework = app.direct_routes.fallback

        async def counting(scope: Any, receive: Any, send: Any, framework: Any = framework) -> None:
            nonlocal calls
            calls += 1
            await framework(scope, receive, send)

        app.direct_routes.fallback = counting
        try:
            for method, path, kwargs in REQUESTS:
                _send(app, method, path, kwargs)
        finally:
            app.direct_routes.fallback = framework
        counts.append(calls)
    assert counts == [2, len(REQUESTS)]  # only PUT and GET on /screenings fall through


def test_head_is_answered_like_get_without_a_body(apps: tuple[ScreenerAPI, ScreenerAPI]) -> None:
    # As Starlette's own routes do (FastAPI's answer HEAD with 405, so it is not compared above).
    head, get = (_send(apps[0], method, QUESTIONNAIRE, {}) for method in ("HEAD", "GET"))
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert {k: v for k, v in head.headers.items() if k not in _PER_REQUEST} == {
        k: v for k, v in get.headers.items() if k not in _PER_REQUEST
    }


def test_a_crash_in_a_direct_route_is_a_500_problem_with_the_usual_headers() -> None:
    async def crash(request: Request) -> Response:
        raise RuntimeError("planted failure CANARY-DIRECT-4410")

    async def framework(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("not reached")

    app = HttpGuard(DirectRoutes([("/crash", crash, ["POST"])], fallback=framework), max_bytes=1024)
    response = exchange(app, lambda client: client.post("/crash", json={"answers": {"a": "CANARY-BODY-1"}}))
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert response.json()["type"] == "about:blank"
    assert "CANARY" not in response.text


def test_under_a_root_path_the_direct_routes_still_serve(apps: tuple[ScreenerAPI, ScreenerAPI]) -> None:
    """Behind a proxy that mounts the service at a prefix (root_path), the hot routes are still
    matched below it, as Starlette's router matches, instead of all falling to the slow path."""
    app = apps[0]
    assert app.direct_routes is not None
    framework, calls = app.direct_routes.fallback, 0

    async def counting(scope: Any, receive: Any, send: Any) -> None:
        nonlocal calls
        calls += 1
        await framework(scope, receive, send)

    async def mounted(scope: Any, receive: Any, send: Any) -> None:
        await app({**scope, "root_path": "/screener", "path": "/screener" + scope["path"]}, receive, send)

    app.direct_routes.fallback = counting
    try:
        direct = exchange(mounted, lambda client: client.post(SCREENINGS, json={"answers": symptom_free_adult()}))
        head = exchange(mounted, lambda client: client.head(QUESTIONNAIRE))
    finally:
        app.direct_routes.fallback = framework
    assert direct.status_code == 200 and direct.json()["level"] == "general_advice"
    assert head.status_code == 200 and head.content == b""
    assert calls == 0
