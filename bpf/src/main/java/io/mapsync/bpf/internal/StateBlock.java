package io.mapsync.bpf.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The struct mapsync_state block (include/mapsync_event.h) of an mmapable array map, shared with
 * the BPF producers: configuration they read, the sleeping flag of the wake-up protocol, and their
 * drop counter.
 */
public final class StateBlock implements AutoCloseable {
  private static final int AGENT_TGID = 0;
  private static final int INLINE_MAX = 4;
  private static final int SLEEPING = 64; // each on its own cache line, as in the C struct
  private static final int DROPS = 128;
  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final VarHandle INTS =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private final MappedRegion region;
  private final ByteBuffer block;

  /** Maps entry 0 of an array map created with BPF_F_MMAPABLE (borrowed fd). */
  public StateBlock(int arrayFd) {
    this.region =
        new MappedRegion(arrayFd, 0, MappedRegion.pageSize(), true, "capture state block");
    this.block = region.buffer();
  }

  public void configure(int agentTgid, int inlineMax) {
    INTS.setVolatile(block, AGENT_TGID, agentTgid);
    INTS.setVolatile(block, INLINE_MAX, inlineMax);
  }

  /**
   * Tells producers to wake us. A volatile store is followed by a full fence on x86-64, so the
   * caller's next read of the producer position cannot move before it: the reader half of the
   * Dekker handshake.
   */
  public void announceSleep() {
    INTS.setVolatile(block, SLEEPING, 1);
  }

  public void cancelSleep() {
    INTS.setVolatile(block, SLEEPING, 0);
  }

  /** Records producers could not write because the ring was full, since the map was created. */
  public long drops() {
    return (long) LONGS.getVolatile(block, DROPS);
  }

  @Override
  public void close() {
    region.close();
  }
}
