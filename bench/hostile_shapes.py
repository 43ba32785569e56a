"""The request shapes of `make hostile`'s cost check (DOS-10): a valid screening, and the
costliest bodies found for screenings, /progress and FHIR $screen, each under its body limit."""

import json
from collections.abc import Callable
from typing import Any

from app.engine.ruleset import RuleSet
from tests.fhir.support import to_response
from tests.support.answers import symptom_free_adult

V1_LIMIT, FHIR_LIMIT = 16 * 1024, 128 * 1024


def _fill(make: Callable[[int], Any], limit: int) -> list[Any]:
    """As many items from ``make`` as fit, as JSON, in ``limit`` bytes with room for the rest."""
    items: list[Any] = []
    size = 2
    while True:
        item = make(len(items))
        size += len(json.dumps(item)) + 2
        if size > limit - 512:
            return items
        items.append(item)


def v1_bodies(ruleset: RuleSet) -> dict[str, bytes]:
    """Screening and /progress bodies: name -> JSON."""
    ids = list(ruleset.questions)
    near = len(ids) + 3  # the most keys still checked one by one
    shapes: dict[str, object] = {
        "valid": {"answers": symptom_free_adult()},
        "unknown keys (thousands)": {"answers": dict(_fill(lambda n: (f"q{n}", 1), V1_LIMIT))},
        "unknown id-like keys (the most checked)": {"answers": {f"{ids[n % len(ids)]}x{n}": "no" for n in range(near)}},
        "long id-like keys": {"answers": {(ids[n % len(ids)] * 3)[:60] + f"{n:03d}": 1 for n in range(near)}},
        "bad values, nested": {"answers": {qid: [[[{"a": [1, 2]}]]] for qid in ids}},
        "bad option lists": {"answers": {qid: ["zz"] * 6 for qid in ids}},
        "skipped x500": {"answers": {}, "skipped": [ids[n % len(ids)] for n in range(500)]},
        "deep nesting": {"answers": {}},
    }
    bodies = {name: json.dumps(shape).encode() for name, shape in shapes.items()}
    bodies["deep nesting"] = b'{"answers": {"a": ' + b"[" * 7000 + b"]" * 7000 + b"}}"
    return bodies


def fhir_bodies(ruleset: RuleSet) -> dict[str, bytes]:
    """FHIR $screen bodies: name -> JSON."""
    ids = list(ruleset.questions)
    valid = to_response(ruleset, symptom_free_adult())

    def nested(n: int) -> dict[str, Any]:
        return {"linkId": ids[n % len(ids)], "answer": [{"valueBoolean": True, "item": [{"linkId": "x"}]}]}

    shapes = {
        "valid": valid,
        "unknown items (thousands)": {**valid, "item": _fill(lambda n: {"linkId": f"x{n}"}, FHIR_LIMIT)},
        "nested bad items": {**valid, "item": _fill(nested, FHIR_LIMIT)},
        "many bad answers": {
            **valid,
            "item": [{"linkId": ids[0], "answer": _fill(lambda n: {"valueCoding": {"code": "z"}}, FHIR_LIMIT)}],
        },
    }
    return {name: json.dumps(shape).encode() for name, shape in shapes.items()}
