#!/usr/bin/env bash
# Obtains the openspf test suites (rfc7208-tests.yml, rfc4408-tests.yml, test.yml)
# from the PyPI source package pyspf==2.0.14 into .cache/suites, verifying the
# sha256 of rfc7208-tests.yml; falls back to ../shared/conformance/.
# Prints the folder on stdout. The suites are never committed to this project.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.cache/suites"
want=901f561a6e2b1c1590a40a61b1ac7601226fd7045a7aae591a4d25421358d6f9
have_ok() { [ -f "$dest/rfc7208-tests.yml" ] && echo "$want  $dest/rfc7208-tests.yml" | sha256sum -c --status; }
if have_ok; then echo "$dest"; exit 0; fi
mkdir -p "$dest"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if python3 -m pip download --quiet --no-deps --no-binary :all: pyspf==2.0.14 -d "$tmp" >&2 2>/dev/null; then
  tarball=$(ls "$tmp"/pyspf-2.0.14.tar.gz 2>/dev/null || true)
  if [ -n "$tarball" ]; then
    tar -xzf "$tarball" -C "$tmp"
    cp "$tmp"/pyspf-2.0.14/test/*.yml "$dest"/
    for f in "$tmp"/pyspf-2.0.14/test/*LICENSE* "$tmp"/pyspf-2.0.14/test/*CHANGES*; do [ -f "$f" ] && cp "$f" "$dest"/; done
    [ -f "$tmp/pyspf-2.0.14/LICENSE" ] && cp "$tmp/pyspf-2.0.14/LICENSE" "$dest/pyspf-LICENSE"
  fi
fi
if ! have_ok; then
  shared="$root/../shared/conformance"
  if [ -f "$shared/rfc7208-tests.yml" ]; then
    echo "pyspf download unavailable or mismatched; using $shared" >&2
    cp "$shared"/* "$dest"/
  fi
fi
if ! have_ok; then
  echo "error: could not obtain rfc7208-tests.yml with sha256 $want" >&2
  exit 1
fi
echo "$dest"
