"""The rule sets tests read, each loaded once per test session: the shipped ones (and their
catalog, as the service renders it) and the minimal fixture. Shared, so never change them:
build a changed copy (``RuleSet.with_rules``, or files copied to ``tmp_path``) instead."""

from functools import cache
from pathlib import Path

from app.api.catalog import Catalog
from app.engine.loader import load_ruleset, load_rulesets
from app.engine.ruleset import RuleSet

ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = ROOT / "app" / "rules"
RULESET_DIR = RULES_DIR / "hip-pelvic-floor"
MINIMAL_DIR = ROOT / "tests" / "fixtures" / "minimal"


@cache
def shipped_rulesets() -> dict[str, RuleSet]:
    """Every rule set in app/rules, by id."""
    return load_rulesets(RULES_DIR)


def shipped_ruleset() -> RuleSet:
    """The one questionnaire the service ships, hip-pelvic-floor."""
    return shipped_rulesets()[RULESET_DIR.name]


@cache
def shipped_catalog() -> Catalog:
    """What the service serves from app/rules (``create_app(settings, shipped_catalog())``
    skips the load at start-up)."""
    return Catalog.load(RULES_DIR)


@cache
def minimal_ruleset() -> RuleSet:
    """tests/fixtures/minimal: a few questions and rules, for engine tests."""
    return load_ruleset(MINIMAL_DIR)
