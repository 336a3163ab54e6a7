# The two commands that matter: `make run` (the app and the reference backend on http://127.0.0.1:8080)
# and `make test` (every check and test layer). Both install whatever is missing first.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/tools/node_modules/.bin:$(PATH)

ADDR ?= 127.0.0.1:8080
DATA_DIR ?= data
# The designers' server: the app at the root, rebuilt and reloaded on every change (end2end/dev-loop runs it too).
DEV_SERVE = trunk serve --public-url /
# trunk refuses to start when a folder its watch ignores (Trunk.toml) does not exist, as on a fresh clone.
DEV_FOLDERS = data dist

.PHONY: run test dev build bench install install-test backend clean-data

## make run: build the release app and serve it with the reference backend.
run: install build
	cargo build --locked --profile server -p backend
	@echo "Serving the app on http://$(ADDR)/ (data in $(DATA_DIR)/; Ctrl-C stops)"
	./target/server/backend --addr $(ADDR) --dist dist --app-config dist/config.json --data-dir $(DATA_DIR) --dev

## make test: format, lints, native tests, browser tests, end-to-end tests, bundle budget.
test: install-test
	tools/test.sh

## make dev: trunk serve with live reload on http://127.0.0.1:8081, /api proxied to the backend on :8080.
## The styleguide is at http://127.0.0.1:8081/styleguide; a change under style/ shows without a Rust rebuild.
dev: install
	cargo build --locked -p backend
	mkdir -p $(DEV_FOLDERS)
	./target/debug/backend --addr $(ADDR) --dist dist --data-dir $(DATA_DIR) --dev & \
	  trap "kill $$!" EXIT; $(DEV_SERVE)

## The release build of the app into dist/ (wasm-opt -Oz), used by `run` and by the end-to-end tests.
build:
	trunk build --release --locked

## make bench: measures and prints, beside their targets, the first screen on a phone (Lighthouse 12, mobile
## preset; the app and the yardstick, a Leptos hello-world with a router built the same way), the interaction at
## 4x CPU slowdown (Event Timing: a keystroke in 证件号码, 下一步) and the image pipeline (this app's, a bare canvas
## baseline and browser-image-compression on the same generated photos), then writes them to docs/quality.md.
## Not part of `make test`.
# The images are made with Pillow: the system's when it has it, else a virtualenv under target/. Lighthouse is
# installed under end2end/bench/lighthouse/ for the bench only. Ports: BENCH_PORT (8095) and the next one for
# Lighthouse, E2E_PORT (8090) and the four after it for the Playwright benches.
# Lighthouse's trace engine asks for third-party-web and legacy-javascript at their "latest" tag, which moves on the
# registry; package.json pins them ("overrides") to the locked versions, or `npm ci` refuses the lock.
BENCH_PYTHON = $(shell python3 -c 'import PIL' 2>/dev/null && echo python3 || echo target/bench-venv/bin/python)
bench: install-test build
	cargo build --locked -p backend
	# Without the relocations .cargo/config.toml links the app's wasm with for its split: nothing strips them
	# from a wasm that is not split, and they tripled the yardstick's size.
	cd end2end/bench/yardstick && CARGO_ENCODED_RUSTFLAGS= trunk build --release --locked
	@if [ "$(BENCH_PYTHON)" != python3 ] && [ ! -x "$(BENCH_PYTHON)" ]; then \
	  python3 -m venv target/bench-venv && target/bench-venv/bin/pip install --quiet pillow; fi
	@[ -d end2end/bench/lighthouse/node_modules ] || (cd end2end/bench/lighthouse && npm ci --no-audit --no-fund)
	$(BENCH_PYTHON) end2end/fixtures/make-images.py --bench
	rm -f target/bench-first-screen.md target/bench-images.txt target/bench-interaction.txt
	node end2end/bench/lighthouse/first-screen.mjs target/bench-first-screen.md; lighthouse=$$?; \
	  (cd end2end && BENCH_SUMMARY=../target/bench-images.txt \
	    BENCH_INTERACTION_SUMMARY=../target/bench-interaction.txt npx playwright test --config bench.config.ts); \
	  browser=$$?; tools/quality-report.sh; [ $$lighthouse -eq 0 ] && [ $$browser -eq 0 ]

install:
	tools/install.sh

install-test:
	tools/install.sh --test

clean-data:
	rm -rf $(DATA_DIR)
