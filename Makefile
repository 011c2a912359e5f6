# tidings: `make run` opens the reader on the offline demo, `make test` runs every test.
# Both set everything up from nothing: a .venv, a current pip (the machine's pip 23 cannot
# resolve trafilatura's extras), then the package with its dev tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# coldsweat, a real Fever API server for the sync tests and benchmark, in its own venv (its pins
# stay there)
COLDSWEAT := .venv-coldsweat
COLDSWEAT_STAMP := $(COLDSWEAT)/.installed

.PHONY: run test lint bench fmt clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -U pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

$(COLDSWEAT_STAMP): tests/sync/coldsweat-requirements.txt
	$(PYTHON) -m venv $(COLDSWEAT)
	$(COLDSWEAT)/bin/python -m pip install -q -U pip
	$(COLDSWEAT)/bin/python -m pip install -q -r tests/sync/coldsweat-requirements.txt
	touch $(COLDSWEAT_STAMP)

run: $(STAMP)
	$(BIN)/tidings demo

test: $(STAMP) $(COLDSWEAT_STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check reader tests benchmarks
	$(BIN)/ruff format --check reader tests benchmarks
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff check --fix reader tests benchmarks
	$(BIN)/ruff format reader tests benchmarks

bench: $(STAMP) $(COLDSWEAT_STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(COLDSWEAT) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
