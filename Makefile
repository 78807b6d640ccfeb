# NetWeave's front door. On a fresh machine:
#
#     make demo    # set up, load the demo network, serve it on http://127.0.0.1:8000
#     make test    # install what is missing and run every check and test suite
#
# Everything installs into the project folder (.venv, frontend/node_modules, netweave/static/vendor)
# except the system packages the tests need (PostgreSQL, Chromium, gettext), which `make test`
# installs with apt-get when it runs as root and they are missing.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PYTEST_WORKERS ?= 2
# The browser tests spend their time starting Chromium and the live server, not running: one
# process is as fast as two for now.
BROWSER_WORKERS ?= 1
HOST ?= 127.0.0.1
PORT ?= 8000
# CI=true (or 1/yes): no suite may skip itself, and a pytest run that collects no test fails.
IN_CI := $(if $(filter 1 true yes TRUE True YES,$(CI)),1,)
export CI

VENV_STAMP := $(VENV)/.installed
SEMANTIC_STAMP := $(VENV)/.installed-semantic
TORCH_VERSION := 2.13.0
NODE_STAMP := frontend/node_modules/.installed
BUILT_JS := netweave/static/vendor/htmx.min.js

.PHONY: help demo test install python semantic frontend translations system-deps lint format typecheck \
        test-sqlite test-postgres test-browser bench messages clean

help:
	@echo "make demo          set up, load the demo network and serve it on http://$(HOST):$(PORT)"
	@echo "make test          install what is missing, then lint, type-check and run every test suite"
	@echo "make semantic      install the optional semantic matching (PyTorch CPU, its model)"
	@echo "make lint          ruff check + ruff format --check"
	@echo "make format        ruff format + ruff check --fix"
	@echo "make typecheck     mypy on netweave/ and config/"
	@echo "make test-sqlite   pytest on SQLite (no browser tests)"
	@echo "make test-postgres pytest on a throwaway PostgreSQL cluster (no browser tests)"
	@echo "make test-browser  the Playwright + Chromium tests"
	@echo "make bench         the benchmarks in bench/"
	@echo "make messages      extract translatable strings into netweave/locale (fr, es)"
	@echo "make clean         remove everything that make built (not the demo database in data/)"

# --- installing ------------------------------------------------------------------------------------

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

python: $(VENV_STAMP)

# The optional semantic matching of the recommender (netweave[semantic]): its tests run in
# `make test`; `make demo` does without it. PyTorch's CPU build goes in first, by name: asked for
# by sentence-transformers alone, pip would take the CUDA build and several GB of nvidia-*.
$(SEMANTIC_STAMP): $(VENV_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check "torch==$(TORCH_VERSION)+cpu"
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev,semantic]"
	@if $(PY) -m pip list --disable-pip-version-check 2>/dev/null | grep -qi '^nvidia-'; then \
		echo "CUDA packages (nvidia-*) are installed: only PyTorch's CPU build belongs here" >&2; \
		exit 1; \
	fi
	@touch $@

semantic: $(SEMANTIC_STAMP)

