"""A local OSV `POST /v1/query` endpoint for pip-audit, answered from PyPI's project JSON (/pypi/NAME/json).
That JSON lists the advisories of a project's latest release only, so a query for any other version
gets an error status, never "no vulnerabilities"."""

import argparse
import json
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

DEFAULT_PYPI_URL = "https://pypi.org/pypi"
QUERY_PATH = "/v1/query"
MAX_QUERY_BYTES = 64 * 1024
USER_AGENT = "hip-pelvic-screener-audit (scripts/osv_from_pypi.py)"
# A CI run must not turn one slow answer from PyPI into an incomplete audit, so a failed fetch
# is tried again; 404 and other client errors are answers and are not.
ATTEMPTS = 3
RETRY_PAUSE_S = 1.0


class LookupFailed(Exception):
    """PyPI could not be asked, or answered with something this adapter cannot vouch for."""


@dataclass(frozen=True)
class Project:
    latest: str
    advisories: list[dict[str, Any]]


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


Lookup = Callable[[str], Project | None]


def canonical_name(name: str) -> str:
    """PEP 503 normalisation, so "Ruamel.YAML" and "ruamel-yaml" share one cache entry."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_project(payload: object) -> Project:
    """The latest version and its advisories from PyPI's project JSON. An answer without a
    `vulnerabilities` list (a mirror that does not carry them) is a failure, not "none known"."""
    if not isinstance(payload, dict) or not isinstance(payload.get("info"), dict):
        raise LookupFailed("PyPI's answer has no 'info' object")
    latest = payload["info"].get("version")
    if not isinstance(latest, str) or not latest:
        raise LookupFailed("PyPI's answer has no 'info.version'")
    advisories = payload.get("vulnerabilities")
    if not isinstance(advisories, list):
        raise LookupFailed("PyPI's answer has no 'vulnerabilities' list")
    for advisory in advisories:
        if not (
            isinstance(advisory, dict)
            and isinstance(advisory.get("id"), str)
            and isinstance(advisory.get("fixed_in") or [], list)
            and all(isinstance(v, str) for v in advisory.get("fixed_in") or [])
            and isinstance(advisory.get("aliases") or [], list)
        ):
            # Dropping an advisory we cannot read would under-report; refuse the whole answer.
            raise LookupFailed(f"PyPI's answer has an advisory this adapter cannot read: {advisory!r:.200}")
    return Project(latest=latest, advisories=advisories)


def fetch_project(pypi_url: str, name: str, timeout: float) -> Project | None:
    """PyPI's project JSON for `name`; None when PyPI has no such project."""
    url = f"{pypi_url.rstrip('/')}/{urllib.parse.quote(canonical_name(name))}/json"
    # The scheme is checked where the base URL is read (http_url), hence S310 here and below.
    headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    failure = ""
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(RETRY_PAUSE_S * attempt)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as error:
            error.close()
            if error.code == 404:
                return None
            if error.code < 500 and error.code != 429:
                raise LookupFailed(f"PyPI answered HTTP {error.code} for {url}") from error
            failure = f"HTTP {error.code}"
        except (urllib.error.URLError, OSError) as error:
            failure = str(getattr(error, "reason", error))
        else:
            try:
                payload = json.loads(body)
            except ValueError as error:
                raise LookupFailed(f"PyPI's answer for {url} is not JSON") from error
            return parse_project(payload)
    raise LookupFailed(f"PyPI did not answer for {url} after {ATTEMPTS} attempts: {failure}")


class ProjectCache:
    """One snapshot per project for the adapter's lifetime, so the triage and pip-audit's own
    queries see the same latest release. Failures are not kept: a later query tries again."""

    def __init__(self, pypi_url: str, timeout: float) -> None:
        self._pypi_url = pypi_url
        self._timeout = timeout
        self._projects: dict[str, Project | None] = {}
        self._lock = threading.Lock()

    def __call__(self, name: str) -> Project | None:
        key = canonical_name(name)
        with self._lock:
            if key in self._projects:
                return self._projects[key]
        project = fetch_project(self._pypi_url, key, self._timeout)
        with self._lock:
            # Two concurrent first queries both fetch; the first snapshot stored wins.
            return self._projects.setdefault(key, project)


