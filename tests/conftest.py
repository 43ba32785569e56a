"""Shared fixtures: the shipped rule set, and a real uvicorn server for end-to-end tests."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from app.engine.loader import load_ruleset
from app.engine.ruleset import RuleSet
from tests.support.answers import RULESET_DIR
from tests.support.servers import Server, uvicorn_server

# CI runs every property with at least 1,000 examples; locally a lighter run keeps feedback fast.
hypothesis_settings.register_profile("ci", max_examples=1000, derandomize=True, deadline=None)
hypothesis_settings.register_profile("dev", max_examples=200, deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    return load_ruleset(RULESET_DIR)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The real service, with the rate limits high enough not to interfere."""
    env = {"SCREENER_RATE_LIMIT_PER_MINUTE": "100000", "SCREENER_CHECK_RATE_LIMIT_PER_MINUTE": "100000"}
    with uvicorn_server(tmp_path_factory.mktemp("server"), env=env) as srv:
        yield srv


@pytest.fixture(scope="session")
def root() -> Path:
    return Path(__file__).resolve().parents[1]
