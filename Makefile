# Veelocity: `make run` installs everything and starts the app; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := backend/.venv
BIN := $(VENV)/bin
STAMP := .make
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/veelocity_test

.PHONY: help run demo test test-backend test-backend-sqlite test-backend-postgres test-frontend \
        test-browser lint typecheck check check-client migrate gen-client install lock secrets-baseline clean

help:  ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 24

# --- installation -------------------------------------------------------------------------
$(STAMP)/uv:
	@mkdir -p $(STAMP)
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	@touch $@

$(STAMP)/backend: $(STAMP)/uv backend/requirements.lock backend/pyproject.toml
	cd backend && $(UV) venv --quiet --allow-existing --python $(PYTHON) .venv
	cd backend && $(UV) pip sync --quiet --python .venv/bin/python --require-hashes requirements.lock
	cd backend && $(UV) pip install --quiet --python .venv/bin/python --no-deps -e .
	@touch $@

$(STAMP)/frontend-deps: frontend/package-lock.json frontend/package.json
	@mkdir -p $(STAMP)
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

FRONTEND_SOURCES := $(shell find frontend/src frontend/index.html frontend/public frontend/vite.config.ts -type f 2>/dev/null)
frontend/dist/index.html: $(STAMP)/frontend-deps $(FRONTEND_SOURCES)
	cd frontend && VITE_API_BASE_URL="$${VITE_API_BASE_URL:-}" npm run build --silent

install: $(STAMP)/backend frontend/dist/index.html  ## Install the backend and build the web app

lock: $(STAMP)/uv  ## Regenerate the hashed Python locks after editing backend/pyproject.toml
	cd backend && $(UV) pip compile --quiet pyproject.toml --extra dev --generate-hashes \
	  --python-version 3.11 --no-header -o requirements.lock
	cd backend && $(UV) pip compile --quiet pyproject.toml --generate-hashes \
	  --python-version 3.11 --no-header -o requirements-runtime.lock

# --- running ------------------------------------------------------------------------------
run: install  ## Start Veelocity on http://localhost:8000 (SQLite in ./data)
	DEBUG=$${DEBUG:-true} VEELOCITY_DATA_DIR=$${VEELOCITY_DATA_DIR:-$(CURDIR)/data} \
	VEELOCITY_HOST=$${VEELOCITY_HOST:-127.0.0.1} $(BIN)/veelocity serve

demo: install  ## Start a demo on http://localhost:8000: generated data from a local fake GitHub
	$(BIN)/veelocity demo --port $${VEELOCITY_PORT:-8000} --data-dir $(CURDIR)/data/demo

migrate: $(STAMP)/backend  ## Apply database migrations
	$(BIN)/veelocity migrate

# --- tests --------------------------------------------------------------------------------
$(STAMP)/chromium:
	@mkdir -p $(STAMP)
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "Installing Chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi
	@touch $@

# nginx for the web-server tests; installed without starting its system service.
$(STAMP)/nginx:
	@mkdir -p $(STAMP)
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then \
	  echo "Installing nginx for the web-server tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  policy=/usr/sbin/policy-rc.d; made=; \
	  if [ ! -e $$policy ]; then \
	    printf '#!/bin/sh\nexit 101\n' | $$SUDO tee $$policy >/dev/null && $$SUDO chmod 755 $$policy && made=1; \
	  fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nginx >/dev/null; status=$$?; \
	  if [ -n "$$made" ]; then $$SUDO rm -f $$policy; fi; \
	  exit $$status; \
	fi
	@touch $@

test: install $(STAMP)/chromium $(STAMP)/nginx  ## Run every test (backend on SQLite and PostgreSQL, frontend, browser)
	@set -o pipefail; failed=0; \
	$(MAKE) --no-print-directory test-backend-sqlite || failed=1; \
	$(MAKE) --no-print-directory test-backend-postgres || failed=1; \
	$(MAKE) --no-print-directory test-frontend || failed=1; \
	$(MAKE) --no-print-directory test-browser || failed=1; \
	if [ $$failed = 0 ]; then echo "make test: every suite passed"; else echo "make test: FAILED"; fi; \
	exit $$failed

