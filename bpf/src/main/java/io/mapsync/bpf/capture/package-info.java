/**
 * Capture of changes to BPF maps, in tiers.
 *
 * <p>A {@link io.mapsync.bpf.capture.CaptureSession} is built with a {@link
 * io.mapsync.bpf.capture.ChangeSink}; maps are added with a {@link io.mapsync.bpf.capture.Tier}
 * ({@code AUTO}: syscall plus fentry where the kernel permits tracing programs, else syscall plus
 * scan) and an optional scan interval. Each change arrives as a {@link
 * io.mapsync.bpf.capture.MapChange} (tier, map id and name, PUT or DELETE, key, value, pid,
 * CLOCK_MONOTONIC timestamp) on the session's capture thread. {@code tiers(mapId)} tells which
 * tiers are active, {@code stats(mapId)} gives the counters.
 *
 * <p>The agent writes watched maps only through {@code apply}, {@code applyDelete} and {@code
 * applyBatch}: the write goes to the kernel and to the session's shadow copy under one lock, so no
 * tier reports it and no concurrent scan re-reports an older value. A full ring buffer, a key too
 * large to travel inline, or a probe run the kernel skipped makes the session call {@code onResync}
 * and rescan the map (dump plus diff against the shadow): losses are repaired, never silent.
 *
 * <p>How it works, and what each tier sees and misses: docs/bpf.md.
 */
package io.mapsync.bpf.capture;
