"""DOS-02: X-Forwarded-For is believed only from the proxies `screener serve` is told to
trust, so a client cannot pick its own rate-limit bucket by sending one."""

import json
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from app.config import Settings
from tests.support.answers import symptom_free_adult
from tests.support.servers import screener_server

SCREENINGS = "/v1/questionnaires/hip-pelvic-floor/screenings"
BODY = json.dumps({"answers": symptom_free_adult()}).encode()
LIMIT = {"SCREENER_RATE_LIMIT_PER_MINUTE": "3"}


def _screen(client: httpx.Client, forwarded_for: str) -> int:
    headers = {"Content-Type": "application/json", "X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https"}
    return client.post(SCREENINGS, content=BODY, headers=headers).status_code


@pytest.mark.server
def test_spoofed_forwarded_for_from_an_untrusted_peer_shares_the_peers_bucket(tmp_path: Path) -> None:
    # The test client connects from 127.0.0.1, which this server does not trust as a proxy.
    env = {**LIMIT, "SCREENER_FORWARDED_ALLOW_IPS": "10.9.9.9"}
    with screener_server(tmp_path, env=env) as server, httpx.Client(base_url=server.base_url) as client:
        statuses = [_screen(client, f"203.0.113.{n}") for n in range(1, 5)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.server
def test_forwarded_for_from_a_trusted_proxy_picks_the_clients_bucket(tmp_path: Path) -> None:
    env = {**LIMIT, "SCREENER_FORWARDED_ALLOW_IPS": "127.0.0.1"}
    with screener_server(tmp_path, env=env) as server, httpx.Client(base_url=server.base_url) as client:
        # Four clients behind the proxy, one screening each: over the limit together, not each.
        assert [_screen(client, f"203.0.113.{n}") for n in range(1, 5)] == [200] * 4
        # The first client's own bucket still fills at three.
        assert [_screen(client, "203.0.113.1") for _ in range(3)] == [200, 200, 429]


def test_uvicorns_own_variable_names_the_trusted_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().forwarded_allow_ips == "127.0.0.1,::1"  # uvicorn's default
    # The image runs the uvicorn command, which reads FORWARDED_ALLOW_IPS itself.
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.0/8")
    assert Settings().forwarded_allow_ips == "10.0.0.0/8"
    monkeypatch.setenv("SCREENER_FORWARDED_ALLOW_IPS", "10.1.2.3")
    assert Settings().forwarded_allow_ips == "10.1.2.3"


@pytest.mark.parametrize("value", ["10.0.0.300", "ingress", "10.0.0.1, *", ""])
def test_a_trusted_proxy_that_is_no_address_stops_start_up(value: str) -> None:
    # uvicorn would keep such an item as a literal no peer ever matches: trusting nobody, silently.
    with pytest.raises(ValidationError, match="does not appear to be an IPv4 or IPv6 network"):
        Settings(forwarded_allow_ips=value)
