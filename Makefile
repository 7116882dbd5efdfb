# SEND Assistant — the two commands a newcomer needs:
#   make run    install everything, build the index if missing or stale, serve on http://127.0.0.1:8000
#   make test   install what the tests need and run them
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: run test install install-test system-test-deps index serve eval bench clean

run: install index serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch first and pinned: pip takes the CPU build from this machine's disk (never a CUDA build).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

index: install
	$(BIN)/send-assistant index --if-stale

serve: install
	$(BIN)/send-assistant serve --host $(HOST) --port $(PORT)

# Debian's Chromium (browser tests, driven by Playwright) and PostgreSQL (storage tests).
# Installed when missing and when we can (root or sudo); otherwise those tests skip and say why.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
system-test-deps:
	@if [ ! -x /usr/bin/chromium ] || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  ($(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium postgresql >/dev/null) \
	  || echo "note: could not install chromium/postgresql; browser and PostgreSQL tests will be skipped"; \
	fi

test: install-test system-test-deps
	$(BIN)/send-assistant corpus check
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

eval: install
	$(BIN)/send-assistant index --if-stale
	$(BIN)/send-assistant eval

bench: install
	$(BIN)/send-assistant index --if-stale
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) data test-artifacts
