"""OPS-02/03: SIGHUP reloads the rule sets only if they load, pass every golden case and lower
no golden case of the served version; otherwise the old version keeps serving, with one log
line and the failure metric. Versions derive from the shipped rule set, whichever it is."""

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from ruamel.yaml import YAML

from app.api.catalog import Catalog
from app.api.json_body import read_body
from app.api.v1 import screenings
from app.config import Settings
from app.engine.golden import load_cases, run_case
from app.engine.loader import load_ruleset
from app.main import create_app
from app.reload import Reloader
from app.ruleset_gate import GateRefused, checked_catalog, no_weaker_than
from tests.support.answers import complete
from tests.support.inprocess import exchange, run
from tests.support.rulesets import ROOT, RULESET_DIR, shipped_ruleset
from tests.support.servers import Server, uvicorn_server

# Each test loads a changed copy of the rule set and runs its golden cases through the gate.
pytestmark = pytest.mark.slow

SCREENING = "/v1/questionnaires/hip-pelvic-floor/screenings"
SERVED = shipped_ruleset().version
_major, _minor, _patch = SERVED.split("-")[0].split("+")[0].split(".")
NEXT = f"{_major}.{_minor}.{int(_patch) + 1}"


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
    return text.replace(f"\nversion: {SERVED}\n", f"\nversion: {NEXT}\n", 1)


def break_yaml(text: str) -> str:
    return text.replace("\n", "\n  - [unclosed: {\n", 1)


def weaken_emergency(text: str) -> str:
    return text.replace("level: emergency", "level: urgent_same_day", 1)


def match_cases_to_rules(rules_dir: Path) -> dict[str, dict[str, object]]:
    """Edit every failing golden case to expect what the rules now give, as someone hiding a
    lowering would; returns the answers of the cases edited, by label."""
    ruleset = load_ruleset(rules_dir / RULESET_DIR.name)
    wrong: dict[tuple[str, str], dict[str, object]] = {}
    edited: dict[str, dict[str, object]] = {}
    for case in load_cases(ruleset):
        result = run_case(ruleset, *case)
        if not result.passed and result.evaluation is not None:
            edited[result.label] = case[2]
            got = result.evaluation
            wrong[(result.file, result.case.name)] = {
                "level": got.level.value,
                "fired": [rule.id for rule in got.fired],
                "findings": dict(got.findings),
                "advice": list(got.advice),
            }
    assert wrong, "the change lowers no golden case"
    yaml = YAML()
    for file in {file for file, _ in wrong}:
        path = rules_dir / RULESET_DIR.name / "cases" / file
        data = yaml.load(path.read_text())
        for case in data["cases"]:
            expected = wrong.get((file, case["name"]))
            for key, value in (expected or {}).items():
                if key in case["expect"] or key == "level":
                    case["expect"][key] = value
        with path.open("w") as out:
            yaml.dump(data, out)
    return edited


def _versions(server: Server) -> list[str]:
    return [r["version"] for r in server.client.get("/readyz").json()["rulesets"]]


def _metric(server: Server, name: str) -> float:
    for line in server.client.get("/metrics").text.splitlines():
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
        assert _versions(server) == [SERVED]
        yield server, rules_dir


# --- in process: the gate itself --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "change", "reason"),
    [
        ("rules.yaml", break_yaml, "rules.yaml"),
        ("rules.yaml", weaken_emergency, "golden cases fail"),
        ("ruleset.yaml", lambda text: text.replace(f"version: {SERVED}", "version: one"), "ruleset.yaml"),
    ],
)
def test_the_gate_refuses_broken_and_weaker_rule_sets(
    tmp_path: Path, name: str, change: Callable[[str], str], reason: str
) -> None:
    rules_dir = _rules_copy(tmp_path)
    _edit(rules_dir, name, change)
    with pytest.raises(GateRefused, match=reason):
        checked_catalog(rules_dir)


def _served_and_candidate(tmp_path: Path, *changes: tuple[str, Callable[[str], str]]) -> tuple[Catalog, Path]:
    """The catalog as start-up loads it, then the files changed."""
    rules_dir = _rules_copy(tmp_path)
    served = Catalog.load(rules_dir)
    for name, change in changes:
        _edit(rules_dir, name, change)
    return served, rules_dir


