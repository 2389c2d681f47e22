# Two commands for a fresh machine (see README):
#   make run    set up .venv and start the app
#   make test   set up .venv and run every test (core, app, browser)
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PORT   ?= 8501

.PHONY: run test test-core test-app test-e2e bench clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

test: $(VENV)/.dev
	$(PY) -m pytest

test-core: $(VENV)/.dev
	$(PY) -m pytest tests/core

test-app: $(VENV)/.dev
	$(PY) -m pytest tests/app

test-e2e: $(VENV)/.dev
	$(PY) -m pytest tests/e2e

bench: $(VENV)/.dev
	$(PY) benchmarks/bench_foundation.py
	$(PY) benchmarks/bench_self_attention.py
	$(PY) benchmarks/bench_transformer.py
	$(PY) benchmarks/bench_seq2seq.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis screenshots
