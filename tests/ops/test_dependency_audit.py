"""The dependency audit: scripts/osv_from_pypi.py against a fake PyPI, the real pip-audit against
it, and scripts/audit-dependencies.sh end to end. Nothing here reaches the real network."""

import importlib.util
import json
import os
import re
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.support.servers import ROOT, free_port

SCRIPT = ROOT / "scripts" / "audit-dependencies.sh"
VENV = Path(sys.executable).parent.parent


def _load_adapter() -> ModuleType:
    spec = importlib.util.spec_from_file_location("osv_from_pypi", ROOT / "scripts" / "osv_from_pypi.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


osv = _load_adapter()

# Shaped like PyPI's own entries (see https://pypi.org/pypi/ecdsa/json): summary may be null.
ADVISORY = {
    "id": "PYSEC-2099-1",
    "aliases": ["CVE-2099-0001", "GHSA-aaaa-bbbb-cccc"],
    "summary": None,
    "details": "A made-up flaw\nover two lines.",
    "fixed_in": ["1.2.1", "1.3.0"],
    "link": "https://osv.dev/vulnerability/PYSEC-2099-1",
    "source": "osv",
    "withdrawn": None,
}
WITHDRAWN = {**ADVISORY, "id": "PYSEC-2099-2", "aliases": [], "withdrawn": "2099-01-02T00:00:00Z"}


def project_json(latest: str, advisories: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"info": {"name": "x", "version": latest}, "releases": {}, "vulnerabilities": advisories or []}


@dataclass
class FakePyPI:
    url: str
    hits: Counter[str]


@contextmanager
def fake_pypi(respond: Callable[[str], tuple[int, Any]]) -> Iterator[FakePyPI]:
    """GET /pypi/NAME/json answered by ``respond(NAME)``: (status, JSON value or raw bytes)."""
    hits: Counter[str] = Counter()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = self.path.strip("/").split("/")
            if len(parts) == 3 and parts[0] == "pypi" and parts[2] == "json":
                hits[parts[1]] += 1
                status, body = respond(parts[1])
            else:
                status, body = 404, {"message": "Not Found"}
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with _serving(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as port:
        yield FakePyPI(url=f"http://127.0.0.1:{port}/pypi", hits=hits)


@contextmanager
def _serving(server: ThreadingHTTPServer) -> Iterator[int]:
    # shutdown() waits for serve_forever's next poll: 0.5 s by default, for every test.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def adapter(pypi_url: str) -> Iterator[str]:
    """The adapter in this process; yields its OSV query URL."""
    with _serving(osv.make_server(osv.ProjectCache(pypi_url, timeout=5))) as port:
        yield f"http://127.0.0.1:{port}/v1/query"


def projects(table: dict[str, tuple[int, Any]]) -> Callable[[str], tuple[int, Any]]:
    return lambda name: table.get(name, (404, {"message": "Not Found"}))


@pytest.fixture(autouse=True)
def _no_retry_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(osv, "RETRY_PAUSE_S", 0.0)


# --- conversion -------------------------------------------------------------------------------


def test_an_advisory_becomes_an_osv_record_with_its_fix_versions() -> None:
    record = osv.osv_record("Vuln_Pkg", "1.2.0", ADVISORY)
    assert record["id"] == "PYSEC-2099-1"
    assert record["aliases"] == ["CVE-2099-0001", "GHSA-aaaa-bbbb-cccc"]
    assert record["details"] == ADVISORY["details"]
    assert "summary" not in record  # null on PyPI: pip-audit falls back on details
    assert "withdrawn" not in record
    assert record["references"] == [{"type": "ADVISORY", "url": ADVISORY["link"]}]
    (affected,) = record["affected"]
    assert affected["package"] == {"ecosystem": "PyPI", "name": "vuln-pkg"}
    assert affected["versions"] == ["1.2.0"]
    assert affected["ranges"] == [
        {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.1"}, {"fixed": "1.3.0"}]}
    ]


def test_an_advisory_without_a_fix_has_no_fixed_event() -> None:
    record = osv.osv_record("ecdsa", "0.19.2", {**ADVISORY, "fixed_in": [], "summary": "Minerva"})
    assert record["affected"][0]["ranges"][0]["events"] == [{"introduced": "0"}]
    assert record["summary"] == "Minerva"


def test_a_withdrawn_advisory_keeps_its_withdrawn_mark() -> None:
    assert osv.osv_record("p", "1", WITHDRAWN)["withdrawn"] == "2099-01-02T00:00:00Z"


# --- answers ----------------------------------------------------------------------------------


def _lookup(table: dict[str, Any]) -> Callable[[str], Any]:
    def lookup(name: str) -> Any:
        value = table[name]
        if isinstance(value, Exception):
            raise value
        return value

    return lookup


def _query(name: str, version: str) -> dict[str, Any]:
    return {"package": {"name": name, "ecosystem": "PyPI"}, "version": version}


def test_the_latest_release_is_answered_with_its_advisories() -> None:
    lookup = _lookup({"vuln-pkg": osv.Project(latest="1.2.0", advisories=[ADVISORY])})
    result = osv.answer(_query("vuln-pkg", "1.2.0"), lookup)
    assert result.status == 200
    assert [v["id"] for v in result.body["vulns"]] == ["PYSEC-2099-1"]


def test_a_latest_release_without_advisories_is_answered_as_osv_does() -> None:
    result = osv.answer(_query("clean", "2.0"), _lookup({"clean": osv.Project(latest="2.0", advisories=[])}))
    assert (result.status, result.body) == (200, {})


@pytest.mark.parametrize("version", ["1.0.0", "2.0.1", "2.0"])
def test_any_other_version_is_an_error_naming_the_latest(version: str) -> None:
    lookup = _lookup({"old": osv.Project(latest="2.0.0", advisories=[ADVISORY])})
    result = osv.answer(_query("old", version), lookup)
    assert result.status == 422
    assert result.body["latest"] == "2.0.0"
    assert "latest release (2.0.0)" in result.body["message"]
    assert "vulns" not in result.body


def test_an_unknown_project_and_a_failed_lookup_are_errors() -> None:
    lookup = _lookup({"gone": None, "down": osv.LookupFailed("PyPI did not answer")})
    assert osv.answer(_query("gone", "1"), lookup).status == 404
    down = osv.answer(_query("down", "1"), lookup)
    assert (down.status, down.body["message"]) == (502, "PyPI did not answer")


@pytest.mark.parametrize(
    "query",
    [
        [],
        {"version": "1"},
        {"package": "p", "version": "1"},
        {"package": {"name": "p", "ecosystem": "npm"}, "version": "1"},
        {"package": {"name": "p", "ecosystem": "PyPI"}},
        {"package": {"name": "p", "ecosystem": "PyPI"}, "version": 1},
        {"package": {"ecosystem": "PyPI"}, "version": "1"},
    ],
)
def test_a_malformed_query_is_refused(query: object) -> None:
    assert osv.answer(query, _lookup({})).status == 400


# --- PyPI -------------------------------------------------------------------------------------


def test_pypi_project_json_is_read_and_a_missing_project_is_none() -> None:
    table = {"vuln-pkg": (200, project_json("1.2.0", [ADVISORY]))}
    with fake_pypi(projects(table)) as pypi:
        project = osv.fetch_project(pypi.url, "Vuln_Pkg", timeout=5)
        assert project == osv.Project(latest="1.2.0", advisories=[ADVISORY])
        assert osv.fetch_project(pypi.url, "nothing", timeout=5) is None


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"info": {"version": "1"}}, "no 'vulnerabilities' list"),
        ({"vulnerabilities": []}, "no 'info' object"),
        (project_json("1", [{"id": "X", "fixed_in": "1.1"}]), "cannot read"),
        (project_json("1", [{"fixed_in": []}]), "cannot read"),
        (b"<html>", "not JSON"),
    ],
)
def test_an_answer_without_readable_advisory_data_is_a_failure(body: Any, problem: str) -> None:
    """A mirror without `vulnerabilities`, or an entry we cannot read, must not pass as "none"."""
    with fake_pypi(lambda name: (200, body)) as pypi, pytest.raises(osv.LookupFailed, match=problem):
        osv.fetch_project(pypi.url, "p", timeout=5)


