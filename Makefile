# The two commands: `make run` and `make test`. Everything else is what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
INSTALLED := $(VENV)/.installed

.PHONY: run test install check lint format migrate demo totp lock clean screenshots

$(INSTALLED): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12 or newer is needed; found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --requirement requirements.lock
	mkdir -p var
	touch $(INSTALLED)

install: $(INSTALLED)

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

# Web server on 127.0.0.1:8000 plus a Celery worker with beat; Ctrl-C stops them all.
run: demo
	bin/run-dev

# Current second-step codes for the demo logins.
totp: install
	@$(MANAGE) demo_totp

# Each role's home page at 390 px and 1280 px, from the demo data, into var/screenshots/.
screenshots: demo
	$(MANAGE) screenshots

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=deploy-check-$$RANDOM-not-a-real-secret-value-0123456789abcdef \
	  DJANGO_ALLOWED_HOSTS=school.example EMAIL_HOST=smtp.school.example \
	  SITE_URL=https://school.example \
	  $(MANAGE) check --deploy --fail-level WARNING

test: lint check
	$(BIN)/pytest $(PYTEST_ARGS)

# Re-pin every dependency after adding one to pyproject.toml and installing it in .venv.
lock: install
	$(BIN)/python -m pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
