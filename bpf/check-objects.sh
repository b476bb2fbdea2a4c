#!/usr/bin/env bash
# Verifies the committed BPF objects are what their C sources compile to:
# recompiles into a temporary directory and compares byte for byte. On a
# difference it prints the disassembly diff and fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$here/build-objects.sh" "$tmp/main" "$tmp/test"

status=0
check() { # committed-dir fresh-dir
  local fresh committed
  for fresh in "$2"/*.o; do
    committed="$1/$(basename "$fresh")"
    if [ ! -f "$committed" ]; then
      echo "missing committed object: $committed (run bpf/build-objects.sh)"; status=1
    elif ! cmp -s "$fresh" "$committed"; then
      echo "stale object: $committed differs from its source (run bpf/build-objects.sh)"
      diff <(llvm-objdump -d -r "$committed" | tail -n +3) <(llvm-objdump -d -r "$fresh" | tail -n +3) | head -40 || true
      status=1
    fi
  done
  for committed in "$1"/*.o; do
    [ -f "$2/$(basename "$committed")" ] || { echo "object without a source: $committed"; status=1; }
  done
}
check "$here/src/main/resources/io/mapsync/bpf" "$tmp/main"
check "$here/src/test/resources/io/mapsync/bpf" "$tmp/test"
[ $status -eq 0 ] && echo "BPF objects match their sources ($(clang --version | head -n 1))"
exit $status
