#!/usr/bin/env bash
# Runs every check and test layer in order and ends with a pass/fail summary; exits non-zero on any failure.
# The release build of the app is made once and reused by the end-to-end tests and the bundle budget.
# Called by `make test` after tools/install.sh --test.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT=120

results=()
failed=0

# A full disk fails a build deep inside a step's log ("No space left on device"), so the free space is said
# first. A run from a fresh clone grows target/ by about 12 GB.
free_gb() { df -P -BG . | awk 'NR == 2 { sub("G", "", $4); print $4 }'; }
free=$(free_gb)
echo "disk: ${free} GB free where target/ is"
if [ "${free:-0}" -lt 15 ]; then
  printf '\033[1mwarning: less than 15 GB free; a run from a fresh clone may fill the disk\033[0m\n'
fi

step() {
  local name=$1
  shift
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  local started=$SECONDS
  "$@"
  local status=$?
  if [ "$status" -eq 0 ]; then
    results+=("PASS  $name ($((SECONDS - started)) s)")
  else
    results+=("FAIL  $name ($((SECONDS - started)) s)")
    failed=$((failed + 1))
  fi
  return "$status"
}

skip() {
  results+=("SKIP  $1 ($2)")
  failed=$((failed + 1))
}

step "cargo fmt --check" cargo fmt --all -- --check
step "clippy (native)" cargo clippy --locked --workspace --all-targets -- -D warnings
# With the `split` feature, as trunk builds it (src/routes.rs); natively, without it.
step "clippy (wasm32 app)" cargo clippy --locked -p app --target wasm32-unknown-unknown --all-targets --features split -- -D warnings
step "native tests (domain, backend, the app's pure logic)" \
  bash -c 'cargo test --locked -p domain -p backend && cargo test --locked -p app --lib'
step "browser tests (wasm-bindgen-test, headless Chromium)" \
  cargo test --locked --no-fail-fast -p app --target wasm32-unknown-unknown
if step "release build (trunk, wasm-opt -Oz)" trunk build --release --locked; then
  step "end-to-end tests (Playwright, reference backend)" \
    bash -c 'cargo build --locked -p backend && cd end2end && npx playwright test'
  # The release build in dist/ and the debug backend that the step above built.
  step "WebKit (Safari's engine): the happy path in MiniBrowser under Xvfb" \
    bash -c 'cd end2end/webkit && node run.mjs'
  step "bundle budget" tools/bundle-budget.sh dist
else
  skip "end-to-end tests (Playwright, reference backend)" "no release build"
  skip "WebKit (Safari's engine): the happy path in MiniBrowser under Xvfb" "no release build"
  skip "bundle budget" "no release build"
fi
step "designers' loop (trunk serve as make dev, Playwright)" \
  bash -c 'cd end2end && npx playwright test --config dev-loop.config.ts'

echo
echo "==================== summary ===================="
printf '%s\n' "${results[@]}"
passed=$(printf '%s\n' "${results[@]}" | grep -c '^PASS')
echo "steps: ${passed} passed, ${failed} failed"
echo "disk: target/ holds $(du -sh target 2>/dev/null | cut -f1); $(free_gb) GB free"
[ "$failed" -eq 0 ]
