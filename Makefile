# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
CONTENT ?= course_content
DIST ?= dist
PORT ?= 8000

# Python 3.12: on PATH, or installed under pyenv (a pyenv shim that cannot run 3.12 is skipped).
PYTHON312 ?= $(shell for c in python3.12 $$(ls -d $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/3.12.*/bin/python3.12 2>/dev/null | sort -rV); do \
	  $$c -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null && { command -v $$c; break; }; done)

.PHONY: run test build validate preview clean browser-deps database-deps pythons bench fuzz-deep review-sheet screenshots

# Debian's MariaDB server (tests/concurrency runs the preview against a private one) and the client
# library and build tools mysqlclient compiles against; installed when missing, before the venv.
database-deps:
	@if ! command -v mariadbd >/dev/null 2>&1 || ! command -v mariadb-install-db >/dev/null 2>&1 \
	   || ! command -v pkg-config >/dev/null 2>&1 || ! command -v cc >/dev/null 2>&1 \
	   || ! pkg-config --exists libmariadb 2>/dev/null; then \
	  echo "Installing Debian's mariadb-server, libmariadb-dev, pkg-config and build-essential"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq mariadb-server libmariadb-dev pkg-config build-essential; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq mariadb-server libmariadb-dev pkg-config build-essential; fi; \
	fi

$(BIN)/.installed: setup.py requirements/constraints.txt | database-deps
	@if [ -z "$(PYTHON312)" ]; then echo "error: Python 3.12 not found (install it, e.g. 'pyenv install 3.12', or set PYTHON312=/path/to/python3.12)" >&2; exit 1; fi
	$(PYTHON312) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	@touch $@

build: $(BIN)/.installed
	$(BIN)/rpt-course build $(CONTENT) -o $(DIST)

validate: build
	$(BIN)/rpt-course validate $(CONTENT)
	$(BIN)/rpt-course validate "$$(ls -t $(DIST)/*.tar.gz | head -n 1)"

# docs/clinical-review.md: each lesson's sources and sign-offs, regenerated from the content
review-sheet: $(BIN)/.installed
	$(BIN)/python -m rpt_course.review_sheet $(CONTENT) -o docs/clinical-review.md

preview: $(BIN)/.installed
	$(BIN)/rpt-course preview $(CONTENT) --port $(PORT)

run: validate preview

browser-deps:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
	  { echo "Installing Debian's chromium for browser tests"; \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	    else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; }

# The Python of every supported Open edX release (the `# python-version:` line of requirements/release-*.txt),
# which tests/releases makes a venv with: found on PATH, under pyenv or in /usr/bin; otherwise installed
# from Debian (python3.X and python3.X-venv, when Debian has that version) or with pyenv. A version that
# none of these can provide stops here with a message, and tests/releases fails for that release.
RELEASE_PYTHONS := $(sort $(shell sed -n 's/^\# python-version: *//p' requirements/release-*.txt))
pythons:
	@for v in $(RELEASE_PYTHONS); do \
	  found=""; for c in python$$v /usr/bin/python$$v $$(ls -d $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/$$v.*/bin/python$$v 2>/dev/null | sort -rV); do \
	    $$c -c "import sys, ensurepip, venv; sys.exit(sys.version_info[:2] != tuple(map(int, '$$v'.split('.'))))" 2>/dev/null && { found=$$c; break; }; done; \
	  if [ -n "$$found" ]; then echo "Python $$v: $$found"; continue; fi; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  if command -v apt-get >/dev/null 2>&1 && $$sudo apt-get update -qq && apt-cache show python$$v-venv >/dev/null 2>&1; then \
	    echo "Installing Debian's python$$v and python$$v-venv"; \
	    $$sudo apt-get install -y -qq python$$v python$$v-venv || exit 1; \
	  elif command -v pyenv >/dev/null 2>&1; then \
	    echo "Installing Python $$v with pyenv"; pyenv install --skip-existing $$v || exit 1; \
	  else \
	    echo "error: Python $$v (an Open edX release's, requirements/release-*.txt) not found, and neither Debian (apt) nor pyenv can install it here" >&2; exit 1; \
	  fi; \
	done

test: $(BIN)/.installed browser-deps pythons
	$(BIN)/python -m pytest

# docs/screenshots/<block>-<state>-<width>.png, which README.md shows: each block's main states
# (tests/browser/screenshot_catalogue.py) at 390 and 1280 px, taken by tests/browser/test_screenshots.py,
# which also fails on a block wider than the viewport or an axe violation (the pictures are written first).
screenshots: $(BIN)/.installed browser-deps
	RPT_SCREENSHOTS_DIR="$(CURDIR)/docs/screenshots" $(BIN)/python -m pytest -p no:cacheprovider -q tests/browser/test_screenshots.py

# Measured speed (docs/benchmarks.md): build, blocks and validate beside their floors, about 10 minutes.
bench: $(BIN)/.installed
	$(BIN)/python -m benchmarks.run --write docs/benchmarks.md

# Long fuzzing runs (the test suite runs a bounded share): hypothesis's deep profile, then each
# coverage-guided target for FUZZ_SECONDS seconds, crashes written under var/fuzz/.
FUZZ_SECONDS ?= 600
fuzz-deep: $(BIN)/.installed
	HYPOTHESIS_PROFILE=deep $(BIN)/python -m pytest -q tests/fuzz -k "not coverage_guided"
	mkdir -p var/fuzz
	for target in archive yaml formula answer; do \
	  mkdir -p var/fuzz/$$target && \
	  $(BIN)/python tests/fuzz/coverage_guided/targets.py $$target var/fuzz/$$target \
	    -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=var/fuzz/ || exit 1; \
	done

clean:
	rm -rf $(VENV) $(DIST) var
