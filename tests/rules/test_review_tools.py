"""The review pack and the version diff, through the real CLI."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.rulesets import RULESET_DIR
from tests.support.servers import ROOT

pytestmark = pytest.mark.slow  # a CLI process each, loading and screening every case


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_review_pack_lists_every_question_rule_source_and_case(tmp_path: Path, ruleset) -> None:
    done = run_cli("review-pack", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    markdown = (tmp_path / f"{ruleset.id}-{ruleset.version}-review.md").read_text()
    html = (tmp_path / f"{ruleset.id}-{ruleset.version}-review.html").read_text()
    for qid in ruleset.questions:
        assert qid in markdown and qid in html
    for rule in ruleset.rules:
        assert f"### {rule.id} → {rule.level.value}" in markdown
        for language in ruleset.languages:
            assert f"[{language}] {ruleset.locales[language][f'rule.{rule.id}']}" in markdown
        for source in rule.sources:
            assert source.url in markdown
    assert "NONE: add a golden case" not in markdown
    assert "ALL of:" in markdown and "ANY of:" in markdown
    assert html.startswith("<!doctype html>") and "<table>" in html


def test_diff_reports_the_cases_whose_outcome_changes(tmp_path: Path) -> None:
    new = tmp_path / "new" / RULESET_DIR.name
    shutil.copytree(RULESET_DIR, new)
    rules = new / "rules.yaml"
    text = rules.read_text()
    old_rule = "  - id: E06_URINARY_RETENTION\n    level: emergency\n"
    assert old_rule in text
    rules.write_text(text.replace(old_rule, "  - id: E06_URINARY_RETENTION\n    level: urgent_same_day\n"))
    done = run_cli("diff", str(RULESET_DIR), str(new))
    assert done.returncode == 0, done.stderr
    assert "golden-case outcomes change" in done.stdout
    changed = [line for line in done.stdout.splitlines() if line.startswith("  ") and "::" in line]
    assert changed, done.stdout
    assert "old: emergency" in done.stdout and "new: urgent_same_day" in done.stdout
    same = run_cli("diff", str(RULESET_DIR), str(RULESET_DIR))
    assert " 0 of " in same.stdout
