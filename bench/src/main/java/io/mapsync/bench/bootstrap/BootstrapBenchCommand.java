package io.mapsync.bench.bootstrap;

import com.google.protobuf.ByteString;
import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.BpfMapSpec;
import io.mapsync.bpf.BpfMapType;
import io.mapsync.bpf.UpdateFlag;
import io.mapsync.store.StoredEntry;
import io.mapsync.store.state.ReplicaState;
import io.mapsync.wire.DeltaBatch;
import io.mapsync.wire.LogEntry;
import io.mapsync.wire.MapDelta;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.MapType;
import io.mapsync.wire.RegisterMap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mapsync bench bootstrap}: one map of N entries in a replica's state. Measures the JVM
 * bytes per entry (used heap after full GCs, before and after filling it), the snapshot's size and
 * creation time, apply latency while a snapshot is written, and the bootstrap of a new host once
 * the snapshot bytes have arrived: restore, read, and install into a real BPF hash map of
 * max_entries N through BPF_MAP_UPDATE_BATCH in the chunks the agent's bootstrap uses.
 */
@Command(
    name = "bootstrap",
    mixinStandardHelpOptions = true,
    description =
        "A million-entry map: bytes per entry, snapshot cost, writes during a snapshot, bootstrap time.")
public final class BootstrapBenchCommand implements Callable<Integer> {
  private static final String MAP = "big";

  /** The agent's bootstrap chunk (MapReplacer): entries per BPF_MAP_UPDATE_BATCH call. */
  private static final int CHUNK = 4096;

  private static final int PER_LOG_ENTRY = 1000;

  @Option(names = "--entries", defaultValue = "1000000", description = "entries in the map")
  int entries;

  @Option(names = "--key-size", defaultValue = "8", description = "key bytes (at least 4)")
  int keySize;

  @Option(names = "--value-size", defaultValue = "16", description = "value bytes (at least 4)")
  int valueSize;

  @Option(names = "--json", description = "also write the JSON report to this file")
  Path json;

  /** The figures: bytes, milliseconds, microseconds for latencies. */
  record Result(
      int entries,
      int keySize,
      int valueSize,
      double heapBytesPerEntry,
      double overheadBytesPerEntry,
      long snapshotBytes,
      double snapshotMs,
      double applyP99UsIdle,
      double applyP99UsDuringSnapshot,
      double applyMaxUsDuringSnapshot,
      double restoreMs,
      double readMs,
      double mapWriteMs,
      int batchCalls,
      double bootstrapMs) {}

  @Override
  public Integer call() throws Exception {
    if (entries < 1 || keySize < 4 || valueSize < 4) {
      System.err.println(
          "bench bootstrap: --entries must be >= 1 and --key-size/--value-size >= 4 (got "
              + entries
              + ", "
              + keySize
              + ", "
              + valueSize
              + ")");
      return 2;
    }
    Result r = measure();
    String report = json(r);
    System.out.println(table(r));
    System.out.println(report);
    if (json != null) {
      Files.writeString(json, report);
    }
    return 0;
  }

