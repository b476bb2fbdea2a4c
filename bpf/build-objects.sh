#!/usr/bin/env bash
# Regenerates the committed BPF objects from their C sources.
# Usage: bpf/build-objects.sh [main-out-dir [test-out-dir]]
# Needs clang 14 and llvm-strip; the objects are committed so users need neither.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
main_out=$(realpath -m "${1:-$here/src/main/resources/io/mapsync/bpf}")
test_out=$(realpath -m "${2:-$here/src/test/resources/io/mapsync/bpf}")
mkdir -p "$main_out" "$test_out"

# Compile from bpf/ with relative paths and map the directory away, so the
# objects carry no absolute path and do not depend on where the tree lives.
cd "$here"
multiarch=/usr/include/$(uname -m)-linux-gnu
compile() { # source output
  clang -target bpf -mcpu=v3 -O2 -g -Wall -Werror \
    -fdebug-prefix-map="$here"=. -fdebug-compilation-dir=. \
    -Iinclude -Isrc/main/c -I"$multiarch" -c "$1" -o "$2"
  # Keep BTF (CO-RE needs it), drop DWARF and the compiler's ident string.
  llvm-strip -g --remove-section=.comment "$2"
}

for src in src/main/c/*.bpf.c; do
  compile "$src" "$main_out/$(basename "${src%.c}").o"
done
for src in src/test/c/*.bpf.c; do
  compile "$src" "$test_out/$(basename "${src%.c}").o"
done
