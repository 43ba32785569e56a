"""The docs describe what exists: every make target, CLI command, setting, endpoint path, repository
file and link they name is there (the README, docs/*.md, and the rule-set, FHIR and deploy guides).
The examples in docs/ run as tests of their own (tests/api/test_docs_examples.py)."""

import inspect
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from app.cli import main as cli
from app.config import Settings
from app.main import create_app
from tests.support.inprocess import exchange
from tests.support.rulesets import ROOT, shipped_catalog

GUIDES = [ROOT / "README.md", *(ROOT / folder / "README.md" for folder in ("app/rules", "app/fhir", "deploy"))]
DOCS = sorted([*GUIDES, *(ROOT / "docs").glob("*.md")])
TEXTS = {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8") for path in DOCS}

_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
# Paths the service answers, as the docs write them: after the local address, after the
# placeholder host of the embed snippets, or alone in inline code.
_SERVED_PREFIXES: tuple[str, ...] = ("/v1/", "/fhir/", "/widget/", "/embed", "/.well-known/", "/healthz", "/livez")
_SERVED_PREFIXES += ("/readyz", "/metrics", "/docs", "/redoc", "/openapi.json")
_URL_PATH = re.compile(r"(?:https?://(?:127\.0\.0\.1:8000|SCREENER))(/[^\s`'\")\]>]*)")
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_REPO_DIRS = ("app/", "tests/", "docs/", "deploy/", "scripts/", "bench/", "examples/", ".ci/")
GENERATED = {"bench/results/latest.json"}  # written by make bench, ignored by git


def _code(text: str) -> list[str]:
    """Inline code spans and the lines of fenced shell blocks."""
    spans = _INLINE_CODE.findall(_FENCE.sub("", text))
    for language, block in _FENCE.findall(text):
        if language in ("sh", "bash", "shell", ""):
            spans += block.splitlines()
    return spans


def _named(pattern: str) -> list[tuple[str, str]]:
    """(doc, match) for each match of ``pattern`` in the code of every doc."""
    found = re.compile(pattern)
    return [(doc, name) for doc, text in TEXTS.items() for span in _code(text) for name in found.findall(span)]


def _make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w.-]*):(?!=)", makefile, re.MULTILINE))


def test_every_make_target_the_docs_name_exists() -> None:
    named = _named(r"(?:^|\s)make ([a-z][a-z-]*)")
    assert {name for _, name in named} >= {"run", "test", "test-fast"}
    missing = [(doc, name) for doc, name in named if name not in _make_targets()]
    assert missing == []


def test_every_make_target_with_a_description_is_in_the_readme() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    described = re.findall(r"^([a-z][\w-]*):[^=\n]*##", makefile, re.MULTILINE)
    readme = {name for doc, name in _named(r"(?:^|\s)make ([a-z][a-z-]*)") if doc == "README.md"}
    assert sorted(set(described) - readme) == []


def _cli_commands(capsys: pytest.CaptureFixture[str]) -> set[str]:
    with pytest.raises(SystemExit):
        cli(["--help"])
    choices = re.search(r"\{([a-z,-]+)\}", capsys.readouterr().out)
    assert choices, "screener --help lists no commands"
    return set(choices.group(1).split(","))


def test_every_cli_command_the_docs_name_exists_and_each_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    commands = _cli_commands(capsys)
    named = _named(r"(?:^|\s|/)screener ([a-z][a-z-]*)")
    assert [(doc, name) for doc, name in named if name not in commands] == []
    assert sorted(commands - {name for _, name in named}) == [], "commands the docs never mention"


def test_every_setting_the_docs_name_exists() -> None:
    # Settings by field, and uvicorn's own variables: UVICORN_<option> for any uvicorn option
    # (the image runs uvicorn directly), FORWARDED_ALLOW_IPS (which screener serve reads too).
    known = {f"SCREENER_{field.upper()}" for field in Settings.model_fields} | {"FORWARDED_ALLOW_IPS"}
    known |= {f"UVICORN_{option.upper()}" for option in inspect.signature(uvicorn.Config).parameters}
    named = [(doc, name) for doc, text in TEXTS.items() for name in re.findall(r"\bSCREENER_[A-Z0-9_]+\b", text)]
    named += [(doc, name) for doc, text in TEXTS.items() for name in re.findall(r"\bUVICORN_[A-Z_]+\b", text)]
    assert [(doc, name) for doc, name in named if name not in known] == []


