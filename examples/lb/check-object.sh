#!/usr/bin/env bash
# Verifies the committed lb.bpf.o is what lb.bpf.c compiles to: recompiles into a temporary
# directory and compares byte for byte; on a difference prints the disassembly diff and fails.
# CI runs it next to bpf/check-objects.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$here/build-object.sh" "$tmp"
committed="$here/lb.bpf.o"
if [ ! -f "$committed" ]; then
  echo "missing committed object: $committed (run examples/lb/build-object.sh)"
  exit 1
fi
if ! cmp -s "$tmp/lb.bpf.o" "$committed"; then
  echo "stale object: $committed differs from its source (run examples/lb/build-object.sh)"
  diff <(llvm-objdump -d -r "$committed" | tail -n +3) <(llvm-objdump -d -r "$tmp/lb.bpf.o" | tail -n +3) | head -40 || true
  exit 1
fi
echo "examples/lb/lb.bpf.o matches its source ($(clang --version | head -n 1))"
