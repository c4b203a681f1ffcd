# The template's front door: `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reinstalled whenever requirements-dev.txt changes.
STAMP := $(VENV)/.installed-requirements
# The pinned tools (requirements-dev.txt, compiled from requirements-dev.in) go in with uv, which
# pins itself there too; pip brings it in the first time.
UV := $(BIN)/uv
COMPILE_REQUIREMENTS := $(UV) pip compile --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make requirements" requirements-dev.in
# The generated-project tests install three projects, a test each: two workers suit two cores.
# `--dist worksteal` from the order tests/conftest.py gives: the default bake (the longest) on
# one worker, the two other bakes one after the other on the second, the quick tests around
# them. (Not `--dist loadgroup`: with pytest 9.2 it no longer groups, and split the two.)
PYTEST_WORKERS ?= 2
# The default answers, baked for the benchmarks (bench/bake.py); its bench/ is the harness.
BAKED := build/bench/example-service

.DEFAULT_GOAL := help
.PHONY: help requirements locks test test-fast lint demo chaos bench bench-variants bench-layers bench-instructions bench-jobs bench-telemetry clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(UV) || $(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(UV) pip sync --quiet --python $(BIN)/python requirements-dev.txt
	touch $@

requirements: $(STAMP) ## requirements-dev.txt again from requirements-dev.in (UPGRADE=1: newest)
	$(COMPILE_REQUIREMENTS) $(if $(UPGRADE),--upgrade) -o requirements-dev.txt

locks: $(STAMP) ## the baked projects' uv.lock files again (UPGRADE=1: newest; scripts/lock_projects.py)
	$(BIN)/python scripts/lock_projects.py $(if $(UPGRADE),--upgrade)

test: $(STAMP) ## every template test, including installing and testing three baked projects
	scripts/ensure-services.sh
	scripts/ensure-promtool.sh
	scripts/ensure-chromium.sh
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal tests

test-fast: $(STAMP) ## the template tests without the slow ones (no install of baked projects)
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not slow" tests

lint: $(STAMP) ## ruff and mypy --strict on the template's own code (hooks/, tests/, bench/, scripts/)
	$(BIN)/ruff check hooks tests bench scripts
	$(BIN)/ruff format --check hooks tests bench scripts
	$(BIN)/mypy

demo: $(STAMP) ## bake the defaults into build/demo, install, migrate, serve on :8000 with a worker
	scripts/demo.sh

chaos: $(STAMP) ## the defaults under load while Redis, the broker, the worker and PostgreSQL fail
	PYTHONPATH=scripts $(BIN)/python -m chaos

bench: $(STAMP) ## bake the defaults, run their own `make bench` (SPEC 10); copies bench/results.md
	scripts/ensure-services.sh
	$(BIN)/python bench/bake.py $(BAKED)
	$(MAKE) -C $(BAKED) bench
	cp $(BAKED)/bench/results.md bench/results.md

bench-jobs: $(STAMP) ## enqueue-to-start latency and drain rate per broker; writes bench/jobs.md
	scripts/ensure-services.sh
	$(BIN)/python bench/bake.py $(BAKED)
	PYTHONPATH=$(CURDIR)/$(BAKED) $(BAKED)/.venv/bin/python bench/jobs.py

bench-variants: $(STAMP) ## G beside patched copies of the service (bench/variants/*.patch)
	scripts/ensure-services.sh
	$(BIN)/python bench/bake.py $(BAKED)
	PYTHONPATH=$(CURDIR)/$(BAKED) $(BAKED)/.venv/bin/python bench/variants.py bench/variants/*.patch

bench-layers: $(STAMP) ## CPU per cached read (G) in each layer: the app called in process, a part left out
	scripts/ensure-services.sh
	$(BIN)/python bench/bake.py $(BAKED)
	PYTHONPATH=$(CURDIR)/$(BAKED) $(BAKED)/.venv/bin/python bench/layers.py

bench-instructions: $(STAMP) ## instructions per read of G, H, B and Bs under callgrind: steady on a busy machine
	scripts/ensure-services.sh
	$(BIN)/python bench/bake.py $(BAKED)
	PYTHONPATH=$(CURDIR)/$(BAKED) $(BAKED)/.venv/bin/python bench/instructions.py

bench-telemetry: $(STAMP) ## CPU µs per request of the telemetry middleware beside FastAPIInstrumentor
	$(BIN)/python bench/bake.py $(BAKED)
	$(BAKED)/.venv/bin/python -m pip install --quiet opentelemetry-instrumentation-fastapi
	$(MAKE) -C $(BAKED) bench-telemetry

clean: ## remove build/, the virtualenv and caches
	rm -rf build $(VENV) .pytest_cache .ruff_cache .mypy_cache
