#!/usr/bin/env bash
# Builds the page's WebAssembly into web/pkg/ (git-ignored):
# cargo (profile release-wasm) + wasm-bindgen --target web, then wasm-opt -Oz
# when Debian's binaryen is installed. Prints the wasm size (raw and gzip).
# Needs: rustup target wasm32-unknown-unknown, wasm-bindgen-cli 0.2.130
# (scripts/test-web.sh installs both).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target="${CARGO_TARGET_DIR:-$root/target}"
profile="${SPF_WASM_PROFILE:-release-wasm}"
cd "$root"
cargo build -p spf-wasm --target wasm32-unknown-unknown --profile "$profile"
rm -rf web/pkg
input="$target/wasm32-unknown-unknown/$profile/spf_wasm.wasm"
if command -v wasm-opt >/dev/null 2>&1; then
  # wasm-opt runs before wasm-bindgen: Debian 12's binaryen (108) breaks the
  # externref table that wasm-bindgen adds ("Table.set(): Argument 1 is invalid").
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    --enable-reference-types --enable-multivalue -o "$tmp/spf_wasm.wasm" "$input"
  input="$tmp/spf_wasm.wasm"
  opt="wasm-opt -Oz"
else
  opt="no wasm-opt (apt-get install binaryen to shrink it)"
fi
wasm-bindgen --target web --no-typescript --out-dir web/pkg "$input"
wasm=web/pkg/spf_wasm_bg.wasm
raw=$(wc -c <"$wasm")
gz=$(gzip -9c "$wasm" | wc -c)
echo "web/pkg built: spf_wasm_bg.wasm $raw bytes raw, $gz bytes gzip -9 ($profile, $opt)"
