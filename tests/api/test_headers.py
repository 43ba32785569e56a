"""X-Request-ID: a safe caller id is echoed, anything else is replaced by a new uuid4 hex,
on every response including errors and the 413 sent before routing."""

import uuid
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.main import create_app
from tests.support.inprocess import exchange
from tests.support.rulesets import shipped_catalog

SCREENING = "/v1/questionnaires/hip-pelvic-floor/screenings"


class Client:
    def __init__(self) -> None:
        self.app = create_app(Settings(rate_limit_per_minute=0), shipped_catalog())

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async def call(client: httpx.AsyncClient) -> httpx.Response:
            return await client.request(method, path, **kwargs)

        return exchange(self.app, call)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)


@pytest.fixture(scope="module")
def client() -> Client:
    return Client()


def _is_uuid4_hex(value: str) -> bool:
    return len(value) == 32 and uuid.UUID(value).version == 4 and uuid.UUID(value).hex == value


def test_a_safe_request_id_is_echoed(client: Client) -> None:
    response = client.get("/livez", headers={"X-Request-ID": "trace-42.ab_C"})
    assert response.headers["x-request-id"] == "trace-42.ab_C"


@pytest.mark.parametrize("sent", ["", "has space", "a" * 65, "semi;colon", "ünï"])
def test_an_unsafe_request_id_is_replaced(client: Client, sent: str) -> None:
    response = client.get("/livez", headers={"X-Request-ID": sent.encode()})
    assert _is_uuid4_hex(response.headers["x-request-id"])


def test_every_response_gets_a_fresh_id(client: Client) -> None:
    ids = {client.get("/livez").headers["x-request-id"] for _ in range(20)}
    assert len(ids) == 20 and all(_is_uuid4_hex(value) for value in ids)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/nothing-here", {}, 404),
        ("POST", SCREENING, {"content": b"{", "headers": {"Content-Type": "application/json"}}, 400),
        ("POST", SCREENING, {"content": b"{}" + b" " * 20000, "headers": {"Content-Type": "application/json"}}, 413),
        ("POST", SCREENING, {"json": {"answers": {}}}, 422),
    ],
)
def test_errors_carry_the_request_id(
    client: Client, method: str, path: str, kwargs: dict[str, Any], status: int
) -> None:
    response = client.request(method, path, **kwargs)
    assert response.status_code == status
    assert _is_uuid4_hex(response.headers["x-request-id"])
    assert response.headers["content-type"] == "application/problem+json"