def test_a_server_error_is_tried_again() -> None:
    answers = iter([(503, b""), (200, project_json("1.0"))])
    with fake_pypi(lambda name: next(answers)) as pypi:
        assert osv.fetch_project(pypi.url, "p", timeout=5).latest == "1.0"
        assert pypi.hits["p"] == 2


def test_persistent_server_errors_and_client_errors_fail() -> None:
    with fake_pypi(lambda name: (503, b"") if name == "busy" else (403, b"")) as pypi:
        with pytest.raises(osv.LookupFailed, match="after 3 attempts: HTTP 503"):
            osv.fetch_project(pypi.url, "busy", timeout=5)
        with pytest.raises(osv.LookupFailed, match="HTTP 403"):
            osv.fetch_project(pypi.url, "forbidden", timeout=5)
        assert (pypi.hits["busy"], pypi.hits["forbidden"]) == (osv.ATTEMPTS, 1)


def test_an_unreachable_pypi_fails() -> None:
    with pytest.raises(osv.LookupFailed, match="did not answer"):
        osv.fetch_project(f"http://127.0.0.1:{free_port()}/pypi", "p", timeout=5)


def test_the_cache_keeps_one_snapshot_per_project_but_not_failures() -> None:
    served = Counter[str]()

    def respond(name: str) -> tuple[int, Any]:
        served[name] += 1
        return (503, b"") if served[name] <= osv.ATTEMPTS else (200, project_json("1.0"))

    with fake_pypi(respond) as pypi:
        cache = osv.ProjectCache(pypi.url, timeout=5)
        with pytest.raises(osv.LookupFailed):
            cache("p")
        first = cache("P")
        assert cache("p") is first
        assert pypi.hits["p"] == osv.ATTEMPTS + 1


