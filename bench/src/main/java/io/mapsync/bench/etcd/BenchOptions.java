package io.mapsync.bench.etcd;

import io.mapsync.wire.MapType;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one benchmark run measures and how long.
 *
 * @param rates offered delta rates (deltas/s) for the open-loop latency runs
 * @param batchSizes batch sizes for the saturation runs (closed loop, full batches)
 * @param duration how long each measurement lasts, after its warmup
 * @param warmup how long each measurement runs before it counts
 * @param repeats how many times each measurement runs; the report gives the medians
 * @param origins how many concurrent proposers (agents); each has at most one batch in flight
 * @param maxBatch the most deltas the open-loop batcher puts in one batch
 * @param mapType the type of the benchmark map (lru_hash needs no occupancy read, hash does)
 * @param keySize key bytes (16: about a 5-tuple)
 * @param valueSize value bytes
 * @param keySpace distinct keys the deltas cycle through
 */
public record BenchOptions(
    List<Integer> rates,
    List<Integer> batchSizes,
    Duration duration,
    Duration warmup,
    int repeats,
    int origins,
    int maxBatch,
    MapType mapType,
    int keySize,
    int valueSize,
    int keySpace) {

  public BenchOptions {
    rates = List.copyOf(rates);
    batchSizes = List.copyOf(batchSizes);
    if (keySize < 8) {
      throw new IllegalArgumentException("key size must be at least 8 bytes");
    }
    if (repeats < 1 || origins < 1 || maxBatch < 1 || keySpace < 1) {
      throw new IllegalArgumentException(
          "repeats, origins, max batch and key space must be positive");
    }
  }

  /** The defaults behind docs/etcd-backend.md's figures. */
  public static BenchOptions defaults() {
    return new BenchOptions(
        List.of(1_000, 10_000),
        List.of(1, 16, 64, 127),
        Duration.ofSeconds(15),
        Duration.ofSeconds(3),
        3,
        1,
        127,
        MapType.LRU_HASH,
        16,
        32,
        100_000);
  }

  /** Applies {@code --name value} pairs on top of these options. */
  public BenchOptions with(String name, String value) {
    return switch (name) {
      case "--rates" ->
          new BenchOptions(
              ints(value),
              batchSizes,
              duration,
              warmup,
              repeats,
              origins,
              maxBatch,
              mapType,
              keySize,
              valueSize,
              keySpace);
      case "--batches" ->
          new BenchOptions(
              rates,
              ints(value),
              duration,
              warmup,
              repeats,
              origins,
              maxBatch,
              mapType,
              keySize,
              valueSize,
              keySpace);
      case "--duration" ->
          new BenchOptions(
              rates,
              batchSizes,
              seconds(value),
              warmup,
              repeats,
              origins,
              maxBatch,
              mapType,
              keySize,
              valueSize,
              keySpace);
      case "--warmup" ->
          new BenchOptions(
              rates,
              batchSizes,
              duration,
              seconds(value),
              repeats,
              origins,
              maxBatch,
              mapType,
              keySize,
              valueSize,
              keySpace);
      case "--repeats" ->
          new BenchOptions(
              rates,
              batchSizes,
              duration,
              warmup,
              Integer.parseInt(value),
              origins,
              maxBatch,
              mapType,
              keySize,
              valueSize,
              keySpace);
      case "--origins" ->
          new BenchOptions(
              rates,
              batchSizes,
              duration,
              warmup,
              repeats,
              Integer.parseInt(value),
              maxBatch,
              mapType,
              keySize,
              valueSize,
              keySpace);
      case "--max-batch" ->
          new BenchOptions(
              rates,
              batchSizes,
              duration,
              warmup,
              repeats,
              origins,
              Integer.parseInt(value),
              mapType,
              keySize,
              valueSize,
              keySpace);
      case "--map-type" ->
          new BenchOptions(
              rates,
              batchSizes,
              duration,
              warmup,
              repeats,
              origins,
              maxBatch,
              MapType.valueOf(value.toUpperCase(Locale.ROOT)),
              keySize,
              valueSize,
              keySpace);
      case "--key-size" ->
          new BenchOptions(
              rates,
              batchSizes,
              duration,
              warmup,
              repeats,
              origins,
              maxBatch,
              mapType,
              Integer.parseInt(value),
              valueSize,
              keySpace);
      case "--value-size" ->
          new BenchOptions(
              rates,
              batchSizes,
              duration,
              warmup,
              repeats,
              origins,
              maxBatch,
              mapType,
              keySize,
              Integer.parseInt(value),
              keySpace);
      case "--key-space" ->
          new BenchOptions(
              rates,
              batchSizes,
              duration,
              warmup,
              repeats,
              origins,
              maxBatch,
              mapType,
              keySize,
              valueSize,
              Integer.parseInt(value));
      default -> throw new IllegalArgumentException("unknown option " + name);
    };
  }

  private static List<Integer> ints(String csv) {
    return csv.isBlank()
        ? List.of()
        : Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
  }

  private static Duration seconds(String s) {
    return s.endsWith("s")
        ? Duration.ofMillis((long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1000))
        : Duration.parse(s);
  }
}
