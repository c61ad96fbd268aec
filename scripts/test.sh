#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what it needs, then runs
# every test the project has. This is what .ci/run calls.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
step() { printf '\n==> %s\n' "$*"; }

step "toolchain: wasm32 target"
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown

step "conformance suites (pyspf==2.0.14, sha256-checked)"
SPF_SUITE_DIR=$("$root/scripts/fetch-suites.sh")
export SPF_SUITE_DIR
echo "suites in $SPF_SUITE_DIR"

step "native tests (workspace)"
cargo test --workspace --all-targets
cargo test --workspace --doc

step "spf conformance (the CLI) on rfc7208-tests.yml, in memory and over DNS"
for mode in "" "--over-dns"; do
  line=$(cargo run -q --bin spf -- conformance "$SPF_SUITE_DIR/rfc7208-tests.yml" $mode | tail -n 1)
  echo "spf conformance ${mode:-(in memory)}: $line"
  [ "$line" = "203 passed, 0 failed" ] || { echo "expected 203 passed, 0 failed" >&2; exit 1; }
done

step "rustfmt and clippy"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings

step "spf-core for wasm32-unknown-unknown"
cargo build -p spf-core --target wasm32-unknown-unknown

if [ -x "$root/scripts/test-web.sh" ]; then
  step "wasm and browser tests"
  "$root/scripts/test-web.sh"
fi

step "all tests passed"
