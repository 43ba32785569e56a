"""The examples in docs/ work: every curl command runs against a real server and answers as the
``# expect:`` comment above it says, every JavaScript example runs under node, every problem
body shown is one the service sends, and the example answer files are the OpenAPI examples.

Conventions for docs/**/*.md (this test enforces them):

- curl commands live in ```sh blocks, written against http://127.0.0.1:8000 (replaced here by
  the test server's address) and run from the repository root, so ``-d @docs/examples/...``
  works for readers and for the test alike. A block runs as one bash script.
- Each curl command has a comment line before it: ``# expect: STATUS [CHECK ...]`` where a
  CHECK is ``a.b.0.c=VALUE`` (a JSON member equals VALUE; non-strings as JSON: true, null, [])
  or ``a.b~TEXT`` (contains TEXT), ``header:NAME`` (present), ``header:NAME=VALUE`` or
  ``header:NAME~TEXT``. Checks hold no spaces.
- ```js blocks are ES modules that node runs from the repository root; a ``// prints: TEXT``
  line says what the output contains.
- ```json blocks parse; a problem document among them is one of app.schemas.examples.PROBLEMS.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.schemas import examples
from tests.support.servers import ROOT, Server

DOCS = ROOT / "docs"
DOCS_BASE_URL = "http://127.0.0.1:8000"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    language: str
    code: str

    @property
    def label(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def _blocks() -> list[Block]:
    found = []
    for path in sorted(DOCS.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(Block(path, line, match.group(1), match.group(2)))
    return found


BLOCKS = _blocks()
CURL_BLOCKS = [b for b in BLOCKS if b.language == "sh" and re.search(r"\bcurl\b", b.code)]
JS_BLOCKS = [b for b in BLOCKS if b.language == "js"]
JSON_BLOCKS = [b for b in BLOCKS if b.language == "json"]


def test_the_docs_have_examples_and_keep_curl_in_sh_blocks() -> None:
    assert (DOCS / "integration-guide.md").is_file()
    assert len(CURL_BLOCKS) >= 10 and JS_BLOCKS and JSON_BLOCKS
    for block in BLOCKS:
        if block.language != "sh":
            assert not re.search(r"^\s*curl\b", block.code, re.MULTILINE), f"{block.label}: curl outside ```sh"


# --- curl -------------------------------------------------------------------------------------

# Every curl call of the block records its headers and output in $CALLS, numbered in the order
# they run (a file counter, as $(...) runs in a subshell); its output still goes where the
# block sends it.
_PRELUDE = """\
set -euo pipefail
curl() {
  local n
  n=$(( $(cat "$CALLS/count") + 1 ))
  echo "$n" > "$CALLS/count"
  command curl -D "$CALLS/$n.headers" "$@" | tee "$CALLS/$n.out"
}
"""


@dataclass(frozen=True)
class Expectation:
    status: int
    checks: tuple[str, ...]


def _expectations(block: Block) -> list[Expectation]:
    expected: list[Expectation] = []
    pending: Expectation | None = None
    for line in block.code.splitlines():
        stripped = line.strip()
        if stripped.startswith("# expect:"):
            status, *checks = stripped.removeprefix("# expect:").split()
            pending = Expectation(int(status), tuple(checks))
        elif not stripped.startswith("#"):
            for _ in re.finditer(r"(?:^|[\s|($])curl\s", stripped):
                assert pending is not None, f"{block.label}: a curl command without '# expect:' above it"
                expected.append(pending)
                pending = None
    return expected


def _response(calls: Path, n: int) -> tuple[int, dict[str, str], bytes]:
    header_blocks = (calls / f"{n}.headers").read_bytes().decode("latin-1").strip().split("\r\n\r\n")
    status_line, *header_lines = header_blocks[-1].split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = (calls / f"{n}.out").read_bytes()
    if body.startswith(b"HTTP/"):  # -i: the headers came first
        body = body.split(b"\r\n\r\n", len(header_blocks))[-1]
    return int(status_line.split()[1]), headers, body


def _member(document: Any, path: str) -> Any:
    for part in path.split("."):
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _check(check: str, headers: dict[str, str], body: bytes) -> None:
    target, operator, wanted = re.fullmatch(r"([^=~]+)(?:([=~])(.*))?", check).groups()  # type: ignore[union-attr]
    if target.startswith("header:"):
        name = target.removeprefix("header:").lower()
        assert name in headers, f"no {name} header"
        actual = headers[name]
    else:
        actual = _as_text(_member(json.loads(body), target))
    if operator == "=":
        assert actual == wanted, f"{target}: {actual!r} != {wanted!r}"
    elif operator == "~":
        assert wanted in actual, f"{target}: {wanted!r} not in {actual!r}"


@pytest.mark.parametrize("block", CURL_BLOCKS, ids=[b.label for b in CURL_BLOCKS])
def test_curl_examples_answer_as_documented(block: Block, server: Server, tmp_path: Path) -> None:
    if shutil.which("curl") is None or shutil.which("bash") is None:
        pytest.skip("curl and bash are needed to run the curl examples")
    expected = _expectations(block)
    assert expected, f"{block.label}: no expectations"
    calls = tmp_path / "calls"
    calls.mkdir()
    (calls / "count").write_text("0")
    script = _PRELUDE + block.code.replace(DOCS_BASE_URL, server.base_url)
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        env={**os.environ, "CALLS": str(calls)},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"{block.label} failed:\n{done.stdout.decode()}\n{done.stderr.decode()}"
    assert int((calls / "count").read_text()) == len(expected), f"{block.label}: every curl call ran once"
    for n, expectation in enumerate(expected, start=1):
        status, headers, body = _response(calls, n)
        where = f"{block.label}, curl call {n}"
        assert status == expectation.status, f"{where}: status {status}, body {body[:500]!r}"
        for check in expectation.checks:
            try:
                _check(check, headers, body)
            except (AssertionError, KeyError, IndexError, ValueError) as exc:
                raise AssertionError(f"{where}: {check}: {exc!r}") from None


def test_the_expect_syntax_is_understood() -> None:
    block = Block(DOCS / "x.md", 1, "sh", "# expect: 200 a=1\ncurl -s X\n# expect: 404\nv=$(curl -s Y | grep z)\n")
    assert _expectations(block) == [Expectation(200, ("a=1",)), Expectation(404, ())]
    _check("a.0.b=true", {}, b'{"a": [{"b": true}]}')
    _check("a~ell", {"x": "y"}, b'{"a": "hello"}')
    _check("header:x=y", {"x": "y"}, b"")
    with pytest.raises(AssertionError):
        _check("a=2", {}, b'{"a": 1}')


# --- JavaScript -------------------------------------------------------------------------------


@pytest.mark.parametrize("block", JS_BLOCKS, ids=[b.label for b in JS_BLOCKS])
def test_javascript_examples_run(block: Block, server: Server, tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is needed to run the JavaScript examples")
    script = tmp_path / "example.mjs"
    script.write_text(block.code.replace(DOCS_BASE_URL, server.base_url), encoding="utf-8")
    done = subprocess.run([node, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"{block.label} failed:\n{done.stdout}\n{done.stderr}"
    printed = [line.split("// prints:", 1)[1].strip() for line in block.code.splitlines() if "// prints:" in line]
    for text in printed:
        assert text in done.stdout, f"{block.label}: {text!r} not in {done.stdout!r}"


# --- JSON bodies and example files ------------------------------------------------------------


def _problem_name(body: dict[str, Any]) -> str | None:
    rest = {key: value for key, value in body.items() if key != "instance"}
    return next((name for name, problem in examples.PROBLEMS.items() if problem == rest), None)


def test_json_examples_parse_and_problems_are_real() -> None:
    shown: set[tuple[int, str]] = set()
    for block in JSON_BLOCKS:
        body = json.loads(block.code)
        if isinstance(body, dict) and {"type", "title", "status", "detail", "instance"} <= set(body):
            name = _problem_name(body)
            assert name is not None, f"{block.label}: a problem body the service does not send"
            assert body == examples.problem(name, body["instance"]) and body["instance"].startswith("/v1/")
            shown.add((body["status"], body["type"]))
    every = {(problem["status"], problem["type"]) for problem in examples.PROBLEMS.values()}
    assert shown == every, "the docs show an example of every problem status and type"


def test_example_answer_files_are_the_openapi_examples() -> None:
    files = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in (DOCS / "examples").glob("*.json")}
    assert files == {
        "physio.json": examples.PHYSIO_REQUEST,
        "emergency.json": examples.EMERGENCY_REQUEST,
        "early-emergency.json": examples.EARLY_EMERGENCY_REQUEST,
    }


def test_every_file_the_docs_send_exists() -> None:
    for block in BLOCKS:
        for token in shlex.split(block.code, comments=True) if block.language == "sh" else []:
            if token.startswith("@") and token != "@-":
                assert (ROOT / token[1:]).is_file(), f"{block.label}: {token}"
        for name in re.findall(r"docs/examples/[\w.-]+", block.code):
            assert (ROOT / name).is_file(), f"{block.label}: {name}"
