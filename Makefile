# Headway: `make run` to try it, `make test` to check it. See README.md and docs/.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    ?= .venv
PY      := $(VENV)/bin/python
HEADWAY := $(VENV)/bin/headway
PG_URL  ?= postgres://postgres@127.0.0.1:5432/headway
HOST    ?= 127.0.0.1
PORT    ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install assets static run test lint typecheck checks test-sqlite test-postgres e2e bench load clean

help:
	@echo "make run       install, migrate, load the demo and serve at http://$(HOST):$(PORT)"
	@echo "make test      lint, types, checks, tests on SQLite and PostgreSQL, browser tests"
	@echo "make e2e       browser tests only (system Chromium)"
	@echo "make bench     benchmarks; results in bench/results/ and docs/performance.md"
	@echo "make load      locust load test against gunicorn on PostgreSQL"

$(VENV)/.installed: pyproject.toml
	@PYTHON=$$(tools/find-python.sh) && echo "using $$PYTHON" && \
	  ( [ -x $(PY) ] || $$PYTHON -m venv $(VENV) )
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

assets: node_modules/.installed
	npm run --silent build

static: install assets
	$(HEADWAY) collectstatic --noinput --verbosity 0

run: static
	$(HEADWAY) migrate --verbosity 0
	$(HEADWAY) demo
	@echo "Open http://$(HOST):$(PORT)/ and sign in as demo / headway-demo"
	$(HEADWAY) serve --host $(HOST) --port $(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy

checks: install
	$(HEADWAY) check --fail-level WARNING
	$(HEADWAY) makemigrations --check --dry-run

test-sqlite: install assets
	env -u DATABASE_URL $(PY) -m pytest -m "not browser" -n 2 -q

test-postgres: install assets
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -m "not browser" -n 2 -q

e2e: install assets
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser -q

test: lint typecheck checks test-sqlite test-postgres e2e

bench: install assets
	$(PY) bench/run.py

load: install assets
	VENV=$(VENV) PG_URL=$(PG_URL) bench/load.sh

clean:
	rm -rf $(VENV) node_modules var src/headway/web/static/vendor
