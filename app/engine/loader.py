"""Load rule-set folders in three phases: read the files (rule_files.py), check them
(checks.py: every problem reported at once, with its file and line), build the RuleSet (build.py)."""

from pathlib import Path

from app.engine.build import build_ruleset
from app.engine.checks import check_rule_files
from app.engine.errors import RuleSetError, RuleSetIssue
from app.engine.rule_files import read_rule_files
from app.engine.ruleset import RuleSet


def load_ruleset(directory: Path) -> RuleSet:
    """Load and check one rule set; raise RuleSetError listing every problem found."""
    return build_ruleset(directory, check_rule_files(read_rule_files(directory)))


def load_rulesets(rules_dir: Path) -> dict[str, RuleSet]:
    """Load every rule set below ``rules_dir`` (one sub-folder each), keyed by id."""
    folders = sorted(p for p in rules_dir.iterdir() if (p / "ruleset.yaml").is_file()) if rules_dir.is_dir() else []
    if not folders:
        raise RuleSetError(
            [RuleSetIssue("missing_file", rules_dir, "no rule set found (a folder with a ruleset.yaml)")]
        )
    loaded: dict[str, RuleSet] = {}
    issues: list[RuleSetIssue] = []
    for folder in folders:
        try:
            ruleset = load_ruleset(folder)
        except RuleSetError as exc:
            issues.extend(exc.issues)
            continue
        if ruleset.id in loaded:
            issues.append(
                RuleSetIssue("duplicate_id", folder / "ruleset.yaml", "another folder has this rule-set id", ruleset.id)
            )
        loaded[ruleset.id] = ruleset
    if issues:
        raise RuleSetError(issues)
    return loaded
