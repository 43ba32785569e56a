# Two commands on a fresh machine: `make run` serves the API, `make test` runs the full suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev test lint typecheck unit check-rules openapi clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed  ## serve on http://$(HOST):$(PORT) (docs at /docs)
	$(BIN)/screener serve --host $(HOST) --port $(PORT)

dev: $(VENV)/.installed  ## like run, restarting on code changes
	$(BIN)/screener serve --host $(HOST) --port $(PORT) --reload

lint: $(VENV)/.installed
	$(BIN)/ruff check app tests
	$(BIN)/ruff format --check app tests

typecheck: $(VENV)/.installed
	$(BIN)/mypy

check-rules: $(VENV)/.installed
	$(BIN)/screener check
	$(BIN)/screener test

unit: $(VENV)/.installed
	$(BIN)/pytest

test: lint typecheck check-rules unit  ## the whole suite

openapi: $(VENV)/.installed  ## refresh the OpenAPI snapshot after an intended API change
	$(BIN)/screener openapi > tests/snapshots/openapi.json

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis *.egg-info