$(NODE_STAMP): frontend/package.json frontend/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 20 and npm" >&2; exit 1; }
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(BUILT_JS): $(NODE_STAMP) frontend/build.mjs $(wildcard frontend/src/*.js)
	cd frontend && npm run --silent build
	@touch $@

frontend: $(BUILT_JS)

# Installs the Debian packages named in the shell variable $$missing, if any: one apt-get update,
# one apt-get install. Without root it says what to install and fails.
define apt_install_missing
	if [ -n "$${missing// /}" ]; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "missing system packages:$$missing (run: sudo apt-get install -y$$missing)" >&2; \
			exit 1; \
		fi; \
		echo "installing from Debian's packages:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq; \
		apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

# Compiles whatever .po files exist (none is fine); needs msgfmt from gettext.
translations: $(VENV_STAMP)
	@if find netweave -name '*.po' -path '*/LC_MESSAGES/*' | grep -q .; then \
		missing=""; command -v msgfmt >/dev/null || missing=" gettext"; \
		$(apt_install_missing); \
		$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=.git \
			--ignore=data --verbosity=0; \
	else \
		echo "no translations (.po files) yet: nothing to compile"; \
	fi

install: python frontend translations

# What the test suites need from Debian's packages: PostgreSQL (the server binaries, and the
# `postgres` user to run them as root), Chromium, gettext; Node.js and npm if even they are missing.
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	{ ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && id postgres >/dev/null 2>&1; } \
		|| missing="$$missing postgresql"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	$(apt_install_missing)

# --- the two front-door commands -------------------------------------------------------------------

demo: install
	$(PY) manage.py migrate --noinput
	$(BIN)/netweave demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/netweave serve --host $(HOST) --port $(PORT)

# Runs every step even when one fails, then reports which failed (so one lint error does not hide
# a failing test suite).
TEST_STEPS := lint typecheck test-sqlite test-postgres test-browser

test: system-deps install semantic
	@failed=""; \
	for step in $(TEST_STEPS); do \
		echo; echo "=== make $$step ==="; \
		start=$$SECONDS; \
		if $(MAKE) $$step; then echo "=== $$step: ok ($$((SECONDS - start))s)"; \
		else echo "=== $$step: FAILED ($$((SECONDS - start))s)"; failed="$$failed $$step"; fi; \
	done; \
	echo; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed" >&2; exit 1; fi; \
	echo "make test: every step passed ($(TEST_STEPS))"

# --- the steps -------------------------------------------------------------------------------------

lint: $(VENV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(VENV_STAMP)
	$(BIN)/mypy netweave config

# pytest exits 5 when it collected no test: a warning on a developer's machine, a failure in CI.
define pytest_checked
	status=0; $(1) || status=$$?; \
	if [ $$status -eq 5 ]; then \
		if [ -n "$(IN_CI)" ]; then echo "pytest collected no test (exit 5): failing, CI=true" >&2; exit 5; fi; \
		echo "warning: pytest collected no test"; exit 0; \
	fi; \
	exit $$status
endef

xdist = $(if $(filter-out 0 1,$(1)),-n $(1),)

test-sqlite: $(SEMANTIC_STAMP) $(BUILT_JS)
	@$(call pytest_checked,env -u DATABASE_URL $(BIN)/pytest $(call xdist,$(PYTEST_WORKERS)) -m "not browser" $(PYTEST_ARGS))

# netweave/analysis touches no database (a framework-free library): its tests run once, on the
# SQLite pass above, not again here.
test-postgres: $(VENV_STAMP) $(BUILT_JS)
	@$(call pytest_checked,bash tools/pg_test_cluster.sh $(BIN)/pytest $(call xdist,$(PYTEST_WORKERS)) -m "not browser" --ignore=netweave/analysis $(PYTEST_ARGS))

test-browser: $(VENV_STAMP) $(BUILT_JS)
	@$(call pytest_checked,env -u DATABASE_URL $(BIN)/pytest $(call xdist,$(BROWSER_WORKERS)) -m browser $(PYTEST_ARGS))

# Every benchmark runs even when an earlier one misses its target; the exit code says if any did.
bench: install
	@status=0; \
	$(PY) bench/directory.py || status=$$?; \
	$(PY) bench/import.py || status=$$?; \
	$(PY) bench/map.py || status=$$?; \
	if [ -f bench/analysis/report.py ]; then $(PY) bench/analysis/report.py || status=$$?; fi; \
	$(PY) bench/weaving/recommend.py || status=$$?; \
	$(PY) bench/weaving/web.py || status=$$?; \
	$(PY) bench/library/search.py || status=$$?; \
	$(PY) bench/outreach/send.py || status=$$?; \
	exit $$status

# Extracts the strings to translate (English source) for French and Spanish.
messages: $(VENV_STAMP)
	mkdir -p netweave/locale
	$(PY) manage.py makemessages -l fr -l es --domain django \
		--ignore=.venv --ignore=frontend --ignore=data --ignore=bench --ignore=docs
	$(PY) manage.py makemessages -l fr -l es --domain djangojs \
		--ignore=.venv --ignore=frontend --ignore=data --ignore=bench --ignore=docs \
		--ignore='netweave/static/vendor/*'

clean:
	rm -rf $(VENV) frontend/node_modules netweave/static/vendor .pytest_cache .mypy_cache \
		.ruff_cache build *.egg-info test-results
	find netweave -name '*.mo' -path '*/LC_MESSAGES/*' -delete
	find . -name __pycache__ -type d -not -path './.git/*' -prune -exec rm -rf {} +
