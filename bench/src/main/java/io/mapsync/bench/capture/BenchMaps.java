package io.mapsync.bench.capture;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.BpfMapSpec;
import io.mapsync.bpf.BpfMapType;
import io.mapsync.bpf.UpdateFlag;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Maps, keys and statistics shared by the capture benchmarks. */
final class BenchMaps {
  private BenchMaps() {}

  static BpfMap hash(String name, int keySize, int valueSize, int maxEntries) {
    return BpfMap.create(BpfMapSpec.of(name, BpfMapType.HASH, keySize, valueSize, maxEntries));
  }

  /** n distinct keys of the given size (the index in the first 4 bytes). */
  static byte[][] keys(int n, int size) {
    byte[][] out = new byte[n][];
    for (int i = 0; i < n; i++) {
      out[i] = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder()).putInt(i).array();
    }
    return out;
  }

  static byte[] value(int size, long v) {
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    b.putLong(0, v);
    return b.array();
  }

  /** Fills a map with n entries using update batches. */
  static void fill(BpfMap map, int n, int keySize, int valueSize) {
    int chunk = 65536;
    for (int start = 0; start < n; start += chunk) {
      List<byte[]> keys = new ArrayList<>();
      List<byte[]> values = new ArrayList<>();
      for (int i = start; i < Math.min(n, start + chunk); i++) {
        keys.add(ByteBuffer.allocate(keySize).order(ByteOrder.nativeOrder()).putInt(i).array());
        values.add(value(valueSize, i));
      }
      map.updateBatch(keys, values, UpdateFlag.ANY);
    }
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
