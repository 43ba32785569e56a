"""The example answer files the README uses give the levels their names promise."""

import json
from pathlib import Path

import httpx
import pytest

from tests.support.servers import Server

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("physio.json", "recommend_pelvic_floor_physio"),
        ("emergency.json", "emergency"),
        ("nothing-of-note.json", "general_advice"),
    ],
)
def test_example_file(server: Server, name: str, level: str) -> None:
    body = json.loads((EXAMPLES / name).read_text())
    response = httpx.post(f"{server.base_url}/v1/questionnaires/hip-pelvic-floor/screenings", json=body)
    assert response.status_code == 200
    assert response.json()["level"] == level
