# Two commands for a fresh machine (see README):
#   make run    set up .venv and start the app (no file watching: a classroom server)
#   make test   set up .venv, lint (ruff) and run every test (core, app, live-class stores, browser)
#   make dev    like run, but reruns the app when a source file is saved
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PORT   ?= 8501

.PHONY: run dev test lint test-core test-app test-classroom test-e2e fuzz bench screenshots clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# File watching off: with inotify it overflowed on .venv (~10,000 log lines an hour).
run: $(VENV)/.runtime
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.fileWatcherType none

# For editing the app: poll the app's own source files (no inotify) and rerun on save.
dev: $(VENV)/.runtime
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.fileWatcherType poll --server.runOnSave true

# core, app and live-class store tests on both cores (pytest-xdist; each worker starts its own redis-server);
# the browser tests one at a time (each drives a server and Chromium).  A lesson's own tests live in its folder
# (lessons/<lesson>/tests, its browser tests in tests/e2e there): the e2e marker every browser test carries
# splits the two runs.
test: lint
	$(PY) -m pytest -n 2 -m "not e2e" tests/core tests/app tests/classroom lessons
	$(PY) -m pytest -m e2e tests/e2e lessons

# ruff (pyproject.toml): lint and format check; `make test` fails on a violation.
lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test-core: $(VENV)/.dev
	$(PY) -m pytest tests/core

test-app: $(VENV)/.dev
	$(PY) -m pytest -m "not e2e" tests/app lessons

# the live class's rooms: the store contract on memory, SQLite and a real redis-server (Debian: redis-server)
test-classroom: $(VENV)/.dev
	$(PY) -m pytest tests/classroom

test-e2e: $(VENV)/.dev
	$(PY) -m pytest -m e2e tests/e2e lessons

# Fuzz every parser of untrusted input (uploads, images, text boxes, URL parameters) with
# FUZZ_EXAMPLES examples a test (~9 cases each): ~18,000 cases, a few minutes; ends with the counts.
FUZZ_EXAMPLES ?= 2000
fuzz: $(VENV)/.dev
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q -p tests.core.fuzzing tests/core/test_fuzz.py tests/core/test_fuzz_url.py

# The README's pictures (docs/images/): every lesson of ui/layout.py PAGES in headless Chromium at 1366×768.
screenshots: $(VENV)/.dev
	$(PY) scripts/readme_screenshots.py

bench: $(VENV)/.dev
	$(PY) benchmarks/bench_foundation.py
	$(PY) benchmarks/bench_self_attention.py
	$(PY) benchmarks/bench_transformer.py
	$(PY) benchmarks/bench_complexity.py --no-csv
	$(PY) benchmarks/bench_image.py
	$(PY) benchmarks/bench_seq2seq.py
	$(PY) benchmarks/bench_room_store.py

# A class on one server (docs/serving.md): nginx in front of PROCS Streamlit processes.
PROCS    ?= 2
SESSIONS ?= 40
.PHONY: serve-class bench-load bench-live-class

serve-class: $(VENV)/.runtime
	$(PY) deploy/serve_class.py --procs $(PROCS) --port $(PORT)

bench-load: $(VENV)/.dev
	$(PY) benchmarks/bench_class_load.py --sessions $(SESSIONS) --procs $(PROCS)

# A live class through the 2-process recipe, on SQLite and on Redis (benchmarks/README.md): ~3 minutes.
bench-live-class: $(VENV)/.dev
	$(PY) benchmarks/bench_live_class.py --students $(SESSIONS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis screenshots
