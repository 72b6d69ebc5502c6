# QI Skills. Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP_FILTER := grep -v -e 'is ignored' -e '^$$' || true
# Where `make run` serves: make run PORT=8123 HOST=0.0.0.0. Links follow it unless QI_BASE_URL is set.
HOST ?= 127.0.0.1
PORT ?= 8000

# Can HOST:PORT be bound (as uvicorn binds it, with SO_REUSEADDR)? If not, name a free port.
define PORT_CHECK
import socket, sys
host, port = sys.argv[1], int(sys.argv[2])
def free(number):
    family, kind, proto, _, address = socket.getaddrinfo(host, number, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError:
            return False
    return True
if not free(port):
    other = next((n for n in range(port + 1, port + 500) if n < 65536 and free(n)), None)
    hint = f": try make run PORT={other}" if other else ""
    sys.exit(f"Port {port} is in use on {host}{hint}")
endef
export PORT_CHECK

.PHONY: run port-free test bench bench-scale bench-crash lint format migrate check css clean lock

# Every package comes pinned, with its hashes, from requirements.lock (`make lock` rewrites it
# from pyproject.toml); the project itself is installed on top without resolving anything.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock 2>&1 | $(PIP_FILTER)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e . 2>&1 | $(PIP_FILTER)
	touch $(STAMP)

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

## run: check the port is free, install, migrate the SQLite database, check the content, serve
## (reloading the content when a file changes: development only, see docs/authoring.md)
run: port-free $(STAMP)
	$(BIN)/qiskills migrate
	$(BIN)/qiskills content check
	@echo "Serving on http://$(HOST):$(PORT) (Ctrl+C stops it)"
	$(BIN)/qiskills serve --host $(HOST) --port $(PORT) --reload-content

## port-free: fail fast, before installing anything, when HOST:PORT is taken
port-free:
	@$(PYTHON) -c "$$PORT_CHECK" '$(HOST)' '$(PORT)'

## test: lint, then the whole suite on SQLite and PostgreSQL, with the browser tests
test: $(STAMP) node_modules/.package-lock.json
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python .ci/supply_chain.py
	bash .ci/services.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

## lock: re-pin every dependency (with hashes) after changing pyproject.toml
lock: $(STAMP)
	$(BIN)/pip-compile --quiet --extra dev --generate-hashes --strip-extras --allow-unsafe \
		-o requirements.lock pyproject.toml

## bench: load figures for the hot paths (needs wrk); BENCH_ARGS=--postgres for PostgreSQL
bench: $(STAMP)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } \
	  || { echo "bench needs wrk: sudo apt-get install -y wrk"; exit 2; }
	bash .ci/services.sh $(BIN)/python -m bench.run $(BENCH_ARGS)

## bench-scale: the lesson page on an empty database and on 10,000 trainees with 2M answers
bench-scale: $(STAMP)
	bash .ci/services.sh $(BIN)/python -m bench.scale $(BENCH_ARGS)

## bench-crash: SIGKILL the server 20 times during an answer load; every 2xx answer must be stored
bench-crash: $(STAMP)
	bash .ci/services.sh $(BIN)/python -m bench.crash_safety $(BENCH_ARGS)

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
