package io.mapsync.chaos.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Everything that happened in a run, in one place: every operation of the traffic and every fault,
 * on one run-relative clock. The checks read it; violations quote it; it is written out as text
 * next to the members' logs.
 */
public final class History {
  private final long startNanos = System.nanoTime();
  private final java.time.Instant startInstant = java.time.Instant.now();
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Op> ops = new ConcurrentHashMap<>();
  private final Map<Long, Read> reads = new ConcurrentHashMap<>();
  private final List<FaultWindow> faults = new ArrayList<>();
  private final List<String> events = new ArrayList<>();

  /** Milliseconds since the run started. */
  public long now() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** A wall-clock instant (a process's start, say) on the run's clock. */
  public long msAt(java.time.Instant instant) {
    return java.time.Duration.between(startInstant, instant).toMillis();
  }

  /** Reserves the id of an operation about to be invoked (its value carries it). */
  public long nextId() {
    return ids.incrementAndGet();
  }

  public void record(Op op) {
    ops.put(op.id(), op);
  }

  public void record(Read read) {
    reads.put(read.id(), read);
  }

  /** Every read, in id (invocation) order; writes are in {@link #ops()}. */
  public List<Read> reads() {
    return reads.values().stream().sorted(Comparator.comparingLong(Read::id)).toList();
  }

  /** Reads of one key, in invocation order. */
  public List<Read> readsOn(Key key) {
    return reads.values().stream()
        .filter(r -> r.key().equals(key))
        .sorted(Comparator.comparingLong(Read::id))
        .toList();
  }

  /** A fault was injected at {@code injectedMs} and healed at {@code healedMs}. */
  public synchronized void fault(FaultWindow window) {
    faults.add(window);
  }

  public synchronized List<FaultWindow> faults() {
    return List.copyOf(faults);
  }

  /** A fault injected or healed, a phase begun: the timeline the operations are read against. */
  public synchronized void event(String what) {
    String line = String.format("%7d ms  %s", now(), what);
    events.add(line);
    System.out.println("chaos: " + line);
  }

  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  public Optional<Op> op(long id) {
    return Optional.ofNullable(ops.get(id));
  }

  /** All operations in id (invocation) order. */
  public List<Op> ops() {
    return ops.values().stream().sorted(Comparator.comparingLong(Op::id)).toList();
  }

  /** Writes on one key, in invocation order (reads are in {@link #readsOn}). */
  public List<Op> opsOn(Key key) {
    return ops.values().stream()
        .filter(o -> o.key().equals(key))
        .sorted(Comparator.comparingLong(Op::id))
        .toList();
  }

  /** Operations per key, keys in order. */
  public Map<Key, List<Op>> byKey() {
    return ops.values().stream()
        .sorted(Comparator.comparingLong(Op::id))
        .collect(Collectors.groupingBy(Op::key, TreeMap::new, Collectors.toList()));
  }

  /** Counts per source and outcome, for the run summary. */
  public String summary() {
    Map<String, Map<Op.Outcome, Long>> counts = new TreeMap<>();
    for (Op o : ops.values()) {
      String kind = o.source().substring(0, o.source().indexOf('@'));
      counts.computeIfAbsent(kind, k -> new TreeMap<>()).merge(o.outcome(), 1L, Long::sum);
    }
    Map<String, Long> readCounts = new TreeMap<>();
    for (Read r : reads.values()) {
      readCounts.merge(
          (r.linearizable() ? "linearizable " : "serializable ") + (r.ok() ? "ok" : "failed"),
          1L,
          Long::sum);
    }
    return counts + (readCounts.isEmpty() ? "" : ", reads " + readCounts);
  }

  /** Writes the timeline and every operation, one per line. */
  public void writeTo(Path file) throws IOException {
    List<String> lines = new ArrayList<>(events());
    ops().forEach(o -> lines.add(o.toString()));
    reads().forEach(r -> lines.add(r.toString()));
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
  }
}
