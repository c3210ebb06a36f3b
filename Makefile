# Myelin — one Makefile for set-up, build, tests and the demo.
#   make demo   install what is missing, build, install the kernelspec, run the notebooks headless
#   make test   everything the tests need, then all tests (Swift, Jupyter client, notebooks)
SHELL := /bin/bash
.DEFAULT_GOAL := help

# One release build, with testing enabled so `swift test` reuses it instead of building again.
SWIFT_FLAGS ?= -c release -Xswiftc -enable-testing
BIN_DIR      = $(shell swift build $(SWIFT_FLAGS) --show-bin-path 2>/dev/null)
MYELIN       = $(BIN_DIR)/myelin
VENV        ?= .venv
PY           = $(VENV)/bin/python
# Tests install the kernelspec here, never into the user's own Jupyter directories.
TEST_JUPYTER = $(CURDIR)/.build/jupyter-test
APT_PACKAGES = libzmq3-dev libopenblas-dev zlib1g-dev pkg-config python3-venv
SUDO         = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help deps venv build install demo test test-swift test-client test-notebooks bench bench-quick bench-build lab clean soak fuzz

help:
	@echo "make demo   - set up, build, install the kernelspec, run the course notebooks"
	@echo "make test   - set up, build, run every test"
	@echo "make lab    - open JupyterLab with the Myelin kernel"
	@echo "make bench  - benchmarks against the anchors, written to bench/results.md (not part of make test)"
	@echo "make bench-quick - the same with few repetitions, a smoke check (.build/bench-quick.md)"
	@echo "make install / make clean"

# System libraries, installed only when pkg-config cannot find them.
deps:
	@if ! pkg-config --exists libzmq openblas zlib 2>/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then \
	  echo "Installing system packages: $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi

# A venv with the Jupyter client tools the client-side tests use.
venv: $(VENV)/.stamp
$(VENV)/.stamp: tests/client/requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r tests/client/requirements.txt
	touch $@

build: deps
	swift build $(SWIFT_FLAGS) --product myelin
	swift build $(SWIFT_FLAGS) --product myelin-launcher

install: build
	$(MYELIN) install --user

demo: build venv
	$(MYELIN) install --user
	@mkdir -p .build/demo
	$(MYELIN) exec --output .build/demo notebooks/

test: deps venv
	swift build $(SWIFT_FLAGS) --build-tests
	$(MAKE) test-swift test-client test-notebooks

test-swift:
	swift test $(SWIFT_FLAGS) --skip-build

test-client:
	rm -rf $(TEST_JUPYTER) && mkdir -p $(TEST_JUPYTER)
	JUPYTER_DATA_DIR=$(TEST_JUPYTER) $(MYELIN) install --user
	JUPYTER_DATA_DIR=$(TEST_JUPYTER) JUPYTER_PATH=$(TEST_JUPYTER) MYELIN=$(MYELIN) \
	  $(PY) -m pytest -q tests/client

test-notebooks:
	@out=$$(mktemp -d); $(MYELIN) exec --output $$out notebooks/; rc=$$?; rm -rf $$out; exit $$rc

# Long runs, not part of `make test`.
soak: build venv
	rm -rf $(TEST_JUPYTER) && mkdir -p $(TEST_JUPYTER)
	JUPYTER_DATA_DIR=$(TEST_JUPYTER) $(MYELIN) install --user
	JUPYTER_DATA_DIR=$(TEST_JUPYTER) JUPYTER_PATH=$(TEST_JUPYTER) MYELIN=$(MYELIN) $(PY) tests/client/soak.py

# libFuzzer over the wire decoder, JSON parser, nbformat reader and connection files
# (FUZZ_SECONDS=N, default 300). Findings land in .build/fuzz; add them to fuzz/corpus.
FUZZ_SECONDS ?= 300
fuzz:
	@mkdir -p .build/fuzz/corpus
	swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name JupyterFuzz -I Sources/CZeroMQ \
	  $$(find Sources/Jupyter -name '*.swift') fuzz/JupyterFuzzTarget.swift -lzmq -o .build/fuzz/jupyter-fuzz
	cd .build/fuzz && ./jupyter-fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
	  corpus $(CURDIR)/fuzz/corpus/wire $(CURDIR)/fuzz/corpus/json $(CURDIR)/fuzz/corpus/notebook $(CURDIR)/fuzz/corpus/connection

lab: build venv
	$(PY) -m pip install -q jupyterlab
	$(MYELIN) install --sys-prefix
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(VENV)/bin/jupyter lab

# Benchmarks against the anchors (bench/run.py; never part of `make test`). The anchors live in their own venv.
BENCH_VENV  ?= .venv-bench
BENCH_PY     = $(BENCH_VENV)/bin/python
$(BENCH_VENV)/.stamp: bench/requirements.txt
	python3 -m venv $(BENCH_VENV)
	$(BENCH_PY) -m pip install -q --disable-pip-version-check -r bench/requirements.txt
	touch $@

bench-build: deps $(BENCH_VENV)/.stamp
	swift build $(SWIFT_FLAGS)

bench: bench-build
	$(BENCH_PY) bench/run.py --bin $(BIN_DIR)

bench-quick: bench-build
	$(BENCH_PY) bench/run.py --bin $(BIN_DIR) --quick --out .build/bench-quick.md

clean:
	rm -rf .build $(VENV) $(BENCH_VENV)
