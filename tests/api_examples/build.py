"""Build the OpenAPI and docs examples from the service itself: ``python -m tests.api_examples.build``.

Each example request is one definition below: a few answers that make the example, completed
with the quiet answer of every other question that applies (``tests.support.answers.complete``),
or, for the early stop, the answers /progress asks for up to ``should_stop``. Each example
response is what a real server answers to that request (English, no ``?country=``). They are written
to ``app/schemas/examples.json`` (the OpenAPI examples), ``docs/examples/*.json`` and
``examples/*.json`` (the answer files the docs and the README send), and the receipt examples
(``receipt_examples.json``, see receipts.py); tests/api_examples checks
the files are current, so a rule-set change cannot leave them stale.
"""

import json
import tempfile
from pathlib import Path
from typing import Any

import httpx

from app.schemas.examples import QUESTIONNAIRE_PATH
from tests.api_examples.receipts import EXAMPLE_KEY, receipt_examples, settled
from tests.support.answers import ROOT, complete
from tests.support.servers import uvicorn_server

EXAMPLES_FILE = ROOT / "app" / "schemas" / "examples.json"
RECEIPT_EXAMPLES_FILE = ROOT / "app" / "schemas" / "receipt_examples.json"

# The answers each example is about; every other question that applies is answered quietly.
PHYSIO_ANSWERS: dict[str, object] = {"bl_symptoms_present": True, "bl_urgency": "daily"}
EMERGENCY_ANSWERS: dict[str, object] = {
    "rf_back_or_leg_pain": "back_and_leg",
    "rf_new_urine_leak_or_pads": "yes_new_or_worsening",
}
# The early stop: this red-flag answer, everything asked before it answered quietly.
EARLY_STOP_ANSWER = ("rf_saddle_numbness", "yes_new_or_worsening")
PROGRESS_SKIPPED_REQUEST: dict[str, Any] = {
    "answers": {"ctx_answering_for": "myself", "ctx_age_years": 42},
    "skipped": ["ctx_pelvic_anatomy"],
}
# The questionnaire example keeps the first items of the first section (one with skip logic).
QUESTIONNAIRE_ITEMS_SHOWN = 4


def _early_stop_answers(client: httpx.Client) -> dict[str, object]:
    """The answers /progress asks for, quietly, until the early-stop answer makes it say stop."""
    question, value = EARLY_STOP_ANSWER
    quiet = complete({})
    answers: dict[str, object] = {"ctx_pelvic_anatomy": quiet["ctx_pelvic_anatomy"]}
    for _ in range(200):
        progress = client.post(f"{QUESTIONNAIRE_PATH}/progress", json={"answers": answers}).json()
        if progress["should_stop"]:
            return answers
        asked = progress["next_question"]
        answers[asked] = value if asked == question else quiet[asked]
    raise AssertionError("the early-stop example never stopped")


def build() -> dict[str, Any]:
    """Every example request and a real server's answer to it."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        uvicorn_server(
            Path(tmp),
            env={"SCREENER_RATE_LIMIT_PER_MINUTE": "100000", "SCREENER_RECEIPT_KEYS_FILE": str(EXAMPLE_KEY)},
        ) as server,
        httpx.Client(base_url=server.base_url) as client,
    ):

        def screen(request: dict[str, Any]) -> Any:
            response = client.post(f"{QUESTIONNAIRE_PATH}/screenings", json=request)
            assert response.status_code == 200, response.text
            result = response.json()
            if result.get("receipt"):  # issued now: issued again at a fixed time, so the files stay put
                result["receipt"] = settled(result["receipt"])
            return result

        def progress(request: dict[str, Any]) -> Any:
            response = client.post(f"{QUESTIONNAIRE_PATH}/progress", json=request)
            assert response.status_code == 200, response.text
            return response.json()

        physio = {"answers": complete(PHYSIO_ANSWERS)}
        emergency = {"answers": complete(EMERGENCY_ANSWERS)}
        early = {"answers": _early_stop_answers(client)}
        start: dict[str, Any] = {"answers": {}}
        questionnaire = client.get(QUESTIONNAIRE_PATH).json()
        first = questionnaire["sections"][0]
        questionnaire["sections"] = [{**first, "items": first["items"][:QUESTIONNAIRE_ITEMS_SHOWN]}]
        return {
            "physio_request": physio,
            "physio_result": screen(physio),
            "emergency_request": emergency,
            "emergency_result": screen(emergency),
            "nothing_of_note_request": {"answers": complete({})},
            "early_emergency_request": early,
            "early_emergency_progress": progress(early),
            "early_emergency_result": screen(early),
            "progress_start_request": start,
            "progress_start_result": progress(start),
            "progress_skipped_request": PROGRESS_SKIPPED_REQUEST,
            "progress_skipped_result": progress(PROGRESS_SKIPPED_REQUEST),
            "questionnaire_list": client.get("/v1/questionnaires").json(),
            "questionnaire": questionnaire,
        }


def files(built: dict[str, Any]) -> dict[Path, str]:
    """Every file the examples live in, with its text."""

    def text(value: Any) -> str:
        return json.dumps(value, indent=2, ensure_ascii=False) + "\n"

    return {
        EXAMPLES_FILE: text(built),
        RECEIPT_EXAMPLES_FILE: text(receipt_examples(built["physio_request"])),
        ROOT / "docs" / "examples" / "physio.json": text(built["physio_request"]),
        ROOT / "docs" / "examples" / "emergency.json": text(built["emergency_request"]),
        ROOT / "docs" / "examples" / "early-emergency.json": text(built["early_emergency_request"]),
        ROOT / "examples" / "physio.json": text(built["physio_request"]),
        ROOT / "examples" / "emergency.json": text(built["emergency_request"]),
        ROOT / "examples" / "nothing-of-note.json": text(built["nothing_of_note_request"]),
    }


if __name__ == "__main__":
    for path, content in files(build()).items():
        path.write_text(content, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
