#!/usr/bin/env bash
# The wasm and browser tests (issue 5), from a fresh clone on Debian:
# installs what is missing (wasm32 target, Chromium + chromedriver, binaryen,
# wasm-bindgen-cli 0.2.130, playwright-core), builds the page, starts the
# server (`spf serve`) with zonefiles/ on an ephemeral loopback port, then runs
#   1. wasm-bindgen-test tests of the JS API in headless Chromium (DoH to that server),
#   2. the end-to-end page test (playwright-core + Debian's Chromium).
# Exits non-zero on any failure; the server is always stopped.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
step() { printf '\n==> web: %s\n' "$*"; }
need() { ! command -v "$1" >/dev/null 2>&1; }

step "toolchain"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
pkgs=()
need chromium && pkgs+=(chromium)
need chromedriver && pkgs+=(chromium-driver)
need wasm-opt && pkgs+=(binaryen)
need node && pkgs+=(nodejs)
need npm && pkgs+=(npm)
if [ ${#pkgs[@]} -gt 0 ]; then
  echo "apt-get install ${pkgs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q '^wasm-bindgen 0\.2\.130$'; then
  cargo install wasm-bindgen-cli --version 0.2.130
fi
if [ ! -f tests/browser/node_modules/playwright-core/package.json ]; then
  (cd tests/browser && npm install --no-audit --no-fund --loglevel=error)
fi
echo "$(chromium --version), $(wasm-bindgen --version), node $(node --version), $(wasm-opt --version 2>/dev/null || echo 'no wasm-opt')"

step "build: page (release wasm) and server"
web/build.sh | tee "$CARGO_TARGET_DIR/web-size.txt"
cargo build -p spf-cli --bin spf
server_bin="$CARGO_TARGET_DIR/debug/spf"

step "start the server (zonefiles/, 127.0.0.1:0)"
log=$(mktemp)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -f "$log"
}
trap cleanup EXIT
"$server_bin" serve --zones "$root/zonefiles" --listen 127.0.0.1:0 --web "$root/web" >"$log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's|^spf serve: \(http://[^ ]*\) .*|\1|p' "$log")
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$log"; echo "server exited" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$log"; echo "server did not start" >&2; exit 1; }
echo "serving $url"

step "wasm-bindgen tests in headless Chromium"
SPF_TEST_DOH="${url}dns-query" \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
CHROMEDRIVER=/usr/bin/chromedriver \
WASM_BINDGEN_TEST_TIMEOUT=60 \
WASM_BINDGEN_TEST_WEBDRIVER_JSON="$root/tests/browser/webdriver.json" \
  cargo test -p spf-wasm --target wasm32-unknown-unknown

step "end-to-end page test (playwright-core, Debian's Chromium)"
mkdir -p "$root/target"
shot="$root/target/web-e2e.png"
SPF_URL="$url" SPF_SCREENSHOT="$shot" node --test tests/browser/e2e.test.mjs

step "summary"
cat "$CARGO_TARGET_DIR/web-size.txt" | tail -n 1
echo "screenshot: $shot"
