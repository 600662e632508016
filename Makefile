# Two commands for a new machine: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
# xstatic-bootstrap does not build with setuptools 81 or later; constraints.txt pins that too.
export PIP_CONSTRAINT := $(CURDIR)/constraints.txt
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint format install migrate demo clean

$(BIN)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

install: $(BIN)/.installed

# Demo: SQLite unless DATABASE_URL is set, demo data and demo users, web server plus a Celery
# worker and beat. Safe to run again.
run: install
	DEBUG=true DEMO_MODE=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true DEMO_MODE=true $(BIN)/python manage.py load_demo
	# The web server with a Celery worker and beat beside it (monitor/management/commands/
	# rundemo.py): the filesystem broker under var/celery/, or Redis when REDIS_URL is set.
	# Ctrl-C stops all three.
	DEBUG=true DEMO_MODE=true $(BIN)/python manage.py rundemo 127.0.0.1:$(PORT)

# The whole suite: SQLite by default, PostgreSQL when DATABASE_URL is set.
test: install
	bash .ci/chromium
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=monitor.settings_test
	$(BIN)/pytest $(PYTEST_ARGS)

# Style everywhere; types on the modules listed under [tool.mypy] in pyproject.toml.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