# --- the HTTP endpoint and the triage ---------------------------------------------------------

TABLE = {
    "vuln-pkg": (200, project_json("1.2.0", [ADVISORY, WITHDRAWN])),
    "clean-pkg": (200, project_json("2.0.0")),
    "old-pkg": (200, project_json("2.0.0", [ADVISORY])),
}


def test_the_endpoint_answers_posted_queries() -> None:
    with fake_pypi(projects(TABLE)) as pypi, adapter(pypi.url) as osv_url:
        ok = osv.ask(osv_url, "vuln-pkg", "1.2.0", timeout=5)
        assert ok.status == 200 and [v["id"] for v in ok.body["vulns"]] == ["PYSEC-2099-1", "PYSEC-2099-2"]
        old = osv.ask(osv_url, "old-pkg", "1.0.0", timeout=5)
        assert (old.status, old.body["latest"]) == (422, "2.0.0")
        assert osv.ask(osv_url.replace("/v1/query", "/v1/querybatch"), "vuln-pkg", "1.2.0", timeout=5).status == 404


def test_triage_keeps_only_what_can_be_answered() -> None:
    pinned = [("vuln-pkg", "1.2.0"), ("clean-pkg", "2.0.0"), ("old-pkg", "1.0.0"), ("gone-pkg", "1.0")]
    with fake_pypi(projects(TABLE)) as pypi, adapter(pypi.url) as osv_url:
        auditable, unaudited = osv.triage(osv_url, pinned)
    assert auditable == [("vuln-pkg", "1.2.0"), ("clean-pkg", "2.0.0")]
    assert [(u["name"], u.get("latest")) for u in unaudited] == [("old-pkg", "2.0.0"), ("gone-pkg", None)]
    assert "PyPI has no project gone-pkg" in unaudited[1]["reason"]


def test_triage_of_an_endpoint_that_is_not_there() -> None:
    auditable, unaudited = osv.triage(f"http://127.0.0.1:{free_port()}/v1/query", [("p", "1")])
    assert auditable == [] and "did not answer" in unaudited[0]["reason"]


