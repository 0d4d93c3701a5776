# iscctl — the two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

# .venv belongs to one interpreter, $(PYTHON): a .venv made by another Python (an older
# one, or one since removed) is recreated instead of failing the same way forever.
PY_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
PY_OK      := $(shell $(PYTHON) -c 'import sys; print(int(sys.version_info >= (3, 11)))' 2>/dev/null)
VENV_PY    := $(shell $(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
# `venv` is a prerequisite of the installs only while .venv is missing or foreign.
VENV_FIX   := $(if $(and $(VENV_PY),$(filter $(PY_VERSION),$(VENV_PY))),,venv)
SUM        := $(shell cksum pyproject.toml | cut -d' ' -f1)
# Installed: what the demo needs (iscctl and its sandbox extra), and all `make test` needs.
DEMO_STAMP := $(VENV)/.installed-demo-$(SUM)-py$(PY_VERSION)
DEV_STAMP  := $(VENV)/.installed-dev-$(SUM)-py$(PY_VERSION)
# The editable install is a .pth file naming overrides/ and generated/ (hatchling,
# pyproject.toml), so mypy sees iscctl from a script outside the repository too.
PIP        := $(BIN)/python -m pip --disable-pip-version-check
# The OpenAPI linter of the spec gate (Redocly CLI), exactly as package-lock.json pins it.
NODE_STAMP := node_modules/.installed-$(shell cksum package-lock.json | cut -d' ' -f1)
EDITABLE   := $(PIP) install --quiet -e

.DEFAULT_GOAL := help
.PHONY: help venv install generate check lint typecheck test demo bench clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

venv:  ## create .venv (or recreate it when another Python made it)
	@if [ "$(PY_OK)" != 1 ]; then \
	  echo "make: iscctl needs Python 3.11 or later, and '$(PYTHON)' is" \
	    "$(or $(PY_VERSION),not a Python that runs); run: make PYTHON=python3.11 ..." >&2; \
	  exit 2; \
	fi
	@if [ -e $(VENV) ] && [ "$(VENV_PY)" != "$(PY_VERSION)" ]; then \
	  echo "make: $(VENV) was made by $(if $(VENV_PY),Python $(VENV_PY),a Python that no longer runs);" \
	    "recreating it with $(PYTHON) ($(PY_VERSION))"; \
	  rm -rf $(VENV); \
	fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)

$(DEMO_STAMP): pyproject.toml $(VENV_FIX)
	@$(PIP) install --quiet --upgrade "pip>=24"
	$(EDITABLE) '.[sandbox]'
	@find $(VENV) -maxdepth 1 -name '.installed-*' ! -name '*-$(SUM)-py$(PY_VERSION)' -delete
	@touch $@

$(DEV_STAMP): pyproject.toml $(VENV_FIX)
	@$(PIP) install --quiet --upgrade "pip>=24"
	$(EDITABLE) '.[dev]'
	@find $(VENV) -maxdepth 1 -name '.installed-*' ! -name '*-$(SUM)-py$(PY_VERSION)' -delete
	@touch $@ $(DEMO_STAMP)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make: the OpenAPI linter needs Node.js 20.19+ (or 22.12+) and npm; install them, then run make again" >&2; exit 2; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

install: $(DEV_STAMP) $(NODE_STAMP)  ## create .venv with iscctl (editable), the generators, the linter and the test tools

generate: $(DEV_STAMP) $(NODE_STAMP)  ## check openapi/isc.yaml (the spec gate) and rewrite generated/ from nothing
	$(BIN)/python tools/codegen.py generate

# The bench scripts are type-checked like the package.
check: $(DEV_STAMP) $(NODE_STAMP)  ## the spec gate; fail if generated/ is stale; lint the hand-written code; mypy --strict
	$(BIN)/python tools/codegen.py check
	$(BIN)/ruff check --no-cache overrides tests bench tools
	$(BIN)/ruff format --no-cache --check overrides tests bench tools
	$(BIN)/mypy generated/iscctl_client generated/iscctl_models overrides/iscctl bench

test: check  ## make check, then the whole test suite
	$(BIN)/python -m pytest -q

demo: $(DEMO_STAMP)  ## install iscctl with the sandbox, start it, run the main job against it, stop it
	$(BIN)/python -m iscctl.demo

bench: $(DEV_STAMP)  ## print the performance figures (bench/bench_*.py)
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) node_modules .mypy_cache .pytest_cache .ruff_cache build *.egg-info overrides/*.egg-info