test-backend: test-backend-sqlite test-backend-postgres  ## Backend tests on both databases

test-backend-sqlite: $(STAMP)/backend
	@echo "== backend tests on SQLite =="
	cd backend && VEELOCITY_TEST_DB=sqlite .venv/bin/pytest -p no:logging -m "not browser"

test-backend-postgres: $(STAMP)/backend
	@echo "== backend tests on PostgreSQL =="
	cd backend && VEELOCITY_TEST_DB=postgresql TEST_DATABASE_URL=$${TEST_DATABASE_URL:-$(PG_TEST_URL)} \
	  .venv/bin/pytest -p no:logging -m "not browser"

test-frontend: $(STAMP)/frontend-deps  ## Frontend unit tests
	@echo "== frontend unit tests =="
	cd frontend && npm test --silent

test-browser: install $(STAMP)/chromium  ## Browser tests in headless Chromium
	@echo "== browser tests =="
	cd backend && .venv/bin/pytest -p no:logging -m browser tests/e2e

# --- quality ------------------------------------------------------------------------------
lint: $(STAMP)/backend $(STAMP)/frontend-deps  ## ruff, import-linter, eslint, prettier
	cd backend && .venv/bin/ruff check src tests && .venv/bin/ruff format --check src tests
	cd backend && .venv/bin/lint-imports
	cd frontend && npm run lint --silent && npm run format:check --silent

typecheck: $(STAMP)/backend $(STAMP)/frontend-deps  ## mypy (strict) and tsc
	cd backend && .venv/bin/mypy
	cd frontend && npm run typecheck --silent

check: lint typecheck check-client  ## Lint, type checks and the typed API client up to date

# Tests hold canary secrets on purpose; locks hold hashes.
SECRETS_EXCLUDE := (^|/)tests/|\.test\.tsx?$$|(^|/)src/test/|\.lock$$|package-lock\.json$$|^\.secrets\.baseline$$
secrets-baseline: $(STAMP)/backend  ## Rescan for secrets into .secrets.baseline (audit new findings first)
	$(BIN)/detect-secrets scan --exclude-files '$(SECRETS_EXCLUDE)' $$(git ls-files) > .secrets.baseline

clean:  ## Remove installed environments and build output
	rm -rf $(STAMP) $(VENV) frontend/node_modules frontend/dist

# --- typed API client ---------------------------------------------------------------------
# frontend/src/api/schema.d.ts is generated from the backend's OpenAPI document; CI fails when
# it is out of date with the routes and schemas.
OPENAPI_TS := cd frontend && npx --no-install openapi-typescript
gen-client: $(STAMP)/backend $(STAMP)/frontend-deps  ## Regenerate the web app's API types from the OpenAPI document
	@mkdir -p $(STAMP)
	$(BIN)/veelocity openapi > $(STAMP)/openapi.json
	$(OPENAPI_TS) ../$(STAMP)/openapi.json -o src/api/schema.d.ts --silent
	cd frontend && npx --no-install prettier --log-level warn --write src/api/schema.d.ts

check-client: $(STAMP)/backend $(STAMP)/frontend-deps  ## Fail when the web app's API types are older than the API
	@mkdir -p $(STAMP)
	@$(BIN)/veelocity openapi > $(STAMP)/openapi.json
	@$(OPENAPI_TS) ../$(STAMP)/openapi.json -o ../$(STAMP)/schema.d.ts --silent
	@cd frontend && npx --no-install prettier --stdin-filepath src/api/schema.d.ts < ../$(STAMP)/schema.d.ts > ../$(STAMP)/schema.formatted.d.ts
	@if ! diff -q $(STAMP)/schema.formatted.d.ts frontend/src/api/schema.d.ts >/dev/null; then \
	  diff -u frontend/src/api/schema.d.ts $(STAMP)/schema.formatted.d.ts | head -40; \
	  echo "frontend/src/api/schema.d.ts is out of date with the API: run make gen-client"; exit 1; \
	fi
	@echo "API client types are up to date"
