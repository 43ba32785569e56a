"""Preset DEFLATE dictionaries (RFC 1950's FDICT, used with raw DEFLATE here) that make a
receipt small enough for a QR code a phone reads at a glance: the JSON a payload is made of
(question ids, option values, claim names). A dictionary never changes once receipts use
it; a new one gets a new id, and every id stays readable."""

import json
from pathlib import Path

from app.engine.levels import LEVEL_IDS
from app.engine.ruleset import RuleSet

_DIR = Path(__file__).with_name("dictionaries")
# JSON files ({"id", "text"}) so that they ship in the package with the other data files.
DICTIONARIES = {
    entry["id"]: entry["text"].encode()
    for entry in (json.loads(path.read_text(encoding="utf-8")) for path in sorted(_DIR.glob("*.json")))
}
CURRENT = "1"


def build_dictionary(ruleset: RuleSet) -> bytes:
    """The text a dictionary is made from, for one rule set: the most common strings last
    (DEFLATE reaches the end of a dictionary with the shortest distances)."""
    options = sorted({f'"{value}"' for question in ruleset.questions.values() for value in question.options})
    members = [f'"{qid}":' for section in ruleset.sections for qid in section.question_ids]
    head = (
        '{"iss":"hip-pelvic-screener","questionnaire":"hip-pelvic-floor","ruleset":{"id":"hip-pelvic-floor",'
        '"version":"1.0.0","sha256":"'
    )
    levels = [f'"level":"{level}","iat":' for level in LEVEL_IDS]
    tail = '"},"language":"en","country":"gb","exp":,"answers":{,"skipped":["true,false,'
    return "".join([*options, *levels, *reversed(members), head, tail]).encode()
