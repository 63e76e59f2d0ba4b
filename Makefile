# Assay: the README's two commands, and the steps they are made of.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test setup setup-test lint typecheck content-check test-sqlite test-postgres bench assets clean

## make run: install what is missing, migrate, seed the demo, serve http://127.0.0.1:8000
run: setup
	$(BIN)/assay db upgrade
	$(BIN)/assay demo
	$(BIN)/assay serve

## make test: install what is missing, start PostgreSQL and Redis, run every check and test
test: setup-test lint typecheck content-check test-sqlite test-postgres

setup:
	scripts/system-packages.sh run
	scripts/python-env.sh

setup-test:
	scripts/system-packages.sh test
	scripts/python-env.sh
	scripts/services.sh
	cd web/frontend && npm ci --no-audit --no-fund --silent

## make assets: rebuild the editor bundle that Assay serves (needs Node.js and npm)
assets:
	cd web/frontend && npm ci --no-audit --no-fund --silent && npm run build

PY_PATHS := src tests bench

lint:
	$(BIN)/ruff check $(PY_PATHS)
	$(BIN)/ruff format --check $(PY_PATHS)

typecheck:
	$(BIN)/mypy src

content-check:
	$(BIN)/assay content check

test-sqlite:
	$(BIN)/pytest

# The same suite on PostgreSQL: every test that touches the application database.
test-postgres:
	$(BIN)/pytest -m db --database-url "$(PG_URL)"

bench:
	for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
