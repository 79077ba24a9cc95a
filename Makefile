# The two commands: `make run` and `make test`. Both need only Python 3.11+.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test venv lint fmt e2e bench messages clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

venv: $(VENV)/.installed

## make run: the embedded demo on SQLite with eager tasks and mail on the console.
run: venv
	DEMO=1 $(PY) manage.py migrate --noinput
	DEMO=1 $(PY) manage.py seed_demo
	DEMO=1 $(PY) manage.py runserver $(HOST):$(PORT)

## make test: the whole suite; with DATABASE_URL and REDIS_URL also the integration tests.
test: venv
	$(PY) -m pytest $(PYTEST_ARGS)

e2e: venv
	$(PY) -m pytest -m e2e $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: venv
	$(PY) manage.py makemessages --locale de --no-obsolete --ignore ".venv/*" --ignore "staticfiles/*" --ignore "tests/*" --ignore "bench/*"
	$(PY) manage.py compilemessages --locale de --locale en --ignore ".venv/*"

bench: venv
	@for script in bench/*.py; do [ -e "$$script" ] || continue; echo "== $$script"; $(PY) "$$script" || exit 1; done

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
