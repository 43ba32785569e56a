"""Shared fixtures (the shipped rule set and catalog, loaded once; a real uvicorn server) and the
markers ``server``, ``browser`` and ``slow``, given to every test that uses a fixture needing one."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from app.api.catalog import Catalog
from app.engine.ruleset import RuleSet
from tests.support import servers
from tests.support.rulesets import ROOT, minimal_ruleset, shipped_catalog, shipped_ruleset
from tests.support.servers import Server, uvicorn_server

# CI runs every property with at least 1,000 examples; locally a lighter run keeps feedback fast
# (`make test-fast` lighter still).
hypothesis_settings.register_profile("ci", max_examples=1000, derandomize=True, deadline=None)
hypothesis_settings.register_profile("dev", max_examples=200, deadline=None)
hypothesis_settings.register_profile("fast", max_examples=20, deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# Fixtures that start a real uvicorn process, drive Chromium or run a slow tool: a test using
# one (directly or through another fixture) gets the marker, so `make test-fast` leaves it
# out. A test that starts a server itself (tests.support.servers) must say @pytest.mark.server.
MARKED_BY_FIXTURE = {
    "server": frozenset({"server", "api", "service"}),
    "browser": frozenset({"browser"}),
    "slow": frozenset({"pip_audit"}),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for marker, fixtures in MARKED_BY_FIXTURE.items():
            if used & fixtures:
                item.add_marker(marker)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    servers.running_in(item)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    servers.running_in(None)


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    return shipped_ruleset()


@pytest.fixture(scope="session")
def minimal() -> RuleSet:
    return minimal_ruleset()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return shipped_catalog()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The real service, with the rate limits high enough not to interfere."""
    env = {"SCREENER_RATE_LIMIT_PER_MINUTE": "100000", "SCREENER_CHECK_RATE_LIMIT_PER_MINUTE": "100000"}
    with uvicorn_server(tmp_path_factory.mktemp("server"), env=env) as srv:
        yield srv


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


# The chunks of tests/e2e/test_golden_widget.py, added up for one line at the end of the run:
# with pytest-xdist each chunk's figures come back to the controller in its report, and the
# controller loads this file only (it collects no tests, so no conftest below this one).
GOLDEN_CHUNKS: list[dict[str, Any]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        GOLDEN_CHUNKS.extend(
            value for name, value in report.user_properties if name == "golden_widget" and isinstance(value, dict)
        )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if GOLDEN_CHUNKS:
        total = {key: sum(chunk[key] for chunk in GOLDEN_CHUNKS) for key in ("cases", "driven", "problems", "seconds")}
        terminalreporter.write_line(
            f"golden cases through the widget: {total['driven']} of {total['cases']} driven in {len(GOLDEN_CHUNKS)}"
            f" chunks, {total['problems']} problems, {total['seconds']:.0f} s of test time"
        )
