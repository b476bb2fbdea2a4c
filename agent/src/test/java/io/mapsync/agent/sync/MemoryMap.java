package io.mapsync.agent.sync;

import com.google.protobuf.ByteString;
import io.mapsync.wire.MapSpec;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A stand-in for a BPF map in unit tests of the sync logic (the kernel-backed tests use real maps).
 * "Network function" writes go straight in and are captured; agent writes are counted.
 */
final class MemoryMap implements LocalMap {
  private final MapSpec spec;
  private final boolean replicateEvictions;
  final Map<ByteString, ByteString> content = new ConcurrentHashMap<>();
  final AtomicInteger agentWrites = new AtomicInteger();
  volatile Consumer<CapturedChange> capture = c -> {};

  /** Stands in for an LRU map with {@code lru_eviction: local} (the test does the evicting). */
  volatile boolean evictsLocally;

  /** Runs after dump() copied the content, before it returns: lets a test act mid-comparison. */
  volatile Runnable afterDump = () -> {};

  MemoryMap(MapSpec spec, boolean replicateEvictions) {
    this.spec = spec;
    this.replicateEvictions = replicateEvictions;
  }

  /** A write by the network function: lands in the map, then is captured. */
  void nfWrite(ByteString key, ByteString value) {
    content.put(key, value);
    capture.accept(new CapturedChange(spec.getName(), key, value, System.nanoTime(), false));
  }

  void nfDelete(ByteString key) {
    content.remove(key);
    capture.accept(new CapturedChange(spec.getName(), key, null, System.nanoTime(), false));
  }

  @Override
  public String name() {
    return spec.getName();
  }

  @Override
  public MapSpec spec() {
    return spec;
  }

  @Override
  public boolean replicateEvictions() {
    return replicateEvictions;
  }

  @Override
  public boolean evictsLocally() {
    return evictsLocally;
  }

  @Override
  public void write(ByteString key, ByteString value) {
    if (value.size() != spec.getValueSize()) {
      throw new LocalWriteException(LocalWriteException.Kind.SIZE, "wrong value size", null);
    }
    agentWrites.incrementAndGet();
    content.put(key, value);
  }

  @Override
  public void delete(ByteString key) {
    agentWrites.incrementAndGet();
    content.remove(key);
  }

  @Override
  public Map<ByteString, ByteString> dump() {
    Map<ByteString, ByteString> copy =
        new TreeMap<>(ByteString.unsignedLexicographicalComparator()) {
          private static final long serialVersionUID = 1L;

          {
            putAll(content);
          }
        };
    afterDump.run();
    return copy;
  }
}
