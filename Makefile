# Two commands on a fresh machine: `make run` serves the API, `make test` runs the full suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev test lint audit typecheck unit check-rules openapi bench review-pack clean

# setuptools is upgraded with pip: textstat (a dev tool) requires it, and the copy a new venv
# bundles is older than the latest release, the only one whose advisories `make audit` can read.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed  ## serve on http://$(HOST):$(PORT) (docs at /docs)
	$(BIN)/screener serve --host $(HOST) --port $(PORT)

dev: $(VENV)/.installed  ## like run, restarting on code changes
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

unit: $(VENV)/.installed
	$(BIN)/pytest

test: lint typecheck check-rules unit  ## the whole suite

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