def test_the_same_version_with_other_content_is_refused(tmp_path: Path) -> None:
    served, rules_dir = _served_and_candidate(
        tmp_path, ("locales/en.yaml", lambda text: text.replace("\n", "\n# an edit\n", 1))
    )
    with pytest.raises(GateRefused, match="content differs") as refused:
        no_weaker_than(served, checked_catalog(rules_dir))
    assert refused.value.reason == "changed_without_version"


def test_a_lowering_with_cases_edited_to_match_is_refused_even_as_a_new_version(tmp_path: Path) -> None:
    served, rules_dir = _served_and_candidate(
        tmp_path, ("rules.yaml", weaken_emergency), ("ruleset.yaml", bump_version)
    )
    match_cases_to_rules(rules_dir)
    candidate = checked_catalog(rules_dir)  # its own cases now agree with it
    with pytest.raises(GateRefused, match=f"served under {SERVED} drops from emergency to urgent_same_day") as refused:
        no_weaker_than(served, candidate)
    assert refused.value.reason == "lowers_served_case"


def test_a_case_dropped_by_a_later_version_still_holds(tmp_path: Path) -> None:
    """Two reloads must not do what one may not (drop a case, then lower it): the floors of
    every version served since start-up stay."""
    served, rules_dir = _served_and_candidate(tmp_path, ("ruleset.yaml", bump_version))
    served_answers = {floor.key for floor in checked_catalog(rules_dir).floors[RULESET_DIR.name]}
    (rules_dir / RULESET_DIR.name / "cases" / "spec_disagreements.yaml").unlink()
    candidate = checked_catalog(rules_dir)
    kept = no_weaker_than(served, candidate).floors[RULESET_DIR.name]
    assert not {floor.key for floor in candidate.floors[RULESET_DIR.name]} >= served_answers
    assert {floor.key for floor in kept} == served_answers


def test_a_screening_is_screened_and_written_from_one_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reload can swap the catalog while a request waits for its body: the result must still
    come from the rules and the texts of one version, as its ruleset member says."""
    served, rules_dir = _served_and_candidate(tmp_path, ("ruleset.yaml", bump_version))
    app = create_app(Settings(rules_dir=rules_dir, rate_limit_per_minute=0), served)
    newer = checked_catalog(rules_dir)

    async def body_read_across_a_reload(request: Any) -> bytes:
        app.state.catalog = newer
        return await read_body(request)

    monkeypatch.setattr(screenings, "read_body", body_read_across_a_reload)
    response = exchange(app, lambda client: client.post(SCREENING, json={"answers": complete({})}))
    assert response.status_code == 200
    assert response.json()["ruleset"]["version"] == SERVED
    assert app.state.catalog is newer  # the swap did happen mid-request


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
    assert app.state.catalog.rulesets["hip-pelvic-floor"].version == NEXT
    assert f'version="{NEXT}"'.encode() in app.state.metrics.render()
    assert b"ruleset_last_reload_successful 1.0" in app.state.metrics.render()


# Six reloads in a fresh interpreter: gc.freeze counts every object the process tracks, so in a
# test worker that ran other tests first (pytest-xdist), their threads and leftovers moved the
# count by hundreds between reloads; alone it counts what the reloads keep.
_FROZEN_AFTER_RELOADS = """
import asyncio, gc, json, sys
from pathlib import Path
from app.config import Settings
from app.main import create_app
from app.reload import Reloader
from app.ruleset_gate import checked_catalog
rules_dir = Path(sys.argv[1])
reloader = Reloader(create_app(Settings(rules_dir=rules_dir), checked_catalog(rules_dir)))
frozen = []
async def reload_six_times():
    # In one event loop, as the server runs.
    for _ in range(6):
        assert await reloader.reload() is True
        frozen.append(gc.get_freeze_count())
