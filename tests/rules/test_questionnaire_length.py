"""The README's count of questions a symptom-free adult answers stays true."""

import re
from pathlib import Path

from tests.support.answers import complete, symptom_free_adult

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_readme_states_the_symptom_free_question_counts() -> None:
    match = re.search(
        r"A symptom-free adult answers (\d+) questions \(anatomy: penis, testicles,\s+prostate\) or (\d+)", README
    )
    assert match, "README lost its 'How long it takes' sentence"
    assert int(match.group(1)) == len(symptom_free_adult("prostate"))
    assert int(match.group(2)) == len(symptom_free_adult("vulva"))


def test_from_age_50_one_more_question() -> None:
    assert "one more from age 50" in README
    assert len(complete({"ctx_age_years": 50}, "vulva")) == len(symptom_free_adult("vulva")) + 1
