"""suggest() answers exactly as difflib.get_close_matches(n=1, cutoff=0.6), which it speeds up."""

import difflib

from hypothesis import given
from hypothesis import strategies as st

from app.engine.ruleset import RuleSet
from app.engine.suggestions import suggest

_ID_CHARS = "abcdefghijklmnopqrstuvwxyz_0123456789"


def _reference(name: str, candidates: list[str]) -> str | None:
    matches = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return matches[0] if matches else None


def test_every_near_miss_of_a_question_id_gets_difflibs_answer(ruleset: RuleSet) -> None:
    ids = list(ruleset.questions)
    names = [*ids, *(qid[:-2] for qid in ids), *(qid[1:] + "x" for qid in ids), *(qid * 2 for qid in ids[:20])]
    for name in [*names, "", "x", "zzzzzz", "rf_", "hip_pain"]:
        assert suggest(name, ids) == _reference(name, ids), name


@given(st.text(_ID_CHARS, max_size=30), st.lists(st.text(_ID_CHARS, min_size=1, max_size=20), max_size=30))
def test_any_name_and_candidates_get_difflibs_answer(name: str, candidates: list[str]) -> None:
    assert suggest(name, candidates) == _reference(name, candidates)
