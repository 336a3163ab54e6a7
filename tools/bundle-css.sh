#!/usr/bin/env bash
# trunk's pre_build hook: joins the stylesheets listed in style/order.txt into target/style/app.css, the one
# stylesheet index.html links (trunk then hashes it). One file: a phone on a slow network waits for one request
# before the first paint instead of one per component. Fails on a listed file that is missing, and on a CSS file
# under style/ that the list forgets.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/style/app.css
mkdir -p "$(dirname "$out")"
listed=$(grep -v '^\s*#' style/order.txt | grep -v '^\s*$')
for f in style/*.css; do
  grep -qx "$(basename "$f")" <<<"$listed" || { echo "style/order.txt does not list $(basename "$f")" >&2; exit 1; }
done
{
  for name in $listed; do
    [ -f "style/$name" ] || { echo "style/order.txt lists style/$name, which does not exist" >&2; exit 1; }
    printf '/* style/%s */\n' "$name"
    cat "style/$name"
    printf '\n'
  done
} > "$out.tmp"
mv "$out.tmp" "$out"
