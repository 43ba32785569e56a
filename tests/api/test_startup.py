"""A broken rule set stops start-up with one message naming the file, the id and the problem."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.rulesets import RULESET_DIR
from tests.support.servers import ROOT, free_port

pytestmark = pytest.mark.server  # real uvicorn processes (that refuse to start)


def _broken_rules(tmp_path: Path) -> Path:
    rules_dir = tmp_path / "rules"
    shutil.copytree(RULESET_DIR, rules_dir / RULESET_DIR.name)
    rules = rules_dir / RULESET_DIR.name / "rules.yaml"
    text = rules.read_text()
    # E06's own condition (the question is also read inside predicates, reported under their names)
    assert "when: {question: rf_cannot_pass_urine, op: equals, value: true}" in text
    rules.write_text(text.replace("when: {question: rf_cannot_pass_urine,", "when: {question: rf_cannot_pas_urine,", 1))
    return rules_dir


def test_uvicorn_exits_non_zero_with_the_reason(tmp_path: Path) -> None:
    env = {**os.environ, "SCREENER_RULES_DIR": str(_broken_rules(tmp_path))}
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(free_port())]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "rules.yaml" in output
    assert "E06_URINARY_RETENTION" in output
    assert "unknown question 'rf_cannot_pas_urine'" in output
    assert "did you mean 'rf_cannot_pass_urine'" in output
    assert "Traceback" not in output


def test_screener_serve_refuses_to_start(tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "app",
        "--rules-dir",
        str(_broken_rules(tmp_path)),
        "serve",
        "--port",
        str(free_port()),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "E06_URINARY_RETENTION" in done.stderr
    assert "[unknown_question]" in done.stderr
