# mktdept: `make run` to try it, `make test` for the whole suite. Needs only python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: run test suite install install-dev lint messages check-messages check-migrations migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

# A development .env with a fresh secret key; an existing .env is left alone.
.env:
	$(BIN)/python scripts/write_dev_env.py

migrate: install .env
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

run: demo
	$(BIN)/python scripts/messages.py compile
	@echo ""
	@echo "  mktdept is starting on http://127.0.0.1:$(PORT)/  (web, Celery worker and beat; Ctrl-C stops all)"
	@echo ""
	PORT=$(PORT) MKTDEPT_WEB_PORT=$(PORT) $(BIN)/honcho start -f Procfile

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: install-dev
	$(BIN)/python scripts/messages.py update

check-messages: install-dev
	$(BIN)/python scripts/messages.py check

check-migrations: install-dev
	DJANGO_SETTINGS_MODULE=mktdept.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# pytest alone. TEST_NOW=2026-10-01T10:00 runs it with the clock set to that moment (Asia/Shanghai,
# ticking on from there); empty means the real time. PYTEST_ARGS="-n 2 -k leave" passes options.
suite: install-dev
	$(BIN)/python scripts/ensure_chromium.py
	TEST_NOW="$(TEST_NOW)" $(BIN)/pytest $(PYTEST_ARGS)

test: install-dev lint check-messages check-migrations suite

clean:
	rm -rf $(VENV) var
