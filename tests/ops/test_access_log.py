"""Access lines: one JSON line per request, written in one system call per event-loop turn."""

import asyncio
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.observability.access import AccessObserver
from app.observability.metrics import Metrics


@pytest.fixture
def observer(tmp_path: Path) -> Iterator[tuple[AccessObserver, Path]]:
    path = tmp_path / "stdout.log"
    logger = logging.getLogger("app.access")
    stream = path.open("w", encoding="utf-8")
    handler = logging.StreamHandler(stream)
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield AccessObserver(Metrics()), path
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
        handler.close()
        stream.close()  # a StreamHandler does not close the stream it was given


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_lines_of_one_loop_turn_are_written_together_at_its_end(observer: tuple[AccessObserver, Path]) -> None:
    access, path = observer

    async def turn() -> tuple[int, int]:
        for status in (200, 422, 404):
            access._write_access_line("POST", "/v1/x", status, 0.0012, b"id-%d" % status)
        before = len(path.read_text(encoding="utf-8"))
        await asyncio.sleep(0)  # the end of this turn
        return before, len(_lines(path))

    assert asyncio.run(turn()) == (0, 3)
    lines = _lines(path)
    assert [line["status"] for line in lines] == [200, 422, 404]
    assert [line["request_id"] for line in lines] == ["id-200", "id-422", "id-404"]
    assert lines[0]["duration_ms"] == 1.2 and lines[0]["route"] == "/v1/x"


def test_without_a_running_loop_a_line_is_written_at_once(observer: tuple[AccessObserver, Path]) -> None:
    access, path = observer
    access._write_access_line("GET", "/livez", 200, 0.0001, b"abc")
    (line,) = _lines(path)
    assert (line["method"], line["route"], line["status"], line["logger"]) == ("GET", "/livez", 200, "app.access")
