# Two commands on a fresh machine: `make run` serves the API, `make test` runs the full suite.
# `make run` installs only what serving needs; the other targets install the dev tools too.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev test test-fast lint audit typecheck unit check-rules openapi bench review-pack clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Serving: the project and its runtime dependencies only (no test or lint tools).
$(VENV)/.installed-serve: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# Everything else: the dev extras too. setuptools is upgraded with pip: textstat (a dev tool)
# requires it, and the copy a new venv bundles is older than the latest release, the only one
# whose advisories `make audit` can read.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-serve

run: $(VENV)/.installed-serve  ## serve on http://$(HOST):$(PORT) (docs at /docs); installs no dev tools
	$(BIN)/screener serve --host $(HOST) --port $(PORT)

dev: $(VENV)/.installed-serve  ## like run, restarting on code changes
	$(BIN)/screener serve --host $(HOST) --port $(PORT) --reload

lint: $(VENV)/.installed
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench
	bash scripts/lint-dockerfile.sh

# PyPI's project JSON has advisories for each project's latest release only. typer, httpx
# (the test client) and jsonschema-rs are held below theirs by the dev tools that need them
# (openapi-python-client, schemathesis): accepted unaudited while that holds (the report names
# the requirement).
audit: $(VENV)/.installed  ## known vulnerabilities in the dependencies (pip-audit, PyPI's advisories); CI runs it
	bash scripts/audit-dependencies.sh --accept-unaudited typer --accept-unaudited httpx --accept-unaudited jsonschema-rs

typecheck: $(VENV)/.installed
	$(BIN)/mypy

check-rules: $(VENV)/.installed
	$(BIN)/screener check
	$(BIN)/screener test

# The suite runs on every core (pytest-xdist); TEST_WORKERS=0 runs it in this one process.
TEST_WORKERS ?= auto

unit: $(VENV)/.installed
	$(BIN)/pytest -n $(TEST_WORKERS) --durations=15

test: lint typecheck check-rules unit  ## the whole suite (under 10 minutes on 2 cores)

# No test that starts a server, drives Chromium or takes seconds on its own (markers in
# pyproject.toml, given by tests/conftest.py), and 20 Hypothesis examples a property, not 200.
test-fast: $(VENV)/.installed  ## the inner loop: the tests that take no server, browser or long run (under a minute)
	HYPOTHESIS_PROFILE=fast $(BIN)/pytest -n $(TEST_WORKERS) -q -m 'not server and not browser and not slow'

bench: $(VENV)/.installed  ## screening vs a bare FastAPI floor, evaluation time, start-up, memory
	$(BIN)/python -m bench

review-pack: $(VENV)/.installed  ## the clinical review pack (Markdown and HTML) in review-pack/
	$(BIN)/screener review-pack --out review-pack

openapi: $(VENV)/.installed  ## refresh the OpenAPI snapshot after an intended API change
	$(BIN)/screener openapi > tests/snapshots/openapi.json

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis *.egg-info tests/clients/ts/node_modules tests/e2e/node_modules

load: $(VENV)/.installed  ## LOAD-01: 60 s at a fixed 500 req/s on one worker; prints errors and p99 (fails on any error or p99 > 50 ms)
	$(BIN)/python scripts/load.py --rate $(or $(LOAD_RATE),500) --duration $(or $(LOAD_DURATION),60)

soak: $(VENV)/.installed  ## LOAD-02 (short): 10 min at 250 req/s; RSS growth after a 2-min warm-up must stay under 10 MB
	$(BIN)/python scripts/load.py --rate $(or $(SOAK_RATE),250) --duration $(or $(SOAK_DURATION),600) --warmup 120 --max-rss-growth-mb 10
hostile: $(VENV)/.installed  ## section 9 of the reliability bar: cheap hostile traffic through deploy/nginx (about 90 s); fails on a missed figure
	$(BIN)/python scripts/hostile.py
.PHONY: load soak hostile
