#!/usr/bin/env bash
# Trunk's post-build hook (Trunk.toml), before precompress.sh: splits the app's wasm into the first download and
# the parts that src/routes.rs declares (`lazy_page!`), which the app fetches when a page needs them or while the
# investor reads the first page.
#
# trunk has no step between cargo and wasm-bindgen, where the split must happen, so this hook takes cargo's wasm
# (linked with relocations: .cargo/config.toml) and does the rest again on the split result:
#   1. wasm-split-cli (crate wasm_split_cli_support, the split step cargo-leptos runs) writes the main module,
#      one module per part (split_<part>.wasm), modules of code that several parts share (chunk_<n>.wasm) and
#      their loader (__wasm_split.js);
#   2. wasm-bindgen binds the main module, keeping the exports the parts link against;
#   3. wasm-opt -Oz optimises every module (release builds; index.html turns trunk's own wasm-opt off);
#   4. every file is named app-<hash>…, one content hash over all of them, and index.html names the new files.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${TRUNK_PROFILE:-release}
staging=${TRUNK_STAGING_DIR:?run by trunk as a post-build hook}
raw=${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$profile/app.wasm
work=${CARGO_TARGET_DIR:-target}/wasm-split/$profile

shopt -s nullglob
trunk_js=("$staging"/app-*.js)
[ ${#trunk_js[@]} -eq 1 ] || { echo "split-wasm: expected one app-*.js in $staging" >&2; exit 1; }
trunk_name=$(basename "${trunk_js[0]}" .js)
[ -f "$raw" ] || { echo "split-wasm: no $raw" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/bindgen"
wasm-split-cli --target web --out-name app "$raw" "$work" >/dev/null
wasm-bindgen --target=web --keep-lld-exports --no-demangle --no-typescript \
  --out-dir="$work/bindgen" --out-name=app "$work/app.wasm"
parts=("$work"/split_*.wasm "$work"/chunk_*.wasm)
if [ "$profile" = release ]; then
  for f in "$work/bindgen/app_bg.wasm" "${parts[@]}"; do
    wasm-opt -Oz --output="$f.opt" "$f"
    mv "$f.opt" "$f"
  done
fi

hash=$(cat "$work/bindgen/app_bg.wasm" "$work/bindgen/app.js" "$work/__wasm_split.js" "${parts[@]}" |
  sha256sum | cut -c1-16)
name=app-$hash

# The bound module imports the loader by the name the split gave it; the loader imports the bound module and
# fetches the parts by theirs.
grep -q 'from "./__wasm_split.js"' "$work/bindgen/app.js" ||
  { echo "split-wasm: app.js does not import the loader" >&2; exit 1; }
sed 's|from "./__wasm_split.js"|from "./'"$name"'-split.js"|' "$work/bindgen/app.js" >"$staging/$name.js"
cp "$work/bindgen/app_bg.wasm" "$staging/${name}_bg.wasm"
renames=(-e 's|from "./app.js"|from "./'"$name"'.js"|')
for f in "${parts[@]}"; do
  part=$(basename "$f")
  cp "$f" "$staging/$name-$part"
  renames+=(-e 's|"./'"$part"'"|"./'"$name-$part"'"|')
done
sed "${renames[@]}" "$work/__wasm_split.js" >"$staging/$name-split.js"
if [ -d "$work/bindgen/snippets" ]; then
  rm -rf "$staging/snippets"
  cp -r "$work/bindgen/snippets" "$staging/snippets"
fi

rm "$staging/$trunk_name.js" "$staging/${trunk_name}_bg.wasm"
sed -i "s|$trunk_name|$name|g" "$staging/index.html"
if grep -q "$trunk_name" -r "$staging"; then
  echo "split-wasm: $trunk_name is still named in $staging" >&2
  exit 1
fi
echo "split-wasm: $name.js, ${name}_bg.wasm and ${#parts[@]} parts"
