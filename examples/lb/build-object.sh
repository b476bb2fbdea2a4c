#!/usr/bin/env bash
# Regenerates lb.bpf.o, committed next to its source, with the bpf module's compiler, flags and
# strip (bpf/build-objects.sh), so the same clang 14 gives the same bytes on every machine.
# Usage: examples/lb/build-object.sh [out-dir]   (default: examples/lb)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$(realpath -m "${1:-$here}")
mkdir -p "$out"

# Compile from the repository root with relative paths and map the root away, so the object
# carries no absolute path and does not depend on where the tree lives.
cd "$root"
multiarch=/usr/include/$(uname -m)-linux-gnu
clang -target bpf -mcpu=v3 -O2 -g -Wall -Werror \
  -fdebug-prefix-map="$root"=. -fdebug-compilation-dir=. \
  -Ibpf/include -I"$multiarch" -c examples/lb/lb.bpf.c -o "$out/lb.bpf.o"
# Keep BTF (CO-RE and bpftool's pretty dumps need it), drop DWARF and the compiler's ident string.
llvm-strip -g --remove-section=.comment "$out/lb.bpf.o"
