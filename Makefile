# 1000 Strategists. `make demo` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: setup demo serve test test-postgres browser-deps lint fmt bench ci messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,redis]'
	touch $(STAMP)

setup: $(STAMP) messages

messages: $(STAMP)
	$(BIN)/strategists compilemessages --ignore='.venv' --ignore='node_modules' -v0

demo: setup
	$(BIN)/strategists demo
	$(BIN)/strategists serve

serve: setup
	$(BIN)/strategists serve

# Browser tests drive Debian's Chromium; install it when missing (as root, the way CI runs).
browser-deps:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Browser tests need Debian's Chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

test: setup browser-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -q

test-postgres:
	STRATEGISTS_DATABASE_URL=$(PG_URL) $(MAKE) test

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var
