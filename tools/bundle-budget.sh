#!/usr/bin/env bash
# Prints raw / gzip / brotli sizes of the built wasm, JS and CSS, and fails when the first download or the whole
# app is over budget.
#
# THE BUDGETS live here, in one place, brotli-compressed, in KB (1 KB = 1000 bytes):
# - the first download: what a phone fetches before the first page works (the main wasm, its JS with the parts'
#   loader and snippets, the stylesheet); issue #13's target is 170 KB;
# - the whole app: every wasm file, the parts that src/routes.rs splits off included.
# History of the wasm budget, one file until the split (raise only with a written reason):
#   170 KB  start (yardstick: Leptos 0.8 hello world + router = 74 KB brotli)
#   420 KB  the whole step 1 (entry, quiz, consent, identity, account with the image pipeline and agreement
#           dialogs, check answers, submit) measured 379 KB. twiggy shows no single culprit: ~1 MB of code in
#           ~6000 functions, mostly the monomorphized view and reactive code of tachys/reactive_graph (each
#           page and component instantiates its own), then serde_json and the domain validators; data is
#           114 KB (both locales, config types). `--cfg erase_components` saved only 3 %; opt-level "s"
#           gave 414 KB (worse than "z"). Growth is about
#           20-40 KB per page. Next levers if it must shrink: fewer generic view types per page (`into_any`
#           at branch points), `t_string!` instead of `t!` in views, and lazy-loaded routes.
#   445 KB  steps 2-4 and the status (fee with copy buttons and the receipt upload, status, status lookup with
#           SMS, client download, the opening's four steps, the help line) measured 439.5 KB: about 15 KB a
#           page, as expected above. Bringing the first screen down is the work of lazy routes, not of this
#           whole-bundle budget.
#   450 KB  no request without a deadline (30 s per call, upload stalls), Retry-After and 413 read, the
#           server's Date as the clock, the config's addresses checked at start (domain::config::links)
#           measured 446.0 KB: 6.5 KB for what keeps an investor on a bad network informed.
#   470 KB  the app on the exchange's site (base path, mounted into a shadow root, iframe height messages, the
#           theme from config) and the designers' styleguide measured 468.6 KB: 8.6 KB for the embedding, 15.2 KB
#           for the styleguide (a build without its route: 453.4 KB). The styleguide is off as shipped but
#           compiled in, because config turns it on without a rebuild; a lazy route would take it, with the
#           later steps, out of the first download (#13).
#   472 KB  a new page's heading takes the focus, images' stages and the end of the SMS wait are announced
#           politely, the window's title follows the language: 470.2 KB.
#   535 KB  (whole app) the pages after the entry page split off into parts fetched while the entry page is
#           read (tools/split-wasm.sh): the first download fell from about 486 KB to 216.5 KB, and every wasm file together
#           measured 532.3 KB: 62 KB more than the single file, as wasm-opt no longer optimises across the
#           parts' boundaries (inlining, dead code) and each part carries its imports and exports.
# History of the first-download budget:
#   218 KB  the split's start: 199.1 KB wasm, 11.3 KB JS (bindings, the parts' loader), 6.0 KB CSS = 216.5 KB.
#           Most of the rest is the framework (reactive_graph, tachys, the router: about as much as the 81 KB
#           hello-world yardstick), the config's types and their parser, and the draft's state.
#   199 KB  the draft is read from storage when the first page of the application asks for it, not by the
#           wizard at start (DraftContext::provide_on_first_use): its code moved to the parts, 179.3 KB wasm,
#           196.7 KB in all. What is left is mostly the framework and every JS binding (wasm-bindgen's imports stay
#           in the main module, whichever part calls them), the config's parser, the locale and the router.
#   (whole app) 537 KB  the same move: 534.4 KB, the draft's code now in the part the styleguide shares.
#   170 KB  issue #13's target, met: the entry page works before config.json has loaded (the other pages wait
#           for it), and the reader of config.json (serde_json, the config's types and checks) is a part of its
#           own, fetched with the file (src/config.rs); the enterprise page is a part too; the language choice is
#           read with web-sys rather than leptos-use's storage signal. 148.6 KB wasm, 11.4 KB JS, 6.0 KB CSS =
#           166.1 KB.
#   (whole app) 542 KB  the same moves: 539.2 KB, 4.8 KB more for two more parts' imports and exports.
#           The account page's lower part built once its top is painted (components/after_first_paint.rs) fits
#           within it: 541.5 KB. Given to the view as a reactive closure, the agreement fields had cost 5 KB more
#           (LLVM compiled the image and agreement fields' view code into both the personal and the styleguide
#           parts); they are built by a plain call inside the deferred part instead.
#   (whole app) 543 KB  the app started in several tasks of the browser rather than one (src/tasks.rs): the
#           longest start-up task went from about 100 ms to 15-30 ms here, and Lighthouse's simulated Total
#           Blocking Time from 370-440 ms to 80-325 ms (252 ms in make bench at 29aa8d2). 542.4 KB (the first download 168.8 KB, 2.3 KB more: the
#           parts of the page frame and the routes built as separate views, and the task helper); leptos_meta,
#           unused, is gone.
FIRST_DOWNLOAD_BROTLI_BUDGET_KB=170
WHOLE_APP_BROTLI_BUDGET_KB=543
FIRST_DOWNLOAD_TARGET_KB=170
set -euo pipefail
# `--first-download DIST` prints the first download's files, one a line, and stops: the first-screen bench
# (end2end/bench/lighthouse/first-screen.mjs) counts the same files.
list_first=false
[ "${1:-}" = "--first-download" ] && { list_first=true; shift; }
dist=${1:-dist}
[ -d "$dist" ] || { echo "no build in $dist: run 'make build' first" >&2; exit 1; }

kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000 }'; }
brotli_size() { brotli -q 11 -c "$1" | wc -c; }
shopt -s nullglob
main_js=$(ls "$dist"/app-*.js | grep -Ev -- '-split\.js$' || true)
[ "$(printf '%s\n' "$main_js" | grep -c .)" -eq 1 ] || { echo "expected one app-<hash>.js in $dist" >&2; exit 1; }
name=$(basename "$main_js" .js)
first=("$dist/${name}_bg.wasm" "$main_js" "$dist/$name-split.js" "$dist"/snippets/*/*.js "$dist"/*.css)
if $list_first; then
  printf '%s\n' "${first[@]}"
  exit 0
fi

total_raw=0 total_br=0 first_br=0 wasm_br=0
printf '%-52s %10s %10s %10s  %s\n' "file" "raw KB" "gzip KB" "brotli KB" ""
for f in "$dist"/*.wasm "$dist"/*.js "$dist"/snippets/*/*.js "$dist"/*.css; do
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  br=$(brotli_size "$f")
  role=later
  for g in "${first[@]}"; do [ "$g" = "$f" ] && role=first; done
  case $(basename "$f") in kaihu-*.js) role="embedding only" ;; esac
  printf '%-52s %10s %10s %10s  %s\n' "${f#"$dist"/}" "$(kb "$raw")" "$(kb "$gz")" "$(kb "$br")" "$role"
  [ "$role" = first ] && first_br=$((first_br + br))
  case $f in *.wasm) wasm_br=$((wasm_br + br)) ;; esac
  total_raw=$((total_raw + raw)) total_br=$((total_br + br))
done
printf '%-52s %10s %10s %10s\n' "total" "$(kb $total_raw)" "" "$(kb $total_br)"
[ -f "$dist/${name}_bg.wasm" ] || { echo "no ${name}_bg.wasm in $dist" >&2; exit 1; }

failed=0
echo "first download (wasm + js + css before the first page works): $(kb "$first_br") KB brotli of a" \
  "$FIRST_DOWNLOAD_BROTLI_BUDGET_KB KB budget (target $FIRST_DOWNLOAD_TARGET_KB KB)"
if [ "$first_br" -gt $((FIRST_DOWNLOAD_BROTLI_BUDGET_KB * 1000)) ]; then
  echo "FAIL: the first download is over budget (tools/bundle-budget.sh explains how a budget may change)" >&2
  failed=1
fi
echo "whole app (every wasm file): $(kb "$wasm_br") KB brotli of a $WHOLE_APP_BROTLI_BUDGET_KB KB budget"
if [ "$wasm_br" -gt $((WHOLE_APP_BROTLI_BUDGET_KB * 1000)) ]; then
  echo "FAIL: the app's wasm is over budget (tools/bundle-budget.sh explains how a budget may change)" >&2
  failed=1
fi
exit $failed
