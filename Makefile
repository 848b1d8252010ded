# SPP Tracker: every set-up step lives here, so a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Local commands run with DEBUG on (and its built-in secret key) unless the environment says otherwise;
# production refuses to start without DJANGO_SECRET_KEY.
export DJANGO_DEBUG ?= 1
RUN_ENV :=
# Test workers: one per core (pytest-xdist); `make test PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= auto

.PHONY: help install run serve migrate seed fixtures test lint check bench messages messages-check lock clean

help:
	@echo "make run     install, migrate, load the SPP seed data and serve on http://$(HOST):$(PORT)"
	@echo "make test    run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)"
	@echo "make lint    ruff"
	@echo "make bench   benchmark (see README)"

# The environment is rebuilt whenever a lock file changes.
$(VENV)/.installed: requirements-dev.txt requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py load_seed

run: seed
	$(RUN_ENV) $(PY) manage.py ensure_demo_staff
	@echo "SPP Tracker: http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

fixtures: install
	$(PY) manage.py build_fixtures

test: install
	$(BIN)/pytest -q -n $(PYTEST_WORKERS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	$(PY) manage.py makemigrations --check --dry-run

# Benchmark (bench/README.md): SQLite at 10k irritants by default; e.g. make bench ARGS="--scale 100k",
# or DATABASE_URL=postgres://postgres@127.0.0.1:5432/spp_bench make bench ARGS="--scale 1m" (a scratch database).
bench: install
	$(PY) bench/run.py $(ARGS)

# Translation catalogues (French, Spanish): every user-facing string is marked; `make messages` refreshes
# locale/<lang>/LC_MESSAGES/django.po from the code (dropping stale entries) and compiles the .mo files,
# which are committed. `make messages-check` (CI) fails if a catalogue is incomplete, fuzzy, stale, or out
# of step with the code or with its .mo. makemessages also skips every dot-folder (.venv, .git).
MESSAGES_IGNORE := --ignore=.venv --ignore=bench --ignore=tests --ignore=staticfiles --ignore=node_modules
messages: install
	$(PY) manage.py makemessages -l fr -l es --no-obsolete $(MESSAGES_IGNORE)
	$(PY) manage.py compilemessages --ignore=.venv

messages-check: install
	$(PY) manage.py check_messages $(MESSAGES_IGNORE)

# Re-lock after editing pyproject.toml: hashes, no index URLs or local paths of this machine.
lock: install
	$(BIN)/pip-compile --quiet --generate-hashes --no-emit-index-url --no-emit-find-links --strip-extras \
	  --allow-unsafe --output-file=requirements.txt pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --no-emit-index-url --no-emit-find-links --strip-extras \
	  --allow-unsafe --extra dev --output-file=requirements-dev.txt pyproject.toml

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache
