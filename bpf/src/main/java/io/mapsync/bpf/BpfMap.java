package io.mapsync.bpf;

import io.mapsync.bpf.internal.Bpf;
import io.mapsync.bpf.internal.Fd;
import io.mapsync.bpf.internal.MapDumper;
import io.mapsync.bpf.internal.MapInfoReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A kernel BPF map held through an owned file descriptor. Close it when done: the descriptor is
 * released at once, not by the garbage collector. Keys and values are raw bytes in the kernel's
 * layout; sizes are checked here so a wrong size fails with a message naming the map instead of
 * EINVAL.
 */
public final class BpfMap implements AutoCloseable {
  private final Fd fd;
  private final BpfMapInfo info;

  private BpfMap(Fd fd) {
    this.fd = fd;
    try {
      this.info = MapInfoReader.read(fd.value());
    } catch (RuntimeException e) {
      fd.close();
      throw e;
    }
  }

  /** Creates a new map in the kernel. */
  public static BpfMap create(BpfMapSpec spec) {
    return new BpfMap(
        Bpf.mapCreate(
            spec.type().kernelValue(),
            spec.keySize(),
            spec.valueSize(),
            spec.maxEntries(),
            spec.flags(),
            spec.name(),
            "create of map '" + spec.name() + "' (" + spec.type() + ")"));
  }

  /** Opens a map pinned on a bpffs path. */
  public static BpfMap openPinned(Path path) {
    return new BpfMap(Bpf.openPinned(path.toString(), "open of pinned map " + path));
  }

  /** Opens the map with this kernel id. */
  public static BpfMap fromId(int id) {
    return new BpfMap(Bpf.mapFdById(id, "open of map id " + id));
  }

  /** Adopts a descriptor (a dup of one libbpf holds); this map owns it afterwards. */
  static BpfMap adopt(Fd fd) {
    return new BpfMap(fd);
  }

  /** Pins the map on a bpffs path, where it outlives this process. */
  public void pin(Path path) {
    Bpf.pin(fd(), path.toString(), "pin of map " + info.label() + " at " + path);
  }

  public BpfMapInfo info() {
    return info;
  }

  public int id() {
    return info.id();
  }

  public String name() {
    return info.name();
  }

  /** A second, independently owned handle on the same kernel map. */
  public BpfMap duplicate() {
    return new BpfMap(fd.dup());
  }

  /** The value, or null when the key is absent. */
  public byte[] lookup(byte[] key) {
    checkKey(key, "lookup");
    return Bpf.lookup(fd(), key, info.userValueSize(), "lookup in map " + info.label());
  }

  /**
   * Writes one entry.
   *
   * @throws KeyExistsException with {@link UpdateFlag#NOEXIST} on an existing key
   * @throws KeyNotFoundException with {@link UpdateFlag#EXIST} on a missing key
   * @throws MapFullException when a hash map has no room
   */
  public void update(byte[] key, byte[] value, UpdateFlag flag) {
    checkKey(key, "update");
    checkValue(value, "update");
    Bpf.update(fd(), key, value, flag.kernelValue(), "update of map " + info.label());
  }

  /**
   * Deletes a key; false if it was absent. Array maps refuse deletes (InvalidArgumentException).
   */
  public boolean delete(byte[] key) {
    checkKey(key, "delete");
    return Bpf.delete(fd(), key, "delete in map " + info.label());
  }

  /** Removes a key and returns its value, or null if it was absent (hash maps, kernel 5.14+). */
  public byte[] lookupAndDelete(byte[] key) {
    checkKey(key, "lookup-and-delete");
    return Bpf.lookupAndDelete(
        fd(), key, info.userValueSize(), "lookup-and-delete in map " + info.label());
  }

  /**
   * The key following {@code key} in the kernel's iteration order (the first key for null), or null
   * at the end.
   */
  public byte[] nextKey(byte[] key) {
    if (key != null) {
      checkKey(key, "get-next-key");
    }
    return Bpf.nextKey(fd(), key, info.keySize(), "get-next-key in map " + info.label());
  }

  /**
   * Writes many entries in one call (BPF_MAP_UPDATE_BATCH). On failure the exception's message
   * tells how many entries the kernel wrote first.
   */
  public int updateBatch(List<byte[]> keys, List<byte[]> values, UpdateFlag flag) {
    if (keys.size() != values.size()) {
      throw new IllegalArgumentException(
          "update batch of map "
              + info.label()
              + ": "
              + keys.size()
              + " keys but "
              + values.size()
              + " values");
    }
    if (keys.isEmpty()) {
      return 0;
    }
    byte[] k = concat(keys, info.keySize(), true, "update batch");
    byte[] v = concat(values, info.userValueSize(), false, "update batch");
    return Bpf.writeBatch(
        fd(), k, v, keys.size(), flag.kernelValue(), "update batch of map " + info.label());
  }

  /**
   * Deletes many keys in one call (BPF_MAP_DELETE_BATCH); a missing key stops the batch with
   * KeyNotFoundException.
   */
  public int deleteBatch(List<byte[]> keys) {
    if (keys.isEmpty()) {
      return 0;
    }
    byte[] k = concat(keys, info.keySize(), true, "delete batch");
    return Bpf.writeBatch(fd(), k, null, keys.size(), 0, "delete batch of map " + info.label());
  }

  /**
   * Every entry, read with BPF_MAP_LOOKUP_BATCH (get-next-key plus lookup where the kernel lacks
   * it).
   */
  public List<MapEntry> dump() {
    List<MapEntry> out = new ArrayList<>();
    int ks = info.keySize();
    int vs = info.userValueSize();
    forEachBatch(
        (keys, values, count) -> {
          for (int i = 0; i < count; i++) {
            out.add(
                new MapEntry(
                    Arrays.copyOfRange(keys, i * ks, (i + 1) * ks),
                    Arrays.copyOfRange(values, i * vs, (i + 1) * vs)));
          }
        });
    return out;
  }

  /** Streams every entry a batch at a time without copying each one; returns the entry count. */
  public long forEachBatch(EntryBatchConsumer consumer) {
    return MapDumper.dump(
        fd(),
        info.keySize(),
        info.userValueSize(),
        info.maxEntries(),
        "dump of map " + info.label(),
        consumer);
  }

  /**
   * The raw descriptor, for this module's loaders and ring readers; valid until close(). Do not
   * close it.
   */
  public int fd() {
    return fd.value();
  }

  @Override
  public void close() {
    fd.close();
  }

  @Override
  public String toString() {
    return "BpfMap" + info.label();
  }

  private void checkKey(byte[] key, String op) {
    if (key == null || key.length != info.keySize()) {
      throw new InvalidArgumentException(
          op
              + " of map "
              + info.label()
              + ": key of "
              + (key == null ? "null" : key.length + " bytes")
              + " but the map's keys are "
              + info.keySize()
              + " bytes",
          0);
    }
  }

  private void checkValue(byte[] value, String op) {
    if (value == null || value.length != info.userValueSize()) {
      String perCpu =
          info.type().isPerCpu()
              ? " (" + PossibleCpus.count() + " CPUs x " + ((info.valueSize() + 7) & ~7) + ")"
              : "";
      throw new InvalidArgumentException(
          op
              + " of map "
              + info.label()
              + ": value of "
              + (value == null ? "null" : value.length + " bytes")
              + " but the map's values are "
              + info.userValueSize()
              + " bytes"
              + perCpu,
          0);
    }
  }

  private byte[] concat(List<byte[]> parts, int size, boolean keys, String op) {
    byte[] out = new byte[parts.size() * size];
    for (int i = 0; i < parts.size(); i++) {
      byte[] p = parts.get(i);
      if (keys) {
        checkKey(p, op);
      } else {
        checkValue(p, op);
      }
      System.arraycopy(p, 0, out, i * size, size);
    }
    return out;
  }
}
