# Routine tasks. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
TEST_STAMP := $(VENV)/.test-installed-$(shell cat pyproject.toml package-lock.json 2>/dev/null | sha1sum | cut -c1-12)
# `make run HOST=0.0.0.0 PORT=8000`. HOST only from the command line: tcsh and
# some zsh setups export HOST as the machine's name.
ifneq ($(origin HOST),command line)
HOST := 127.0.0.1
endif
PORT ?= 5000

.PHONY: help run test test-pg lint bench bench-full bench-tools screenshots strings catalogs setup test-setup browser clean

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[postgres]'
	rm -f $(VENV)/.installed-*; touch $@

setup: $(STAMP) catalogs ## Install the portal into .venv and compile translations

catalogs: $(STAMP)
	$(BIN)/pybabel -q compile -d translations

run: setup ## Serve the portal with demo content on http://127.0.0.1:5000 (HOST=, PORT= to change)
	$(FLASK) db upgrade
	$(FLASK) demo load
	$(FLASK) search rebuild
	$(FLASK) run --host $(HOST) --port $(PORT)

browser: ## Install Debian's Chromium, CJK fonts and Java (for the HTML checker) for the browser tests (needs root)
	@need=""; \
	[ -x /usr/bin/chromium ] || need="$$need chromium"; \
	fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || need="$$need fonts-noto-cjk"; \
	command -v java >/dev/null || need="$$need default-jre-headless"; \
	if [ -n "$$need" ]; then \
	  echo "Installing$$need"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null; \
	fi

$(TEST_STAMP): $(STAMP) package.json package-lock.json
	$(BIN)/pip install --quiet -e '.[test,postgres]'
	npm ci --no-audit --no-fund --silent
	rm -f $(VENV)/.test-installed-*; touch $@

test-setup: setup browser $(TEST_STAMP)

test: test-setup ## Run the whole test suite, browser tests included
	$(BIN)/pytest

lint: test-setup ## Check style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check portal search tests bench

bench-tools: ## Install wrk for the web benchmarks (apt-get as root), or say how to
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing wrk"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else \
	    echo "The web benchmarks need wrk (an HTTP load generator), which is not installed."; \
	    echo "Install it, then run make bench again:  sudo apt-get install wrk   (macOS: brew install wrk)"; \
	    exit 1; \
	  fi; \
	fi

bench: bench-tools test-setup ## Benchmarks that take minutes: web pages, search at 10k, search relevance, booking race, appointment race, submission load, kiosk start-screen weight (SQLite)
	$(BIN)/python bench/web_bench.py
	$(BIN)/python bench/search_bench.py --sizes 10000
	$(BIN)/python bench/search_web_bench.py --quick
	$(BIN)/python bench/search_quality.py
	$(BIN)/python bench/booking_race.py
	$(BIN)/python bench/appointment_race.py
	$(BIN)/python bench/submission_load.py
	$(BIN)/python bench/kiosk_start.py

bench-full: bench-tools test-setup ## The full benchmarks (about an hour): search at 10k and 100k, search page at 100k
	$(BIN)/python bench/search_bench.py
	$(BIN)/python bench/search_web_bench.py

screenshots: test-setup ## PNG screenshots of the main citizen and staff pages (1280 and 360 px) into build/screenshots/
	$(BIN)/python bench/screenshots.py --out build/screenshots

strings: $(STAMP) ## Extract messages, update both catalogs, compile them
	$(BIN)/pybabel -q extract -F babel.cfg -k lazy_gettext -k _l --no-location --sort-output \
	  --project procuratorate-portal -w 100 -o translations/messages.pot .
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date -w 100
	$(BIN)/python -m portal.catalogs fill-english translations/en/LC_MESSAGES/messages.po
	$(BIN)/pybabel -q compile -d translations
	-$(BIN)/python -m portal.catalogs report translations

clean: ## Remove the virtual environment and caches (keeps instance/)
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