def osv_record(name: str, version: str, advisory: Mapping[str, Any]) -> dict[str, Any]:
    """One PyPI advisory as an OSV vulnerability, with the fields pip-audit reads.

    PyPI gives fix versions but not where each affected range starts, so all fixes go in one
    ECOSYSTEM range from "0", as pip-audit reads them (it takes the `fixed` events of the first
    ECOSYSTEM range). The range is not used to decide anything here: PyPI listed the advisory
    for this very release, which `versions` names."""
    events: list[dict[str, str]] = [{"introduced": "0"}]
    events += [{"fixed": fixed} for fixed in advisory.get("fixed_in") or []]
    record: dict[str, Any] = {
        "id": advisory["id"],
        "aliases": list(advisory.get("aliases") or []),
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": canonical_name(name)},
                "ranges": [{"type": "ECOSYSTEM", "events": events}],
                "versions": [version],
            }
        ],
    }
    for field in ("summary", "details"):
        if advisory.get(field):
            record[field] = advisory[field]
    if advisory.get("link"):
        record["references"] = [{"type": "ADVISORY", "url": advisory["link"]}]
    # Kept as OSV has it: pip-audit leaves out a vulnerability whose `withdrawn` is set.
    if advisory.get("withdrawn"):
        record["withdrawn"] = advisory["withdrawn"]
    return record


def answer(query: object, lookup: Lookup) -> Answer:
    """The answer to one OSV query body."""
    if not isinstance(query, dict) or not isinstance(package := query.get("package"), dict):
        return Answer(400, {"message": "expected {'package': {'name': ..., 'ecosystem': 'PyPI'}, 'version': ...}"})
    name, ecosystem, version = package.get("name"), package.get("ecosystem"), query.get("version")
    if ecosystem != "PyPI" or not isinstance(name, str) or not name or not isinstance(version, str) or not version:
        return Answer(400, {"message": "only PyPI queries by package name and version are answered"})
    try:
        project = lookup(name)
    except LookupFailed as error:
        return Answer(502, {"message": str(error)})
    if project is None:
        return Answer(404, {"message": f"PyPI has no project {name}"})
    if version != project.latest:
        message = f"PyPI's project JSON has advisories only for {name}'s latest release ({project.latest})"
        return Answer(422, {"message": message, "latest": project.latest})
    vulns = [osv_record(name, version, advisory) for advisory in project.advisories]
    # OSV answers an empty object when nothing is known; pip-audit reads both forms.
    return Answer(200, {"vulns": vulns} if vulns else {})


