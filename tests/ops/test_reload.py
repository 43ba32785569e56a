"""OPS-02/03: SIGHUP reloads the rule sets only if they load and pass every golden case;
otherwise the old version keeps serving, with one log line and the failure metric."""

import json
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from app.api.catalog import Catalog
from app.config import Settings
from app.main import create_app
from app.reload import Reloader, ReloadRejected, validated_catalog
from tests.support.answers import RULESET_DIR, complete
from tests.support.inprocess import run
from tests.support.servers import Server, uvicorn_server

SCREENING = "/v1/questionnaires/hip-pelvic-floor/screenings"


def _rules_copy(tmp_path: Path) -> Path:
    rules_dir = tmp_path / "rules"
    shutil.copytree(RULESET_DIR, rules_dir / RULESET_DIR.name)
    return rules_dir


def _edit(rules_dir: Path, name: str, change: Callable[[str], str]) -> None:
    """Write-to-temp then rename, as the reload contract asks of writers."""
    path = rules_dir / RULESET_DIR.name / name
    text = path.read_text()
    changed = change(text)
    assert changed != text
    temporary = path.with_suffix(".tmp")
    temporary.write_text(changed)
    temporary.replace(path)


def bump_version(text: str) -> str:
    return text.replace("\nversion: 1.0.1\n", "\nversion: 1.0.2\n", 1)


def break_yaml(text: str) -> str:
    return text.replace("\n", "\n  - [unclosed: {\n", 1)


def weaken_emergency(text: str) -> str:
    return text.replace("level: emergency", "level: urgent_same_day", 1)


def _versions(server: Server) -> list[str]:
    return [r["version"] for r in httpx.get(f"{server.base_url}/readyz").json()["rulesets"]]


def _metric(server: Server, name: str) -> float:
    for line in httpx.get(f"{server.base_url}/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(name)


def _wait_for(condition: Callable[[], bool], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@contextmanager
def _server(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    rules_dir = _rules_copy(tmp_path)
    env = {"SCREENER_RULES_DIR": str(rules_dir), "SCREENER_RATE_LIMIT_PER_MINUTE": "0"}
    with uvicorn_server(tmp_path, env=env) as server:
        assert _versions(server) == ["1.0.1"]
        yield server, rules_dir


# --- in process: the gate itself --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "change", "reason"),
    [
        ("rules.yaml", break_yaml, "rules.yaml"),
        ("rules.yaml", weaken_emergency, "golden cases fail"),
        ("ruleset.yaml", lambda text: text.replace("version: 1.0.1", "version: one"), "ruleset.yaml"),
    ],
)
def test_the_gate_refuses_broken_and_weaker_rule_sets(
    tmp_path: Path, name: str, change: Callable[[str], str], reason: str
) -> None:
    rules_dir = _rules_copy(tmp_path)
    _edit(rules_dir, name, change)
    with pytest.raises(ReloadRejected, match=reason):
        validated_catalog(rules_dir)


def test_a_refused_reload_keeps_the_catalog_and_sets_the_metric(tmp_path: Path) -> None:
    rules_dir = _rules_copy(tmp_path)
    app = create_app(Settings(rules_dir=rules_dir), Catalog.load(rules_dir))
    served = app.state.catalog
    _edit(rules_dir, "rules.yaml", weaken_emergency)
    assert run(Reloader(app).reload()) is False
    assert app.state.catalog is served
    assert b"ruleset_last_reload_successful 0.0" in app.state.metrics.render()
    _edit(rules_dir, "rules.yaml", lambda text: text.replace("level: urgent_same_day", "level: emergency", 1))
    _edit(rules_dir, "ruleset.yaml", bump_version)
    assert run(Reloader(app).reload()) is True
    assert app.state.catalog.rulesets["hip-pelvic-floor"].version == "1.0.2"
    assert b'version="1.0.2"' in app.state.metrics.render()
    assert b"ruleset_last_reload_successful 1.0" in app.state.metrics.render()


# --- real servers: SIGHUP -----------------------------------------------------------------------


@pytest.mark.server
def test_a_valid_new_version_is_picked_up_with_no_failed_request(tmp_path: Path) -> None:
    body = {"answers": complete({})}
    with _server(tmp_path) as (server, rules_dir):
        seen: list[tuple[int, str | None]] = []
        stop = threading.Event()

        def load() -> None:
            with httpx.Client(base_url=server.base_url, timeout=10) as client:
                while not stop.is_set():
                    response = client.post(SCREENING, json=body)
                    version = response.json()["ruleset"]["version"] if response.status_code == 200 else None
                    seen.append((response.status_code, version))

        worker = threading.Thread(target=load)
        worker.start()
        try:
            time.sleep(0.3)
            _edit(rules_dir, "ruleset.yaml", bump_version)
            server.process.send_signal(signal.SIGHUP)
            _wait_for(lambda: _versions(server) == ["1.0.2"])
            time.sleep(0.3)
        finally:
            stop.set()
            worker.join(timeout=10)
        assert _metric(server, "ruleset_last_reload_successful") == 1
        log = server.log()

    assert seen and all(status == 200 for status, _ in seen), {status for status, _ in seen}
    versions = [version for _, version in seen]
    # Old, then new, never back: each response names the one version that produced it.
    switch = versions.index("1.0.2")
    assert set(versions[:switch]) == {"1.0.1"} and set(versions[switch:]) == {"1.0.2"}
    reloaded = [json.loads(line) for line in log.splitlines() if '"rule sets reloaded"' in line]
    assert len(reloaded) == 1 and reloaded[0]["rulesets"] == {"hip-pelvic-floor": "1.0.2"}


@pytest.mark.server
@pytest.mark.parametrize(
    ("name", "change", "reason"),
    [("rules.yaml", break_yaml, "rules.yaml"), ("rules.yaml", weaken_emergency, "golden cases fail")],
    ids=["yaml-syntax-error", "clinically-weaker"],
)
def test_a_bad_file_leaves_the_old_version_serving(
    tmp_path: Path, name: str, change: Callable[[str], str], reason: str
) -> None:
    with _server(tmp_path) as (server, rules_dir):
        reload_time = _metric(server, "ruleset_last_reload_timestamp_seconds")
        _edit(rules_dir, name, change)
        server.process.send_signal(signal.SIGHUP)
        _wait_for(lambda: _metric(server, "ruleset_last_reload_successful") == 0)
        assert _versions(server) == ["1.0.1"]
        assert _metric(server, "ruleset_last_reload_timestamp_seconds") == reload_time
        response = httpx.post(f"{server.base_url}{SCREENING}", json={"answers": complete({})})
        assert response.status_code == 200 and response.json()["ruleset"]["version"] == "1.0.1"
        assert server.process.poll() is None
        log = server.log()
    refused = [json.loads(line) for line in log.splitlines() if '"rule-set reload refused' in line]
    assert len(refused) == 1 and reason in refused[0]["reason"]
