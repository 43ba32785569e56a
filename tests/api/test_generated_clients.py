"""Clients generated from our OpenAPI document work: a Python client (openapi-python-client)
against a real server, and TypeScript types (openapi-typescript) that a small client file
type-checks against with tsc, then runs against the same server.

When a generator chokes on a construct of the document, fix the document: that is what this
test is for. openapi-python-client belongs in the dev extras; if it is missing it is installed
into the running interpreter. The TypeScript tools are pinned in tests/clients/ts/package.json
and its lock file, and installed with `npm ci` when node_modules is missing.
"""

import importlib
import importlib.util
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from app.schemas import examples
from tests.support.servers import ROOT, Server
from tests.support.setup_lock import made_by_one_worker

TS_DIR = ROOT / "tests" / "clients" / "ts"
GENERATOR_REQUIREMENT = "openapi-python-client>=0.29,<0.30"
PACKAGE = "screener_client"
QUESTIONNAIRE = "hip-pelvic-floor"


@pytest.fixture(scope="module")
def spec_file(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The OpenAPI document the running service serves."""
    path = tmp_path_factory.mktemp("spec") / "openapi.json"
    path.write_text(httpx.get(f"{server.base_url}/openapi.json").text, encoding="utf-8")
    return path


def _run(command: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done


# --- Python -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client_package(spec_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    if importlib.util.find_spec("openapi_python_client") is None:
        _run([sys.executable, "-m", "pip", "install", "--quiet", GENERATOR_REQUIREMENT], ROOT)
    out = tmp_path_factory.mktemp("python-client")
    config = out / "config.json"
    config.write_text(json.dumps({"post_hooks": []}))  # no formatter needed to import it
    _run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(spec_file),
            "--meta",
            "none",
            "--output-path",
            str(out / PACKAGE),
            "--config",
            str(config),
            "--fail-on-warning",
        ],
        out,
    )
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _module(name: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.{name}")


@pytest.fixture
def client(client_package: ModuleType, server: Server) -> Iterator[Any]:
    with client_package.Client(base_url=server.base_url, raise_on_unexpected_status=True) as client:
        yield client


def test_python_client_lists_and_fetches_questionnaires(client: Any) -> None:
    models = _module("models")
    listing_api = _module("api.questionnaires.questionnaires_list_questionnaires")
    get_api = _module("api.questionnaires.questionnaires_get_questionnaire")

    listing = listing_api.sync(client=client)
    assert isinstance(listing, models.QuestionnaireList)
    assert [q.id for q in listing.questionnaires] == [QUESTIONNAIRE]

    response = get_api.sync_detailed(QUESTIONNAIRE, client=client, lang="fr", country="gb")
    questionnaire = response.parsed
    assert isinstance(questionnaire, models.QuestionnaireView)
    assert (questionnaire.language, questionnaire.country) == ("fr", "gb")
    items = [item for section in questionnaire.sections for item in section.items]
    assert items[0].id == "ctx_answering_for" and items[0].type_ == models.ItemViewType.SINGLE_CHOICE
    # Skip logic parses into the condition models, nested ones included.
    nested = [item.enable_when for item in items if isinstance(item.enable_when, models.AllCondition)]
    assert nested and any(isinstance(part, models.AnyCondition) for part in nested[0].all_)

    etag = response.headers["ETag"]
    again = get_api.sync_detailed(QUESTIONNAIRE, client=client, lang="fr", country="gb", if_none_match=etag)
    assert again.status_code == 304 and again.parsed is None


@pytest.mark.parametrize("name", list(examples.SCREENING_REQUEST_EXAMPLES))
def test_python_client_screens_the_examples(client: Any, name: str) -> None:
    models = _module("models")
    screen_api = _module("api.screenings.screenings_create_screening")
    answers = models.Answers.from_dict(examples.SCREENING_REQUEST_EXAMPLES[name]["value"]["answers"])
    assert answers.to_dict() == examples.SCREENING_REQUEST_EXAMPLES[name]["value"]["answers"], "round trip"

    result = screen_api.sync(QUESTIONNAIRE, client=client, body=models.ScreeningRequest(answers=answers))

    expected = examples.SCREENING_RESULT_EXAMPLES[name]["value"]
    assert isinstance(result, models.ScreeningResult)
    assert result.level == models.ScreeningResultLevel(expected["level"])
    assert [reason.rule_id for reason in result.reasons] == [reason["rule_id"] for reason in expected["reasons"]]
    assert result.findings.pf_bladder.status in set(models.FindingViewStatus)
    assert (result.complete, result.unanswered_required) == (expected["complete"], expected["unanswered_required"])


def test_python_client_is_told_to_stop_at_a_red_flag(client: Any) -> None:
    models = _module("models")
    progress_api = _module("api.progress.progress_get_progress")
    answers = models.Answers.from_dict(examples.EARLY_EMERGENCY_REQUEST["answers"])

    progress = progress_api.sync(QUESTIONNAIRE, client=client, body=models.ProgressRequest(answers=answers))

    assert isinstance(progress, models.ProgressView)
    assert progress.should_stop is True and progress.can_screen is True
    assert progress.minimum_level == models.ProgressViewMinimumLevel.EMERGENCY
    assert progress.minimum_reasons == examples.EARLY_EMERGENCY_PROGRESS["minimum_reasons"]


def test_python_client_receives_problems(client_package: ModuleType, client: Any) -> None:
    models = _module("models")
    screen_api = _module("api.screenings.screenings_create_screening")
    progress_api = _module("api.progress.progress_get_progress")
    partial = models.Answers(ctx_answering_for=models.AnswersCtxAnsweringFor.MYSELF)

    response = screen_api.sync_detailed(QUESTIONNAIRE, client=client, body=models.ScreeningRequest(answers=partial))

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.parsed
    assert isinstance(problem, models.Problem)
    assert problem.type_ == "/problems/invalid-answers"
    assert {item.code for item in problem.errors} == {"missing_required"}
    assert "#/answers/ctx_age_years" in {item.pointer for item in problem.errors}

    unknown = screen_api.sync_detailed(
        "no-such-questionnaire", client=client, body=models.ScreeningRequest(answers=partial)
    )
    assert unknown.status_code == 404 and isinstance(unknown.parsed, models.Problem)
    assert unknown.parsed.errors is client_package.types.UNSET

    progress = progress_api.sync(
        QUESTIONNAIRE, client=client, body=models.ProgressRequest(answers=partial, skipped=["ctx_age_years"])
    )
    assert isinstance(progress, models.ProgressView)
    assert progress.next_question == "ctx_pelvic_anatomy" and not progress.can_screen


# --- TypeScript -------------------------------------------------------------------------------

RUNNER = """\
import { readFileSync } from "node:fs";
import { screen, progress, getQuestionnaire, urgency, problemCodes, ProblemError } from "./out/client.js";

const [baseUrl, requestFile, earlyFile] = process.argv.slice(2);
const EARLY = JSON.parse(readFileSync(earlyFile, "utf-8"));
const request = JSON.parse(readFileSync(requestFile, "utf-8"));
const questionnaire = await getQuestionnaire(baseUrl, "hip-pelvic-floor", "fr");
const result = await screen(baseUrl, "hip-pelvic-floor", request, { country: "gb" });
const next = await progress(baseUrl, "hip-pelvic-floor", { answers: {}, skipped: [] });
const early = await progress(baseUrl, "hip-pelvic-floor", EARLY);
const stopped = await screen(baseUrl, "hip-pelvic-floor", EARLY);
let codes = [];
try {
  await screen(baseUrl, "hip-pelvic-floor", { answers: { ctx_answering_for: "myself" } });
} catch (error) {
  if (!(error instanceof ProblemError)) throw error;
  codes = problemCodes(error.problem);
}
console.log(JSON.stringify({
  language: questionnaire.language,
  level: result.level,
  urgency: urgency(result.level),
  country: result.country,
  next: next.next_question,
  start: [next.minimum_level, next.should_stop],
  early: [early.minimum_level, early.should_stop, stopped.level, stopped.complete],
  codes,
}));
"""


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.skip("node and npm are needed for the TypeScript client check")
    return npm


@pytest.fixture(scope="module")
def ts_tools() -> Path:
    """tests/clients/ts/node_modules/.bin, installed from the lock file when missing."""
    npm = _npm()
    bin_dir = TS_DIR / "node_modules" / ".bin"
    with made_by_one_worker(TS_DIR / "node_modules"):
        if not (bin_dir / "tsc").exists() or not (bin_dir / "openapi-typescript").exists():
            _run([npm, "ci", "--no-audit", "--no-fund"], TS_DIR, timeout=600)
    return bin_dir


def test_typescript_client_type_checks_against_generated_types_and_runs(
    ts_tools: Path, spec_file: Path, server: Server, tmp_path: Path
) -> None:
    _run([str(ts_tools / "openapi-typescript"), str(spec_file), "-o", str(tmp_path / "api.d.ts")], tmp_path)
    for name in ("client.ts", "tsconfig.json"):
        shutil.copy(TS_DIR / name, tmp_path / name)

    _run([str(ts_tools / "tsc"), "--noEmit", "-p", str(tmp_path)], tmp_path)

    _run([str(ts_tools / "tsc"), "-p", str(tmp_path)], tmp_path)
    (tmp_path / "package.json").write_text('{"type": "module"}')
    (tmp_path / "run.mjs").write_text(RUNNER)
    request = tmp_path / "request.json"
    request.write_text(json.dumps(examples.EMERGENCY_REQUEST))
    early = tmp_path / "early.json"
    early.write_text(json.dumps(examples.EARLY_EMERGENCY_REQUEST))
    done = _run(["node", "run.mjs", server.base_url, str(request), str(early)], tmp_path, timeout=60)
    assert json.loads(done.stdout) == {
        "language": "fr",
        "level": "emergency",
        "urgency": "now",
        "country": "gb",
        "next": "ctx_answering_for",
        "start": ["general_advice", False],
        "early": ["emergency", True, "emergency", False],
        "codes": [f"missing_required #/answers/{qid}" for qid in _required_after_answering_for_myself(server)],
    }


def test_typescript_types_refuse_what_the_service_refuses(ts_tools: Path, spec_file: Path, tmp_path: Path) -> None:
    """Without its @ts-expect-error markers the client must not compile: the generated types
    know the question ids, option values, answer types and levels."""
    _run([str(ts_tools / "openapi-typescript"), str(spec_file), "-o", str(tmp_path / "api.d.ts")], tmp_path)
    shutil.copy(TS_DIR / "tsconfig.json", tmp_path / "tsconfig.json")
    source = (TS_DIR / "client.ts").read_text(encoding="utf-8")
    expected = source.count("// @ts-expect-error")
    assert expected >= 5
    (tmp_path / "client.ts").write_text(source.replace("// @ts-expect-error", "// (was expected)"))

    done = subprocess.run(
        [str(ts_tools / "tsc"), "--noEmit", "-p", str(tmp_path)], capture_output=True, text=True, timeout=300
    )

    assert done.returncode != 0
    assert done.stdout.count("error TS") == expected, done.stdout


def _required_after_answering_for_myself(server: Server) -> list[str]:
    response = httpx.post(
        f"{server.base_url}/v1/questionnaires/{QUESTIONNAIRE}/progress",
        json={"answers": {"ctx_answering_for": "myself"}},
    )
    required: list[str] = response.json()["unanswered_required"]
    return required