asyncio.run(reload_six_times())
print(json.dumps(frozen))
"""


@pytest.mark.slow
def test_reloads_leave_no_garbage_frozen(tmp_path: Path) -> None:
    """A reload freezes the new catalog out of the collector's view; what it leaves behind
    (the old catalog, parse trees) must be collected first, or every reload leaks (~0.6 MB)."""
    rules_dir = _rules_copy(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", _FROZEN_AFTER_RELOADS, str(rules_dir)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    frozen = json.loads(done.stdout.strip().splitlines()[-1])
    # Without the collection first, each reload froze about a thousand more objects; with it the
    # count settles: the last three reloads freeze no more than the most of the first three.
    # (The count alternated by 416 while the executor's thread still held the old catalog at
    # the refreeze: see Reloader._reload_once.)
    assert max(frozen[3:]) - max(frozen[:3]) < 300, frozen


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
            _wait_for(lambda: _versions(server) == [NEXT])
            time.sleep(0.3)
        finally:
            stop.set()
            worker.join(timeout=10)
        assert _metric(server, "ruleset_last_reload_successful") == 1
        log = server.log()

    assert seen and all(status == 200 for status, _ in seen), {status for status, _ in seen}
    versions = [version for _, version in seen]
    # Old, then new, never back: each response names the one version that produced it.
    switch = versions.index(NEXT)
    assert set(versions[:switch]) == {SERVED} and set(versions[switch:]) == {NEXT}
    reloaded = [json.loads(line) for line in log.splitlines() if '"rule sets reloaded"' in line]
    assert len(reloaded) == 1 and reloaded[0]["rulesets"] == {"hip-pelvic-floor": NEXT}


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


@pytest.mark.server
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the server's CPU time from /proc")
def test_a_reload_switches_within_two_seconds_of_cpu(tmp_path: Path) -> None:
    """CPU time of the server process, not wall time: other work on the machine does not count.
    Files a reload leaves unchanged are not parsed again (about 1 s of the 1.3 s it took)."""
    with _server(tmp_path) as (server, rules_dir):
        _edit(rules_dir, "ruleset.yaml", bump_version)
        _edit(rules_dir, "rules.yaml", lambda text: text.replace("\n", "\n# a comment\n", 1))
        before = _cpu_seconds(server.process.pid)
        server.process.send_signal(signal.SIGHUP)
        _wait_for(lambda: '"rule sets reloaded"' in server.log())
        used = _cpu_seconds(server.process.pid) - before
        assert _versions(server) == [NEXT]
    assert used < 2.0, f"{used:.2f} s of CPU"


def _hidden_lowering(rules_dir: Path) -> None:
    """The attack of issue 14: the first emergency rule lowered, its cases edited to match."""
    _edit(rules_dir, "rules.yaml", weaken_emergency)
    match_cases_to_rules(rules_dir)


def _hidden_lowering_as_new_version(rules_dir: Path) -> None:
    _hidden_lowering(rules_dir)
    _edit(rules_dir, "ruleset.yaml", bump_version)


@pytest.mark.server
@pytest.mark.parametrize(
    ("change", "reason", "code"),
    [
        (lambda rules_dir: _edit(rules_dir, "rules.yaml", break_yaml), "rules.yaml", "invalid"),
        (lambda rules_dir: _edit(rules_dir, "rules.yaml", weaken_emergency), "golden cases fail", "golden_cases_fail"),
        (_hidden_lowering, "content differs", "changed_without_version"),
        (_hidden_lowering_as_new_version, "drops from emergency to urgent_same_day", "lowers_served_case"),
    ],
    ids=["yaml-syntax-error", "clinically-weaker", "lowered-same-version", "lowered-new-version"],
)
def test_a_bad_file_leaves_the_old_version_serving(
    tmp_path: Path, change: Callable[[Path], object], reason: str, code: str
) -> None:
    emergency = _lowered_case_answers(tmp_path / "probe")
    with _server(tmp_path) as (server, rules_dir):
        reload_time = _metric(server, "ruleset_last_reload_timestamp_seconds")
        change(rules_dir)
        server.process.send_signal(signal.SIGHUP)
        _wait_for(lambda: _metric(server, "ruleset_last_reload_successful") == 0)
        assert _versions(server) == [SERVED]
        assert _metric(server, "ruleset_last_reload_timestamp_seconds") == reload_time
        assert _metric(server, f'ruleset_reload_refusals_total{{reason="{code}"}}') == 1
        response = httpx.post(f"{server.base_url}{SCREENING}", json={"answers": emergency})
        assert response.status_code == 200 and response.json()["ruleset"]["version"] == SERVED
        assert response.json()["level"] == "emergency"
        assert server.process.poll() is None
        log = server.log()
    refused = [json.loads(line) for line in log.splitlines() if '"rule-set reload refused' in line]
    assert len(refused) == 1 and reason in refused[0]["reason"] and refused[0]["code"] == code


def _lowered_case_answers(tmp_path: Path) -> dict[str, object]:
    """Answers of a served golden case that weaken_emergency lowers."""
    rules_dir = _rules_copy(tmp_path)
    _edit(rules_dir, "rules.yaml", weaken_emergency)
    return next(iter(match_cases_to_rules(rules_dir).values()))
