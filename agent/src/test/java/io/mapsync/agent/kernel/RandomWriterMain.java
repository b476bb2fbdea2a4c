package io.mapsync.agent.kernel;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.UpdateFlag;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * A network function stand-in in its own process: random updates and deletes on one map through
 * bpf(), so the syscall tier captures them (the agent's own process is filtered out). Arguments:
 * mapId seed operations keySpace valueSize startAtEpochMillis. Writers of one test start together
 * and pace themselves, so their writes interleave and they race on the same keys.
 */
public final class RandomWriterMain {
  private RandomWriterMain() {}

  public static void main(String[] args) {
    int mapId = Integer.parseInt(args[0]);
    Random random = new Random(Long.parseLong(args[1]));
    int ops = Integer.parseInt(args[2]);
    int keySpace = Integer.parseInt(args[3]);
    int valueSize = Integer.parseInt(args[4]);
    long startAt = Long.parseLong(args[5]);
    while (System.currentTimeMillis() < startAt) {
      java.util.concurrent.locks.LockSupport.parkNanos(100_000);
    }
    try (BpfMap map = BpfMap.fromId(mapId)) {
      for (int i = 0; i < ops; i++) {
        byte[] key =
            ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(random.nextInt(keySpace))
                .array();
        if (random.nextInt(5) == 0) {
          map.delete(key);
        } else {
          byte[] value = new byte[valueSize];
          random.nextBytes(value);
          map.update(key, value, UpdateFlag.ANY);
        }
        java.util.concurrent.locks.LockSupport.parkNanos(100_000);
      }
    }
    System.out.println("done " + ops);
  }
}
