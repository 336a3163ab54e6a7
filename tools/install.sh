#!/usr/bin/env bash
# Installs what the app needs to build (and, with `--test`, to test), skipping whatever is already present.
# Everything comes from the package registries: crates.io, npm, Debian. Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

with_test=false
[ "${1:-}" = "--test" ] && with_test=true

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"

TRUNK_VERSION=0.21.14
WASM_SPLIT_VERSION=0.2.4

# The Rust toolchain's wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# trunk (newer releases need a newer rustc than the machine's).
if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 10 minutes)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock. Installed without --locked: the locked
# dependency set of some releases contains a yanked crate.
bindgen_version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$bindgen_version" ]; then
  echo "Cargo.lock names no wasm-bindgen version" >&2
  exit 1
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $bindgen_version\$"; then
  say "installing wasm-bindgen-cli $bindgen_version (about 9 minutes)"
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

# wasm-split-cli: the split step between cargo and wasm-bindgen (tools/split-wasm.sh), the one cargo-leptos runs.
# It prints no version: cargo's list of installed crates tells it.
if ! cargo install --list | grep -q "^wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (about 3 minutes)"
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
fi

# wasm-opt from npm's binaryen (Debian's binaryen 108 produces wasm that fails to start in Chromium).
if [ ! -x tools/node_modules/.bin/wasm-opt ]; then
  say "installing binaryen (wasm-opt) from npm"
  npm ci --prefix tools --no-audit --no-fund
fi

# All crates, so that trunk's offline build has them.
say "fetching crates"
cargo fetch --locked

# brotli, for the precompressed copies of the built app (tools/precompress.sh) and the bundle budget.
debian_packages=(brotli)
# fonts-noto-cjk: the Chinese text of the styleguide's screenshots is drawn the same on every machine.
# webkit2gtk-driver and xvfb: WebKit (Safari's engine) as WebKitGTK's MiniBrowser on a virtual display
# (end2end/webkit/).
if $with_test; then debian_packages+=(chromium chromium-driver fonts-noto-cjk webkit2gtk-driver xvfb); fi
missing=()
for pkg in "${debian_packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi

if $with_test; then
  if ! rustup component list --installed | grep -q '^clippy'; then rustup component add clippy; fi
  if ! rustup component list --installed | grep -q '^rustfmt'; then rustup component add rustfmt; fi
  lock_hash=$(sha256sum end2end/package-lock.json | cut -d' ' -f1)
  if [ ! -f end2end/node_modules/.lock-hash ] || [ "$(cat end2end/node_modules/.lock-hash)" != "$lock_hash" ]; then
    say "installing the end-to-end test packages (Playwright without its browser download)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix end2end --no-audit --no-fund
    echo "$lock_hash" > end2end/node_modules/.lock-hash
  fi
  webkit_lock_hash=$(sha256sum end2end/webkit/package-lock.json | cut -d' ' -f1)
  if [ ! -f end2end/webkit/node_modules/.lock-hash ] ||
    [ "$(cat end2end/webkit/node_modules/.lock-hash)" != "$webkit_lock_hash" ]; then
    say "installing the WebKit test's WebDriver client (selenium-webdriver)"
    npm ci --prefix end2end/webkit --no-audit --no-fund
    echo "$webkit_lock_hash" > end2end/webkit/node_modules/.lock-hash
  fi
fi
say "tools ready"