def test_requirements_must_be_pinned(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("# pinned\na==1.0\n\nb-c==2 # why\n", encoding="utf-8")
    assert osv.read_requirements(good) == [("a", "1.0"), ("b-c", "2")]
    bad = tmp_path / "bad.txt"
    bad.write_text("a>=1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.txt:1"):
        osv.read_requirements(bad)


# --- the real pip-audit -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def pip_audit() -> Path:
    """pip-audit at the version the audit script pins, installed the way the script installs it
    when missing (in CI, `make test` runs before `make audit` has installed it)."""
    version = re.search(r'PIP_AUDIT_VERSION="\$\{PIP_AUDIT_VERSION:-([^}]+)\}"', SCRIPT.read_text(encoding="utf-8"))
    assert version, "scripts/audit-dependencies.sh no longer pins pip-audit where this test looks"
    tool = VENV / "bin" / "pip-audit"

    def installed() -> bool:
        if not tool.exists():
            return False
        found = subprocess.run([str(tool), "--version"], capture_output=True, text=True, check=False)
        return found.stdout.strip() == f"pip-audit {version[1]}"

    if not installed():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", f"pip-audit=={version[1]}"],
            check=False,
            timeout=600,
        )
    if not installed():
        if os.environ.get("CI"):
            pytest.fail(f"pip-audit {version[1]} could not be installed into {VENV}")
        pytest.skip(f"pip-audit {version[1]} is not installed and could not be installed")
    return tool