def make_server(lookup: Lookup, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server answering POST /v1/query; port 0 picks a free one (server_address)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if urllib.parse.urlsplit(self.path).path != QUERY_PATH:
                self._send(Answer(404, {"message": f"only POST {QUERY_PATH} is served"}))
                return
            try:
                length = int(self.headers.get("Content-Length") or "0")
            except ValueError:
                length = -1
            if not 0 < length <= MAX_QUERY_BYTES:
                self._send(Answer(400, {"message": f"a query needs a body of 1 to {MAX_QUERY_BYTES} bytes"}))
                return
            try:
                query = json.loads(self.rfile.read(length))
            except ValueError:
                self._send(Answer(400, {"message": "the query is not JSON"}))
                return
            package = query.get("package") if isinstance(query, dict) else None
            label = f"{package.get('name')} {query.get('version')}" if isinstance(package, dict) else "query"
            self._send(answer(query, lookup), label)

        def _send(self, result: Answer, label: str = "request") -> None:
            if result.status != 200:
                # Why a dependency was not audited, in the log of whoever started the adapter.
                sys.stderr.write(f"osv_from_pypi: {result.status} for {label}: {result.body.get('message', '')}\n")
            data = json.dumps(result.body).encode()
            self.send_response(result.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: one line per query would bury the refusals that _send reports."""

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


def read_requirements(path: Path) -> list[tuple[str, str]]:
    """NAME==VERSION lines, as the audit script writes them."""
    pinned = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        if not sep or not name.strip() or not version.strip():
            raise ValueError(f"{path}:{number}: expected NAME==VERSION, got {line!r}")
        pinned.append((name.strip(), version.strip()))
    return pinned


def ask(osv_url: str, name: str, version: str, timeout: float) -> Answer:
    """One OSV query, as pip-audit sends it; a failure to reach the endpoint is a 503 answer."""
    query = {"package": {"name": name, "ecosystem": "PyPI"}, "version": version}
    request = urllib.request.Request(osv_url, data=json.dumps(query).encode(), method="POST")  # noqa: S310
    request.add_header("Content-Type", "application/json")
    # The adapter listens on loopback: a proxy from the environment must not be asked instead.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=timeout) as response:
            return Answer(response.status, json.loads(response.read() or b"{}"))
    except urllib.error.HTTPError as error:
        with error:
            try:
                body = json.loads(error.read() or b"{}")
            except ValueError:
                body = {}
        return Answer(error.code, body if isinstance(body, dict) else {})
    except (urllib.error.URLError, OSError, ValueError) as error:
        return Answer(503, {"message": f"{osv_url} did not answer: {error}"})


def triage(
    osv_url: str, pinned: list[tuple[str, str]], timeout: float = 120.0, workers: int = 8
) -> tuple[list[tuple[str, str]], list[dict[str, str]]]:
    """Split `pinned` into what the endpoint can answer and what it cannot (with its reason).

    pip-audit's OSV service stops the whole audit at the first error status, so the audit script
    asks first and hands pip-audit only the dependencies that can be answered. Queries run in
    parallel: PyPI's latency, not this machine, sets the pace."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        answers = list(pool.map(lambda pin: ask(osv_url, pin[0], pin[1], timeout), pinned))
    auditable: list[tuple[str, str]] = []
    unaudited: list[dict[str, str]] = []
    for (name, version), result in zip(pinned, answers, strict=True):
        if result.status == 200:
            auditable.append((name, version))
            continue
        entry = {"name": name, "version": version}
        entry["reason"] = str(result.body.get("message") or f"{osv_url} answered HTTP {result.status}")
        if isinstance(result.body.get("latest"), str):
            entry["latest"] = result.body["latest"]
        unaudited.append(entry)
    return auditable, unaudited


def http_url(value: str) -> str:
    if urllib.parse.urlsplit(value).scheme not in ("http", "https"):
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="answer OSV queries on 127.0.0.1 until stopped")
    serve.add_argument("--pypi-url", type=http_url, default=DEFAULT_PYPI_URL, help="PyPI's JSON API base")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="0 (default): a free port")
    serve.add_argument("--port-file", type=Path, help="write the port here once listening")
    serve.add_argument("--timeout", type=float, default=30.0, help="seconds per request to PyPI")
    split = commands.add_parser("triage", help="split pinned requirements into answerable and not")
    split.add_argument("requirements", type=Path, help="NAME==VERSION lines")
    split.add_argument("--osv-url", type=http_url, required=True)
    split.add_argument("--auditable", type=Path, required=True, help="write the answerable pins here")
    split.add_argument("--unaudited", type=Path, required=True, help="write the others (JSON) here")
    args = parser.parse_args(argv)

    if args.command == "serve":
        server = make_server(ProjectCache(args.pypi_url, args.timeout), args.host, args.port)
        if args.port_file:
            # Written whole, then renamed: whoever waits for the file never reads half a port.
            partial = args.port_file.with_name(args.port_file.name + ".partial")
            partial.write_text(f"{server.server_address[1]}\n", encoding="utf-8")
            os.replace(partial, args.port_file)
        with server:
            server.serve_forever()
        return 0

    try:
        pinned = read_requirements(args.requirements)
    except ValueError as error:
        print(f"osv_from_pypi: {error}", file=sys.stderr)
        return 2
    auditable, unaudited = triage(args.osv_url, pinned)
    args.auditable.write_text("".join(f"{name}=={version}\n" for name, version in auditable), encoding="utf-8")
    args.unaudited.write_text(json.dumps(unaudited, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
