# The single entry point. `make run` and `make test` work on a fresh clone with only
# Python 3.11+ and make; everything else is installed into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
# make run is a local development server: debug on, SQLite unless DATABASE_URL says otherwise.
RUN_ENV := DJANGO_DEBUG=1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run serve install install-dev migrate load admin-user test lint check clean bench explain profile loadtest

help:
	@echo "make run     install, migrate, load the curated data, serve on http://$(HOST):$(PORT)"
	@echo "make test    run the whole test suite (lint, checks, migrations, pytest)"
	@echo "make bench   benchmark the production stack (see docs/performance.md)"
	@echo "make bench BASELINE=<git ref>   the same, beside that ref, with the ratio new/old"

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(RUN_ENV) $(MANAGE) migrate --noinput

load: migrate
	$(RUN_ENV) $(MANAGE) load_curated --skip-edited

admin-user: migrate
	$(RUN_ENV) $(MANAGE) ensure_local_admin

run: load admin-user
	$(RUN_ENV) $(MANAGE) runserver $(HOST):$(PORT)

serve: install
	$(RUN_ENV) $(MANAGE) runserver $(HOST):$(PORT)

lint: install-dev
	$(BIN)/ruff check .

check: install-dev
	DJANGO_DEBUG=1 $(MANAGE) check
	DJANGO_DEBUG=1 $(MANAGE) makemigrations --check --dry-run

test: lint check
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Needs PostgreSQL (DATABASE_URL) and wrk; REDIS_URL enables the shared cache. See docs/performance.md.
# BASELINE=<git ref> serves that ref beside this tree and prints both, interleaved, with new/old.
bench: install
	$(PY) bench/run.py $(if $(BASELINE),--baseline $(BASELINE)) $(BENCH_ARGS)

# EXPLAIN ANALYZE of every API filter and ordering on the benchmark database (after make bench).
explain: install
	$(PY) bench/explain.py

# Where a cold request spends its time: py-spy samples one worker under wrk (PROFILE_PATH=...).
profile: install-dev
	$(PY) bench/profile.py $(PROFILE_PATH)

# 64 connections x 60 s over pages and API on the production stack; fails on any error.
# FAULT=redis-stall|pg-restart|worker-kill|all: 30 s runs with that fault mid-run, on a private
# PostgreSQL cluster and redis-server of their own (docs/reliability.md).
loadtest: install
	$(PY) bench/load.py $(if $(FAULT),--fault $(FAULT)) $(LOAD_ARGS)
