"""The Dockerfile keeps its safety properties (no image is built here: there is no Docker engine).

The helpers at the top (``instructions``, ``stages``, ``runtime_command``, ``dockerignore_excludes``)
are also used by test_deploy.py, which checks the Kubernetes manifests against this image.
"""

import json
import re
import shlex
import tomllib
from pathlib import Path

import pytest

from app.api import health

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
DOCKERIGNORE = (ROOT / ".dockerignore").read_text(encoding="utf-8")

SERVICE_UID = 10001
OCI_LABELS = {"title", "description", "licenses", "version", "revision", "created", "source", "base.name"}


def instructions(text: str = DOCKERFILE) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) per instruction: continuation lines joined, comments dropped."""
    result: list[tuple[str, str]] = []
    current = ""
    for line in text.splitlines():
        if line.strip().startswith("#"):
            continue  # comments, parser directives, and comment lines inside a continuation
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        if current.strip():
            keyword, _, arguments = current.strip().partition(" ")
            result.append((keyword.upper(), arguments.strip()))
        current = ""
    return result


def stages(text: str = DOCKERFILE) -> list[list[tuple[str, str]]]:
    """Instructions grouped by build stage, each list starting with its FROM."""
    result: list[list[tuple[str, str]]] = []
    for keyword, arguments in instructions(text):
        if keyword == "FROM":
            result.append([])
        if result:
            result[-1].append((keyword, arguments))
    return result


def runtime() -> list[tuple[str, str]]:
    return stages()[-1]


def only(keyword: str, stage: list[tuple[str, str]]) -> list[str]:
    return [arguments for kw, arguments in stage if kw == keyword]


def runtime_command() -> list[str]:
    """The final stage's CMD, which must be in exec (JSON) form."""
    (cmd,) = only("CMD", runtime())
    command = json.loads(cmd)
    assert isinstance(command, list) and all(isinstance(part, str) for part in command)
    return command


def option(command: list[str], name: str) -> str:
    assert command.count(name) == 1, f"{name} given {command.count(name)} times in {command}"
    return command[command.index(name) + 1]


def runtime_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for arguments in only("ENV", runtime()):
        for item in shlex.split(arguments):
            key, sep, value = item.partition("=")
            assert sep, f"ENV in the legacy 'ENV key value' form: {arguments}"
            env[key] = value
    return env


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    parts = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            parts.append(".*")
            i += 2
        elif pattern[i] == "*":
            parts.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            parts.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            end = pattern.index("]", i)
            parts.append(pattern[i : end + 1])
            i = end + 1
        else:
            parts.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(parts))


def dockerignore_excludes(path: str, text: str = DOCKERIGNORE) -> bool:
    """Whether Docker leaves ``path`` (relative, with /) out of the build context: the last
    matching pattern wins, ``!`` re-includes, and a pattern matching a folder covers its files."""
    excluded = False
    parents = [path] + ["/".join(path.split("/")[:n]) for n in range(1, path.count("/") + 1)]
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = _pattern_regex(line.lstrip("!").strip("/"))
        if any(pattern.fullmatch(candidate) for candidate in parents):
            excluded = not negated
    return excluded


# --- base images and stages -------------------------------------------------------------------


def test_multi_stage_build_ships_only_the_venv() -> None:
    all_stages = stages()
    assert len(all_stages) >= 2
    build_name = only("FROM", all_stages[0])[0].split()[-1]
    assert re.fullmatch(r"\S+ AS \w+", only("FROM", all_stages[0])[0], re.IGNORECASE)
    copies = only("COPY", runtime())
    assert copies == [f"--from={build_name} /opt/venv /opt/venv"], "the runtime stage copies the venv and nothing else"
    assert not only("ADD", runtime())


def test_base_is_a_pinned_slim_python_311_and_the_same_in_every_stage() -> None:
    images = [arguments.split()[0] for arguments in only("FROM", instructions())]
    for image in images:
        assert re.fullmatch(r"python:3\.11\.\d+-slim-[a-z]+(@sha256:[0-9a-f]{64})?", image), image
        assert "latest" not in image
    assert len(set(images)) == 1, "the venv's python is a symlink into the build stage's image"


def test_wheel_is_built_and_installed_into_a_venv_with_bytecode_precompiled() -> None:
    build_run = " && ".join(only("RUN", stages()[0]))
    assert re.search(r"pip wheel .*--wheel-dir /dist", build_run) or "python -m build" in build_run
    assert "python -m venv /opt/venv" in build_run
    assert "/opt/venv/bin/pip install" in build_run and "/dist/" in build_run
    assert re.search(r"/opt/venv/bin/python -m compileall .*--invalidation-mode unchecked-hash /opt/venv", build_run)
    assert any("-m compileall" in run for run in only("RUN", runtime())), "the stdlib ships without bytecode"


