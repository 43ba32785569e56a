"""Health probes, the landing page, docs and the OpenAPI document on a real server."""

import json

import httpx

from app.main import create_app
from tests.support.servers import Server


def test_liveness_and_readiness(server: Server, ruleset) -> None:
    assert httpx.get(f"{server.base_url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{server.base_url}/readyz")
    assert ready.status_code == 200
    assert ready.json()["rulesets"] == [{"id": ruleset.id, "version": ruleset.version, "sha256": ruleset.sha256}]


def test_landing_page_links_docs_and_says_it_is_not_a_diagnosis(server: Server) -> None:
    page = httpx.get(f"{server.base_url}/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for link in ('href="/docs"', 'href="/openapi.json"', 'href="/v1/questionnaires"'):
        assert link in page.text
    assert "does not give a diagnosis" in page.text


def test_docs_are_served(server: Server) -> None:
    docs = httpx.get(f"{server.base_url}/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


def test_served_openapi_matches_the_snapshot(server: Server, root) -> None:
    served = httpx.get(f"{server.base_url}/openapi.json").json()
    snapshot = json.loads((root / "tests" / "snapshots" / "openapi.json").read_text())
    assert served == snapshot, "API changed: review it, then run `make openapi` to refresh the snapshot"


def test_app_openapi_matches_the_snapshot(root) -> None:
    snapshot = json.loads((root / "tests" / "snapshots" / "openapi.json").read_text())
    assert create_app().openapi() == snapshot


def test_every_operation_documents_its_problem_statuses() -> None:
    spec = create_app().openapi()
    screening = spec["paths"]["/v1/questionnaires/{questionnaire_id}/screenings"]["post"]
    for status in ("400", "404", "413", "415", "422", "429", "500"):
        content = screening["responses"][status]["content"]
        assert list(content) == ["application/problem+json"]
    assert screening["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ScreeningRequest"
    }
    assert {op["operationId"] for path in spec["paths"].values() for op in path.values()} == {
        "questionnaires-list_questionnaires",
        "questionnaires-get_questionnaire",
        "screenings-create_screening",
        "progress-get_progress",
        "receipts-verify_receipt",
        "receipts-jwks",
    }


def test_plain_routes_serve_exactly_the_documented_operations() -> None:
    """The direct table is built from the FastAPI routes marked @direct: one declaration each."""
    app = create_app()
    spec = app.openapi()
    documented = {(path, method.upper()) for path, operations in spec["paths"].items() for method in operations}
    assert app.direct_routes is not None
    served = {(path, method) for path, method in app.direct_routes.served if method != "HEAD"}
    assert served == documented
    # HEAD wherever GET, as on every other route.
    assert {(p, "HEAD") for p, m in served if m == "GET"} <= set(app.direct_routes.served)
