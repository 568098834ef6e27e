# make demo / make test work on a fresh machine with only Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint unit install clean browser tools

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml package-lock.json
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	npm ci --no-audit --no-fund --loglevel=error   # the web pages' libraries, served locally
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/gridloop demo

lint: $(STAMP)
	$(BIN)/ruff check gridloop tests
	$(BIN)/ruff format --check gridloop tests
	$(BIN)/mypy gridloop
	$(BIN)/lint-imports

test: lint tools
	$(BIN)/python -m pytest -q

# The browser tests drive Debian's Chromium, and `gridloop bench api` drives wrk (without it, a
# slower Python load generator); install them when the machine lacks them.
tools: browser
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; } \
		|| echo "warning: could not install wrk; bench api will use its Python load generator"

browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium; } \
		|| echo "warning: could not install chromium; the browser tests will say so and skip"

unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
