# Two front doors: `make figures` and `make test`. Both create .venv from bare python3.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export MPLBACKEND := Agg
export NUMBA_CACHE_DIR := $(CURDIR)/.numba_cache
# The make targets keep both caches in the checkout, so that `make clean` removes everything they
# wrote; the CLI on its own uses ~/.cache/memtheory/results (set MEMTHEORY_CACHE_DIR to override).
export MEMTHEORY_CACHE_DIR ?= $(CURDIR)/.memtheory_cache

.PHONY: venv figures test validate bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e ".[test,neural,dask,data,docs,xarray]"
	$(BIN)/python -m memtheory.solvers.raf.warmup
	touch $(STAMP)

venv: $(STAMP)

figures: $(STAMP)
	$(BIN)/memtheory figures --out figures/out
	$(BIN)/memtheory posterior diffusion-experiment --config cpu --data digits --out figures/out/diffusion_real --quiet

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m "not slow" --nbmake tests notebooks

validate: $(STAMP)
	$(BIN)/python -m pytest -m slow tests
	$(BIN)/memtheory raf validate --out validation

# The documentation site (docs/_build/html); warnings are errors. Notebooks run at build time, cached.
docs: $(STAMP)
	$(BIN)/python -m sphinx -b html -W --keep-going -q docs docs/_build/html

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .numba_cache figures/out .memtheory_cache docs/_build docs/api docs/notebooks/*.ipynb .jupyter_cache
