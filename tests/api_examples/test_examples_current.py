"""The OpenAPI and docs examples are what the service answers today (see build.py)."""

import json

import pytest

from app.schemas import examples
from tests.api_examples.build import build, files
from tests.support.rulesets import ROOT


@pytest.mark.server  # build() asks a real server
def test_the_example_files_are_current() -> None:
    stale = [str(path) for path, content in files(build()).items() if path.read_text(encoding="utf-8") != content]
    assert not stale, f"examples out of date: run `.venv/bin/python -m tests.api_examples.build` ({stale})"


def _trimmed(shown: object, real: object) -> bool:
    """``shown`` is ``real`` with parts left out: fewer keys, a subsequence of a list, or a
    text cut at ``...``."""
    if isinstance(shown, dict) and isinstance(real, dict):
        return all(key in real and _trimmed(value, real[key]) for key, value in shown.items())
    if isinstance(shown, list) and isinstance(real, list):
        rest = iter(real)
        return all(any(_trimmed(item, candidate) for candidate in rest) for item in shown)
    if isinstance(shown, str) and isinstance(real, str) and shown.endswith("..."):
        return real.startswith(shown.removesuffix("..."))
    return shown == real


def test_the_integration_guide_shows_a_trimmed_real_result() -> None:
    guide = (ROOT / "docs" / "integration-guide.md").read_text(encoding="utf-8")
    block = guide.split("A screening result, trimmed", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    assert _trimmed(json.loads(block), examples.PHYSIO_RESULT), "docs/integration-guide.md: refresh the trimmed result"