  private Result measure() throws Exception {
    long before = usedAfterGc();
    ReplicaState state = new ReplicaState(1 << 20, Runnable::run);
    long revision = fill(state);
    long after = usedAfterGc();
    double perEntry = (after - before) / (double) entries;

    double idleP99 = percentile(applyWhile(state, revision, () -> sleepMs(1000)).latencies, 0.99);
    ByteArrayOutputStream snap = new ByteArrayOutputStream(entries * (keySize + valueSize + 16));
    long[] snapNanos = new long[1];
    Applied during =
        applyWhile(
            state,
            revision + 1_000_000,
            () -> {
              long t = System.nanoTime();
              try {
                state.writeSnapshot(snap, 1);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              snapNanos[0] = System.nanoTime() - t;
            });
    byte[] bytes = snap.toByteArray();
    state.close(
        new io.mapsync.store.StoreException(
            io.mapsync.store.StoreException.Reason.UNAVAILABLE, "bench done"));

    // A new host: the snapshot file has arrived; time restore, read and kernel install.
    long t0 = System.nanoTime();
    ReplicaState joiner = new ReplicaState(1 << 20, Runnable::run);
    joiner.restoreSnapshot(new ByteArrayInputStream(bytes));
    long t1 = System.nanoTime();
    List<StoredEntry> stored = joiner.readMaps(List.of(MAP)).entries(MAP);
    long t2 = System.nanoTime();
    int calls;
    try (BpfMap map =
        BpfMap.create(BpfMapSpec.of("bench_boot", BpfMapType.HASH, keySize, valueSize, entries))) {
      calls = install(map, stored);
    }
    long t3 = System.nanoTime();
    if (stored.size() != entries) {
      throw new IllegalStateException(
          "restored " + stored.size() + " entries, expected " + entries);
    }
    return new Result(
        entries,
        keySize,
        valueSize,
        perEntry,
        perEntry - keySize - valueSize,
        bytes.length,
        snapNanos[0] / 1e6,
        idleP99,
        percentile(during.latencies, 0.99),
        during.max(),
        (t1 - t0) / 1e6,
        (t2 - t1) / 1e6,
        (t3 - t2) / 1e6,
        calls,
        (t3 - t0) / 1e6);
  }

  /**
   * Registers the map and writes N distinct keys, PER_LOG_ENTRY deltas per log entry; returns the
   * revision.
   */
  private long fill(ReplicaState state) {
    MapSpec spec =
        MapSpec.newBuilder()
            .setName(MAP)
            .setType(MapType.HASH)
            .setKeySize(keySize)
            .setValueSize(valueSize)
            .setMaxEntries(entries)
            .build();
    long rev = 1;
    state.apply(
        LogEntry.newBuilder().setRegisterMap(RegisterMap.newBuilder().setSpec(spec)).build(), rev);
    for (int start = 0; start < entries; start += PER_LOG_ENTRY) {
      DeltaBatch.Builder b = DeltaBatch.newBuilder().setOrigin("bench").setBatchSeq(rev);
      for (int i = start; i < Math.min(entries, start + PER_LOG_ENTRY); i++) {
        b.addDeltas(
            MapDelta.newBuilder()
                .setMap(MAP)
                .setOp(MapDelta.Op.PUT)
                .setKey(bytes(i, keySize))
                .setValue(bytes(~i, valueSize)));
      }
      state.apply(LogEntry.newBuilder().setDeltas(b).build(), ++rev);
    }
    return rev;
  }

  /**
   * One installation as the agent's bootstrap does it: chunks of CHUNK entries, one batch call
   * each.
   */
  private static int install(BpfMap map, List<StoredEntry> stored) {
    int calls = 0;
    List<byte[]> keys = new ArrayList<>(CHUNK);
    List<byte[]> values = new ArrayList<>(CHUNK);
    for (StoredEntry e : stored) {
      keys.add(e.key().toByteArray());
      values.add(e.value().toByteArray());
      if (keys.size() == CHUNK) {
        map.updateBatch(keys, values, UpdateFlag.ANY);
        calls++;
        keys.clear();
        values.clear();
      }
    }
    if (!keys.isEmpty()) {
      map.updateBatch(keys, values, UpdateFlag.ANY);
      calls++;
    }
    return calls;
  }

  /**
   * Apply latencies (µs) of one-delta log entries rewriting existing keys, made while {@code
   * action} runs.
   */
  private record Applied(double[] latencies) {
    double max() {
      return Arrays.stream(latencies).max().orElse(0);
    }
  }

  private Applied applyWhile(ReplicaState state, long fromRevision, Runnable action)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    List<Double> out = new ArrayList<>();
    Thread writer =
        new Thread(
            () -> {
              long rev = Math.max(fromRevision, state.revision());
              int i = 0;
              while (!stop.get()) {
                LogEntry e =
                    LogEntry.newBuilder()
                        .setDeltas(
                            DeltaBatch.newBuilder()
                                .setOrigin("w")
                                .setBatchSeq(++rev)
                                .addDeltas(
                                    MapDelta.newBuilder()
                                        .setMap(MAP)
                                        .setOp(MapDelta.Op.PUT)
                                        .setKey(bytes(i++ % entries, keySize))
                                        .setValue(bytes(i, valueSize))))
                        .build();
                long t = System.nanoTime();
                state.apply(e, rev);
                out.add((System.nanoTime() - t) / 1e3);
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
              }
            },
            "bench-writer");
    writer.start();
    sleepMs(100);
    action.run();
    stop.set(true);
    writer.join();
    return new Applied(out.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static ByteString bytes(int i, int size) {
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putInt(i);
    return ByteString.copyFrom(b.array());
  }

  private static double percentile(double[] values, double q) {
    if (values.length == 0) {
      return 0;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, (int) Math.ceil(q * s.length) - 1)];
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private static void sleepMs(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String table(Result r) {
    return String.format(
        Locale.ROOT,
        """
        entries %d (key %d B, value %d B)
        JVM heap per entry          %.1f B (%.1f B beyond key and value)
        snapshot                    %d bytes, written in %.1f ms
        apply p99 idle              %.1f us
        apply p99 during snapshot   %.1f us (max %.1f us)
        bootstrap after arrival     %.1f ms = restore %.1f + read %.1f + map write %.1f (%d batch calls)""",
        r.entries,
        r.keySize,
        r.valueSize,
        r.heapBytesPerEntry,
        r.overheadBytesPerEntry,
        r.snapshotBytes,
        r.snapshotMs,
        r.applyP99UsIdle,
        r.applyP99UsDuringSnapshot,
        r.applyMaxUsDuringSnapshot,
        r.bootstrapMs,
        r.restoreMs,
        r.readMs,
        r.mapWriteMs,
        r.batchCalls);
  }

  static String json(Result r) {
    return String.format(
        Locale.ROOT,
        "{\"entries\":%d,\"key_size\":%d,\"value_size\":%d,"
            + "\"heap_bytes_per_entry\":%.1f,\"overhead_bytes_per_entry\":%.1f,\"snapshot_bytes\":%d,\"snapshot_ms\":%.1f,"
            + "\"apply_p99_us_idle\":%.1f,\"apply_p99_us_during_snapshot\":%.1f,\"apply_max_us_during_snapshot\":%.1f,"
            + "\"restore_ms\":%.1f,\"read_ms\":%.1f,\"map_write_ms\":%.1f,\"batch_calls\":%d,\"bootstrap_ms\":%.1f}",
        r.entries,
        r.keySize,
        r.valueSize,
        r.heapBytesPerEntry,
        r.overheadBytesPerEntry,
        r.snapshotBytes,
        r.snapshotMs,
        r.applyP99UsIdle,
        r.applyP99UsDuringSnapshot,
        r.applyMaxUsDuringSnapshot,
        r.restoreMs,
        r.readMs,
        r.mapWriteMs,
        r.batchCalls,
        r.bootstrapMs);
  }
}
