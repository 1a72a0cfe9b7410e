# The two commands: `make demo` and `make test`. Both set up what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup venv docker images tools browser demo test lint typecheck pytest validate-suite bench-perf clean

setup: venv docker images tools browser

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

docker:
	@bash scripts/ensure-docker.sh

# Programs the tests drive for real (the load generator of the serve benchmarks).
tools:
	@bash scripts/ensure-tools.sh

# Debian's chromium + chromium-driver and node, for the site's browser and grader tests.
browser:
	@bash scripts/ensure-browser.sh

images: venv docker
	$(BIN)/routr sandbox build

demo: setup
	bash scripts/demo.sh

lint: venv
	$(BIN)/ruff check routr_cli tests benchmarks
	$(BIN)/ruff format --check routr_cli tests benchmarks

typecheck: venv
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest

# Every bundled task proven valid in the sandbox, three runs of the reference each.
validate-suite: setup
	$(BIN)/routr tasks validate --runs 3 --jobs 2

test: setup lint typecheck
	$(BIN)/pytest
	$(MAKE) --no-print-directory validate-suite

bench-perf: setup
	$(BIN)/python benchmarks/sandbox_overhead.py
	@if [ -f benchmarks/bench_throughput.py ]; then $(BIN)/python benchmarks/bench_throughput.py; fi
	$(BIN)/python benchmarks/orphan_stop.py

clean:
	rm -rf $(VENV) reports/site
