# borderwatch — `make demo` and `make test` work on a fresh machine (Python 3.11+).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# Instants for `make test-clock`: a local date with no 5 or 7 just before midnight in Mexico City
# (UTC is already in the next year), just after midnight at a month turn, and a summer noon.
CLOCKS ?= 2026-12-31T23:55:00-06:00 2027-03-01T00:05:00-06:00 2026-06-14T12:00:00+00:00

.PHONY: demo test test-clock lint typecheck eval serve serve-distributed bench bench-extraction bench-memory bench-workers bench-soak bench-scale clean install

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) -m demo.run

# ruff, and the layer contracts of pyproject.toml (import-linter: config <- extractors <- storage
# <- flows); tests/test_layers.py runs the same contracts in `make test`
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

typecheck: $(STAMP)
	$(VENV)/bin/mypy

test: $(STAMP) lint typecheck
	$(PY) scripts/ensure_chromium.py
	$(PY) -m pytest -q

# The suite under the injectable clock (config/clock.py) at fixed instants: no test may depend
# on the date or the hour it runs at.
test-clock: $(STAMP)
	@for at in $(CLOCKS); do \
	  echo "== BORDERWATCH_CLOCK_AT=$$at"; \
	  BORDERWATCH_CLOCK_AT=$$at $(PY) -m pytest -q -p no:cacheprovider || exit 1; \
	done

eval: $(STAMP)
	$(PY) scripts/eval_tagger.py
	$(PY) scripts/eval_tagger.py --passages tests/eval/blind.yaml
	$(PY) scripts/eval_tagger.py --passages tests/eval/blind2.yaml
	$(PY) scripts/eval_tagger.py --real

serve: $(STAMP)
	$(VENV)/bin/borderwatch serve

serve-distributed: $(STAMP)
	$(PY) scripts/serve_distributed.py --workers $(or $(WORKERS),2)

bench: $(STAMP)
	$(PY) -m bench.run

bench-extraction: $(STAMP)
	$(PY) -m bench.extraction

bench-memory: $(STAMP)
	$(PY) -m bench.run --memory

bench-workers: $(STAMP)
	$(PY) -m bench.bench_workers

# issue 19: `borderwatch serve` for 15 minutes, per-minute cron, SQLite, rotating faulty web
bench-soak: $(STAMP)
	$(PY) -m bench.bench_soak --minutes $(or $(MINUTES),15)

bench-scale: $(STAMP)
	$(PY) -m bench.bench_scale

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
