/**
 * BPF maps and objects from Java.
 *
 * <p>{@link io.mapsync.bpf.BpfMap} is a kernel map held through an owned file descriptor: {@code
 * create(BpfMapSpec)}, {@code openPinned(Path)}, {@code fromId(int)}, {@code pin(Path)}, {@code
 * info()}, {@code id()}, {@code lookup}, {@code update(key, value, UpdateFlag)}, {@code delete},
 * {@code nextKey}, {@code lookupAndDelete}, {@code updateBatch}, {@code deleteBatch}, {@code
 * dump()} and {@code forEachBatch} (both through BPF_MAP_LOOKUP_BATCH, with get-next-key plus
 * lookup as the fallback). Keys and values are byte arrays in the kernel's layout; per-CPU values
 * hold every possible CPU's slot, each rounded up to 8 bytes ({@link
 * io.mapsync.bpf.BpfMapInfo#userValueSize()}).
 *
 * <p>{@link io.mapsync.bpf.BpfObject} loads an ELF object through libbpf (CO-RE relocated against
 * the running kernel) and attaches its programs.
 *
 * <p>Failures are {@link io.mapsync.bpf.BpfException}s; the subclasses name what callers act on
 * (key not found, key exists, map full, permission, not supported, invalid argument, object not
 * found) and every message names the map. Capture lives in {@link io.mapsync.bpf.capture}.
 */
package io.mapsync.bpf;
