# The two commands that matter: `make run` (the app and the reference backend on http://127.0.0.1:8080)
# and `make test` (every check and test layer). Both install whatever is missing first.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/tools/node_modules/.bin:$(PATH)

ADDR ?= 127.0.0.1:8080
DATA_DIR ?= data

.PHONY: run test dev build install install-test backend clean-data

## make run: build the release app and serve it with the reference backend.
run: install build
	cargo build --locked --profile server -p backend
	@echo "Serving the app on http://$(ADDR)/ (data in $(DATA_DIR)/; Ctrl-C stops)"
	./target/server/backend --addr $(ADDR) --dist dist --app-config dist/config.json --data-dir $(DATA_DIR) --dev

## make test: format, lints, native tests, browser tests, end-to-end tests, bundle budget.
test: install-test
	tools/test.sh

## make dev: trunk serve with live reload on http://127.0.0.1:8081, /api proxied to the backend on :8080.
dev: install
	cargo build --locked -p backend
	./target/debug/backend --addr $(ADDR) --dist dist --data-dir $(DATA_DIR) --dev & \
	  trap "kill $$!" EXIT; trunk serve

## The release build of the app into dist/ (wasm-opt -Oz), used by `run` and by the end-to-end tests.
build:
	trunk build --release --locked

install:
	tools/install.sh

install-test:
	tools/install.sh --test

clean-data:
	rm -rf $(DATA_DIR)
