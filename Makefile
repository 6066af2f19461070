# JobMate — `make run` serves the app, `make demo` the same with a demo account and sample
# job boards (no internet needed), `make test` runs the whole suite.
# All create .venv and install requirements.txt on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Extra pytest arguments: make test ARGS="-k healthz -x"
ARGS ?=

.PHONY: run demo test stop install clean

install: $(BIN)/.installed

$(BIN)/.installed: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

run: install
	$(BIN)/python -m jobmate.dev run --port $(PORT)

demo: install
	$(BIN)/python -m jobmate.dev demo --port $(PORT)

test: install
	$(BIN)/python -m jobmate.dev test $(ARGS)

# Stop the embedded PostgreSQL and Redis if something left them running.
stop: install
	$(BIN)/python -m jobmate.dev stop

clean: stop
	rm -rf var/
