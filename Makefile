# QI Skills. Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP_FILTER := grep -v -e 'is ignored' -e '^$$' || true

.PHONY: run test bench bench-scale lint format migrate check css clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip 2>&1 | $(PIP_FILTER)
	$(BIN)/pip install --quiet -e '.[dev]' 2>&1 | $(PIP_FILTER)
	touch $(STAMP)

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

## run: install, migrate the SQLite database, check the content and serve on :8000
run: $(STAMP)
	$(BIN)/qiskills migrate
	$(BIN)/qiskills content check
	$(BIN)/qiskills serve --host 127.0.0.1 --port 8000

## test: lint, then the whole suite on SQLite and PostgreSQL, with the browser tests
test: $(STAMP) node_modules/.package-lock.json
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	bash .ci/services.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

## bench: load figures for the hot paths (needs wrk); BENCH_ARGS=--postgres for PostgreSQL
bench: $(STAMP)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } \
	  || { echo "bench needs wrk: sudo apt-get install -y wrk"; exit 2; }
	bash .ci/services.sh $(BIN)/python -m bench.run $(BENCH_ARGS)

## bench-scale: the lesson page on an empty database and on 10,000 trainees with 2M answers
bench-scale: $(STAMP)
	bash .ci/services.sh $(BIN)/python -m bench.scale $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(STAMP)
	$(BIN)/qiskills migrate

check: $(STAMP)
	$(BIN)/qiskills content check

## css: rebuild static/css/qiskills.css from nhsuk-frontend (needs npm)
css: node_modules/.package-lock.json
	bash static/css/build.sh

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