def run_pip_audit(tool: Path, osv_url: str, requirements: str, tmp_path: Path) -> tuple[int, Any, str]:
    (tmp_path / "requirements.txt").write_text(requirements, encoding="utf-8")
    out = tmp_path / "audit.json"
    command = [str(tool), "-r", str(tmp_path / "requirements.txt"), "--no-deps", "--disable-pip"]
    command += ["-s", "osv", "--osv-url", osv_url, "--cache-dir", str(tmp_path / "cache")]
    command += ["--progress-spinner", "off", "--aliases", "on", "-f", "json", "-o", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    return done.returncode, json.loads(out.read_text()) if out.exists() else None, done.stderr


def test_pip_audit_reports_the_vulnerable_release_with_its_fix(pip_audit: Path, tmp_path: Path) -> None:
    with fake_pypi(projects(TABLE)) as pypi, adapter(pypi.url) as osv_url:
        status, report, stderr = run_pip_audit(pip_audit, osv_url, "vuln-pkg==1.2.0\nclean-pkg==2.0.0\n", tmp_path)
    assert status == 1, stderr
    deps = {dep["name"]: dep for dep in report["dependencies"]}
    (vuln,) = deps["vuln-pkg"]["vulns"]  # the withdrawn advisory is left out
    assert vuln["id"] == "PYSEC-2099-1"
    assert vuln["fix_versions"] == ["1.2.1", "1.3.0"]
    assert set(vuln["aliases"]) == {"CVE-2099-0001", "GHSA-aaaa-bbbb-cccc"}
    assert deps["clean-pkg"]["vulns"] == []


def test_pip_audit_passes_a_clean_latest_release(pip_audit: Path, tmp_path: Path) -> None:
    with fake_pypi(projects(TABLE)) as pypi, adapter(pypi.url) as osv_url:
        status, report, stderr = run_pip_audit(pip_audit, osv_url, "clean-pkg==2.0.0\n", tmp_path)
    assert status == 0, stderr
    assert report["dependencies"] == [{"name": "clean-pkg", "version": "2.0.0", "vulns": []}]


def test_pip_audit_never_passes_a_release_that_is_not_the_latest(pip_audit: Path, tmp_path: Path) -> None:
    """pip-audit's OSV service has no way to skip one dependency: the error stops the run, with no
    report, rather than a report that says "no known vulnerabilities" (hence the script's triage)."""
    with fake_pypi(projects(TABLE)) as pypi, adapter(pypi.url) as osv_url:
        status, report, stderr = run_pip_audit(pip_audit, osv_url, "clean-pkg==2.0.0\nold-pkg==1.0.0\n", tmp_path)
    assert status != 0 and report is None
    assert "422" in stderr


# --- scripts/audit-dependencies.sh ------------------------------------------------------------

FASTAPI = metadata.version("fastapi")


def mirror_of_this_venv(overrides: dict[str, tuple[int, Any]]) -> Callable[[str], tuple[int, Any]]:
    """A PyPI whose latest release of every project is the one installed here, but for overrides."""

    def respond(name: str) -> tuple[int, Any]:
        if name in overrides:
            return overrides[name]
        try:
            return 200, project_json(metadata.version(name))
        except metadata.PackageNotFoundError:
            return 404, {"message": "Not Found"}

    return respond


def run_script(pypi_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VENV": str(VENV), "AUDIT_SERVICE": "pypi-project", "AUDIT_PYPI_URL": pypi_url}
    command = ["bash", str(SCRIPT), "--runtime-only", *args, "--", "--cache-dir", str(tmp_path / "cache")]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)


def test_the_script_lists_vulnerabilities_and_what_it_could_not_audit(pip_audit: Path, tmp_path: Path) -> None:
    overrides = {
        "fastapi": (200, project_json(FASTAPI, [ADVISORY])),
        "pydantic-settings": (200, project_json("0.0.1")),  # not the latest, and nothing holds it back
    }
    with fake_pypi(mirror_of_this_venv(overrides)) as pypi:
        done = run_script(pypi.url, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout
    assert f"VULNERABLE fastapi {FASTAPI}: PYSEC-2099-1 (" in out and "-> fix: 1.2.1, 1.3.0" in out
    assert "NOT AUDITED pydantic-settings" in out and "latest release (0.0.1)" in out
    counted = re.search(r"(\d+) dependencies \(runtime\)", out)
    assert counted, out
    total = int(counted[1])
    assert f"{total - 1} of {total} audited, 1 known vulnerabilities in 1 packages; 1 not audited" in out
    assert "through scripts/osv_from_pypi.py" in out
    assert pypi.hits["fastapi"] == 1  # the triage and pip-audit share the adapter's one snapshot


def test_the_script_accepts_only_a_held_back_dependency_it_was_told_to(pip_audit: Path, tmp_path: Path) -> None:
    """babel 3.0.0 is excluded by our own babel<3; pydantic-settings 0.0.1 by nothing."""
    held_back = {"babel": (200, project_json("3.0.0"))}
    with fake_pypi(mirror_of_this_venv(held_back)) as pypi:
        accepted = run_script(pypi.url, tmp_path, "--accept-unaudited", "Babel")
        refused = run_script(pypi.url, tmp_path)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "held back by hip-pelvic-screener" in accepted.stdout and "(babel<3" in accepted.stdout
    assert "[accepted: --accept-unaudited babel]" in accepted.stdout
    assert refused.returncode == 2 and "INCOMPLETE: 1 dependencies" in refused.stderr

    not_held_back = {**held_back, "pydantic-settings": (200, project_json("0.0.1"))}
    with fake_pypi(mirror_of_this_venv(not_held_back)) as pypi:
        done = run_script(pypi.url, tmp_path, "--accept-unaudited", "babel", "--accept-unaudited", "pydantic-settings")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "--accept-unaudited pydantic-settings does not apply" in done.stdout


def test_the_script_fails_when_pypi_cannot_be_asked(pip_audit: Path, tmp_path: Path) -> None:
    """A refusal, not an unreachable host: the same path through the script, without the adapter's
    pauses between retries (test_an_unreachable_pypi_fails covers the unreachable host)."""
    with fake_pypi(lambda name: (403, b"")) as pypi:
        done = run_script(pypi.url, tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert re.search(r"audit-dependencies: 0 of \d+ audited", done.stdout)
    assert "PyPI answered HTTP 403" in done.stdout and "INCOMPLETE" in done.stderr
