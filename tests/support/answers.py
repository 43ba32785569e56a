"""Answer sets for tests: a symptom-free adult, built from the shipped golden-case base."""

from pathlib import Path

from app.engine.yaml_files import read_yaml

ROOT = Path(__file__).resolve().parents[2]
RULESET_DIR = ROOT / "app" / "rules" / "hip-pelvic-floor"


def symptom_free_adult() -> dict[str, object]:
    """The golden cases' base answers: every required question answered, nothing of note."""
    data = read_yaml(RULESET_DIR / "cases" / "red_flags.yaml").data
    return dict(data["base_answers"])
