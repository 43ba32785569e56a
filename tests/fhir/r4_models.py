"""fhir.resources' R4 (4.0.1) models, run apart from the project environment.

The fhir.resources the project installs (8.x) ships R5 and R4B models only; 6.4.0 is its last
release whose models are R4, and it needs pydantic 1, so it runs in a virtual environment of
its own (under .venv/, made once), fed the documents on stdin.
"""

import json
import os
import subprocess
import venv
from pathlib import Path
from typing import Any

import pytest

from tests.support.rulesets import ROOT
from tests.support.setup_lock import made_by_one_worker

R4_REQUIREMENTS = ("fhir.resources==6.4.0", "pydantic[email]>=1.10,<2")
VALIDATOR_VENV = ROOT / ".venv" / "fhir-r4-validator"

# Runs in the validator's environment: (label, document) per line in, one JSON report out.
_VALIDATE = """
import json, sys
from fhir.resources import __fhir_version__, construct_fhir_element
failures, checked = [], 0
for line in sys.stdin:
    label, document = json.loads(line)
    checked += 1
    try:
        construct_fhir_element(document["resourceType"], document)
    except Exception as exc:
        failures.append([label, str(exc)[:3000]])
print(json.dumps({"fhir_version": __fhir_version__, "checked": checked, "failures": failures}))
"""


def _validator_python() -> Path:
    with made_by_one_worker(VALIDATOR_VENV):
        return _made_validator()


def _made_validator() -> Path:
    python = VALIDATOR_VENV / "bin" / "python"
    marker = VALIDATOR_VENV / "requirements.txt"
    if python.exists() and marker.exists() and marker.read_text() == "\n".join(R4_REQUIREMENTS):
        return python
    venv.create(VALIDATOR_VENV, with_pip=True, clear=True)
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *R4_REQUIREMENTS],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if install.returncode != 0:
        message = f"could not install the R4 models ({' '.join(R4_REQUIREMENTS)}):\n{install.stderr[-2000:]}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    marker.write_text("\n".join(R4_REQUIREMENTS))
    return python


def validate_r4(documents: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """The R4 models' report on these (label, document) pairs: ``fhir_version``, ``checked``
    and ``failures`` ([label, error] for each document they refuse)."""
    lines = "".join(json.dumps([label, document]) + "\n" for label, document in documents)
    run = subprocess.run(
        [str(_validator_python()), "-c", _VALIDATE], input=lines, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report: dict[str, Any] = json.loads(run.stdout)
    return report
