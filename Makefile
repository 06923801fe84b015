# hoso — the whole interface a newcomer needs: run · test · check · fmt · bench · e2e
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check fmt lock bench e2e venv clean rules-coverage

venv: $(STAMP)

# The environment is rebuilt whenever the lock file or the project metadata changes.
$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: venv
	$(PY) manage.py migrate --noinput
	$(PY) -m hoso.core.i18n_compile
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py demo_accounts
	$(PY) manage.py runserver $(HOST):$(PORT)

test: venv
	$(PY) -m pytest $(PYTEST_ARGS)

check: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

# The rules engine is held to 100 % branch coverage by its own tests (issue 3); no Django needed.
rules-coverage: venv
	$(PY) -m pytest tests/rules -p no:django -q --cov=hoso.rules --cov-branch \
		--cov-report=term-missing:skip-covered --cov-fail-under=100

fmt: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate requirements.lock from pyproject.toml (needs network to PyPI).
lock:
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock --no-header

# Benchmarks (issue 9): the quick scale (50 schools, 30,000 students) end to end, then
# docs/performance.md. Needs PostgreSQL on 127.0.0.1:5432 (BENCH_DATABASE_URL to change);
# BENCH_ARGS="--skip-generate" reuses the bench database. See bench/README.md.
bench: venv
	$(PY) -m bench.run --scale 0.05 $(BENCH_ARGS)

# End-to-end browser tests (issue 10): Playwright driving Debian's Chromium (installed here if
# missing; Playwright's own browser download does not work on these machines) against a server
# the tests start on a fresh SQLite database. HOSO_E2E_SCREENSHOTS=1 refreshes docs/huong-dan/img.
e2e: venv
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	$(PY) -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3
