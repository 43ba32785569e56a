"""The OpenAPI and docs examples are what the service answers today (see build.py)."""

from tests.api_examples.build import build, files


def test_the_example_files_are_current() -> None:
    stale = [str(path) for path, content in files(build()).items() if path.read_text(encoding="utf-8") != content]
    assert not stale, f"examples out of date: run `.venv/bin/python -m tests.api_examples.build` ({stale})"