# --- runtime --------------------------------------------------------------------------------


def test_runs_as_the_numeric_non_root_user() -> None:
    users = only("USER", runtime())
    assert users == [f"{SERVICE_UID}:{SERVICE_UID}"]
    last_user_index = max(i for i, (kw, _) in enumerate(runtime()) if kw == "USER")
    assert not [kw for kw, _ in runtime()[last_user_index:] if kw == "RUN"], "nothing runs as root after USER"


def test_read_only_root_filesystem_friendly_environment() -> None:
    env = runtime_env()
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert env["PYTHONUNBUFFERED"] == "1"
    assert env["PATH"].startswith("/opt/venv/bin:")
    assert env["FORWARDED_ALLOW_IPS"] not in ("", "*"), "trust no proxy by default"


def test_healthcheck_uses_python_urllib_on_a_route_that_exists() -> None:
    (healthcheck,) = only("HEALTHCHECK", runtime())
    options, _, cmd = healthcheck.partition("CMD ")
    assert "--timeout=" in options and "--interval=" in options
    command = json.loads(cmd)
    assert command[:2] == ["python", "-c"]
    assert "urllib.request" in command[2] and "http://127.0.0.1:8000/healthz" in command[2]
    assert "/healthz" in {route.path for route in health.router.routes}  # type: ignore[attr-defined]


def test_serves_the_app_object_with_uvicorn_in_exec_form() -> None:
    command = runtime_command()
    assert command[:2] == ["uvicorn", "app.main:app"]
    assert option(command, "--host") == "0.0.0.0"  # noqa: S104 (inside the container, all interfaces is right)
    assert option(command, "--port") == "8000"
    assert only("EXPOSE", runtime()) == ["8000"]
    assert {"--no-server-header", "--proxy-headers"} <= set(command)
    assert option(command, "--loop") == "asyncio"  # as `screener serve` (uvloop stalls accepts)
    assert "--reload" not in command and "--forwarded-allow-ips" not in command  # from FORWARDED_ALLOW_IPS
    assert not only("ENTRYPOINT", runtime()), "uvicorn itself is PID 1 and receives SIGTERM"
    import app.main

    assert app.main.app is not None


def test_graceful_shutdown() -> None:
    assert int(option(runtime_command(), "--timeout-graceful-shutdown")) > 0
    assert only("STOPSIGNAL", runtime()) == ["SIGTERM"]


def test_oci_labels() -> None:
    labels = dict(item.split("=", 1) for item in shlex.split(" ".join(only("LABEL", runtime()))))
    prefix = "org.opencontainers.image."
    assert {key.removeprefix(prefix) for key in labels if key.startswith(prefix)} == OCI_LABELS
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert labels[prefix + "licenses"] == pyproject["project"]["license"]["text"]
    assert labels[prefix + "title"] == pyproject["project"]["name"]
    images = {arguments.split()[0] for arguments in only("FROM", instructions())}
    assert {labels[prefix + "base.name"].removeprefix("docker.io/library/")} == images


# --- build context --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        ".git/config",
        ".venv/bin/python",
        "tests/conftest.py",
        "bench/wrk.py",
        "deploy/kubernetes/deployment.yaml",
        "scripts/lint-dockerfile.sh",
        ".mypy_cache/3.11/x.json",
        ".ruff_cache/x",
        ".pytest_cache/x",
        ".hypothesis/x",
        "app/__pycache__/main.cpython-311.pyc",
        "app/api/__pycache__/health.cpython-311.pyc",
        "app/rules/hip-pelvic-floor/cases/red_flags.yaml",
        "hip_pelvic_screener.egg-info/PKG-INFO",
        ".env",
    ],
)
def test_dockerignore_keeps_out(path: str) -> None:
    assert dockerignore_excludes(path)


def test_dockerignore_lets_in_everything_the_build_copies() -> None:
    copied = [
        source
        for keyword, arguments in instructions()
        if keyword == "COPY" and not arguments.startswith("--from")
        for source in arguments.split()[:-1]
    ]
    assert copied
    for source in copied:
        found = [ROOT / source] if (ROOT / source).is_file() else (ROOT / source).rglob("*")
        files = [str(path.relative_to(ROOT)) for path in found]
        for path in files:
            if "__pycache__" in path or "/cases/" in path or path.endswith("/cases"):
                continue
            assert not dockerignore_excludes(path), f"{path} is copied by the Dockerfile but left out of the context"
    assert not dockerignore_excludes("app/rules/hip-pelvic-floor/rules.yaml")
