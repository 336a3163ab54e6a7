#!/usr/bin/env bash
# Trunk's post-build hook (Trunk.toml): writes gzip and brotli copies beside the built app's content-hashed
# files (wasm, JS, CSS), which the reference backend sends to browsers that accept them. Files without a content
# hash (config.json, agreement texts) get no copy: the exchange edits them in place, and a stale copy would win.
set -euo pipefail
# Only for a release build: brotli on the unoptimised wasm of `make dev` takes most of a minute per change, and
# trunk serve sends files as they are.
if [ "${TRUNK_PROFILE:-release}" != release ]; then
  echo "precompress: skipped for a ${TRUNK_PROFILE} build"
  exit 0
fi
dir=${TRUNK_STAGING_DIR:-${1:-dist}}
for f in "$dir"/*.wasm "$dir"/*.js "$dir"/*.css; do
  [ -e "$f" ] || continue
  # 12 to 16 hex digits: trunk writes its 64-bit hash without leading zeros (web::CONTENT_HASH_MIN_DIGITS); the
  # split parts and their loader follow the hash (app-<hash>-split_personal.wasm: tools/split-wasm.sh).
  [[ $(basename "$f") =~ -[0-9a-f]{12,16}(_bg|-[a-z0-9_]+)?\.(wasm|js|css)$ ]] || continue
  gzip -9 -k -f "$f"
  if command -v brotli >/dev/null; then
    brotli -q 11 -k -f "$f"
  fi
done
