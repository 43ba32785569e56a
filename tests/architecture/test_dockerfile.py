"""The Dockerfile (not buildable here: no image registry) keeps its safety properties."""

import re
from pathlib import Path

from app.api import health

DOCKERFILE = (Path(__file__).resolve().parents[2] / "Dockerfile").read_text()


def test_slim_python_311_base() -> None:
    bases = re.findall(r"^FROM (\S+)", DOCKERFILE, re.MULTILINE)
    assert bases and all(base.startswith("python:3.11-slim") for base in bases)


def test_runs_as_a_non_root_user() -> None:
    users = re.findall(r"^USER (\S+)", DOCKERFILE, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")


def test_healthcheck_probes_a_route_that_exists() -> None:
    match = re.search(r"^HEALTHCHECK .*?CMD (.+?)$", DOCKERFILE, re.MULTILINE | re.DOTALL)
    assert match and "/healthz" in match.group(1)
    assert "/healthz" in {route.path for route in health.router.routes}  # type: ignore[attr-defined]


def test_serves_the_app_object_in_exec_form() -> None:
    assert re.search(r'^CMD \["uvicorn", "app\.main:app"', DOCKERFILE, re.MULTILINE)
    import app.main

    assert app.main.app is not None
