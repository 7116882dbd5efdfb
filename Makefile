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

.PHONY: run test install install-test index serve eval bench browser-deps clean

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

test: install-test
	$(BIN)/send-assistant corpus check
	$(BIN)/python -m pytest -q

eval: install
	$(BIN)/send-assistant index --if-stale
	$(BIN)/send-assistant eval

bench: install
	$(BIN)/send-assistant index --if-stale
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) data test-artifacts