def _served_paths() -> list[tuple[str, str]]:
    found = []
    for doc, text in TEXTS.items():
        candidates = _URL_PATH.findall(text)
        candidates += [span.split()[-1] for span in _INLINE_CODE.findall(text) if span.split()]
        for candidate in candidates:
            path = candidate.split("?")[0].split("#")[0].rstrip(".,;:")
            if path.startswith(_SERVED_PREFIXES) and "..." not in path:
                found.append((doc, path))
    return sorted(set(found))


SERVED_PATHS = _served_paths()
ROUTE_MISSING = "There is nothing at this address."


def _concrete(path: str) -> str:
    """A template such as /v1/questionnaires/{id} with real values in."""
    path = re.sub(r"\{(id|questionnaire_id)\}", "hip-pelvic-floor", path)
    return re.sub(r"\{[a-z_]+\}", "demo", path)


def test_the_docs_name_the_main_paths() -> None:
    paths = {path for _, path in SERVED_PATHS}
    assert {"/healthz", "/readyz", "/v1/questionnaires", "/fhir/r4/QuestionnaireResponse/$screen"} <= paths


def test_every_path_the_docs_name_is_served() -> None:
    """Each path answers something other than the 404 for an address nothing serves (a POST
    route answers GET with 405, which still proves it is there)."""
    unlimited = Settings(rate_limit_per_minute=0, check_rate_limit_per_minute=0, max_in_flight=0, max_queue_delay_ms=0)
    app = create_app(unlimited, shipped_catalog())

    async def calls(client: httpx.AsyncClient) -> list[tuple[str, str, int, Any]]:
        answers = []
        for doc, path in [*SERVED_PATHS, ("(a path nothing serves)", "/v1/no-such-path")]:
            response = await client.get(_concrete(path))
            answers.append((doc, path, response.status_code, response.text))
        return answers

    answers = exchange(app, calls)
    missing = [(doc, path) for doc, path, status, body in answers if status == 404 and ROUTE_MISSING in body]
    assert missing == [("(a path nothing serves)", "/v1/no-such-path")], [answer[:3] for answer in answers]


def test_every_v1_path_the_docs_name_is_in_the_openapi_document() -> None:
    documented = create_app().openapi()["paths"]
    patterns = [re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$") for path in documented]
    v1 = [(doc, path) for doc, path in SERVED_PATHS if path.startswith("/v1/")]
    assert v1, "the docs name no /v1 path"
    assert [(doc, path) for doc, path in v1 if not any(p.match(_concrete(path)) for p in patterns)] == []


def _repo_paths() -> list[tuple[str, Path, str]]:
    found = []
    for doc, text in TEXTS.items():
        base = (ROOT / doc).parent
        for target in _LINK.findall(text):
            if not re.match(r"[a-z]+:|#", target):
                found.append((doc, (base / target.split("#")[0]).resolve(), target))
        for span in _INLINE_CODE.findall(text):
            for word in span.split():
                if word.startswith(_REPO_DIRS) and not re.search(r"[<>*{}]|\.\.\.", word):
                    found.append((doc, ROOT / word.rstrip(".,;:"), word))
    return found


def test_every_file_and_link_the_docs_name_exists() -> None:
    paths = _repo_paths()
    assert len(paths) > 20
    missing = [(doc, named) for doc, path, named in paths if not path.exists() and named not in GENERATED]
    assert missing == []


def test_every_module_the_architecture_page_names_exists() -> None:
    """docs/architecture.md names our modules by file name alone in its diagrams (the section on
    the models we followed names theirs)."""
    text = TEXTS["docs/architecture.md"].split("## The models we followed")[0]
    modules = {path.name for folder in ("app", "tests", "bench", "scripts") for path in (ROOT / folder).rglob("*.py")}
    named = set(re.findall(r"\b([a-z_]+\.py)\b", text))
    assert len(named) > 5
    assert sorted(named - modules) == []
