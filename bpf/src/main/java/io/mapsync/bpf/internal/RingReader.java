package io.mapsync.bpf.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads a BPF ring buffer straight from its memory mapping, the way the kernel's consumer protocol
 * is specified (kernel/bpf/ringbuf.c): acquire the producer position, walk records whose header is
 * not BUSY, release the consumer position. No native call per record, which is what makes 500k+
 * records/s cheap; libbpf's ring_buffer__poll would cost a JNI upcall per record.
 *
 * <p>Waking up is shared with the producers through the mapsync_state block (see
 * include/mapsync_ring.h): producers never wake a reader that polls; before sleeping the reader
 * sets consumer_sleeping, re-checks, and only then blocks in poll(2) (see {@link Poller}).
 *
 * <p>Not thread-safe: one capture thread owns a reader.
 */
public final class RingReader implements AutoCloseable {
  private static final int BUSY = 1 << 31;
  private static final int DISCARD = 1 << 30;
  private static final int HEADER = 8;
  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final VarHandle INTS =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  /**
   * Receives one record: {@code length} bytes at {@code offset} of {@code data}, valid only during
   * the call.
   */
  @FunctionalInterface
  public interface RecordHandler {
    void record(ByteBuffer data, int offset, int length);
  }

  private final int ringFd;
  private final long mask;
  private final MappedRegion consumerPage;
  private final MappedRegion producerPages;
  private final ByteBuffer consumer;
  private final ByteBuffer producer;
  private final ByteBuffer data;
  private final StateBlock state;
  private long consumerPos;

  /**
   * @param ringFd a BPF_MAP_TYPE_RINGBUF map (borrowed, not closed here)
   * @param size its max_entries, a power of two
   * @param state the mapsync_state block its producers share
   */
  public RingReader(int ringFd, int size, StateBlock state) {
    this.ringFd = ringFd;
    this.mask = size - 1L;
    this.state = state;
    long page = MappedRegion.pageSize();
    this.consumerPage = new MappedRegion(ringFd, 0, page, true, "ring buffer consumer page");
    try {
      // The data area is mapped twice in a row, so a record that wraps is still contiguous.
      this.producerPages =
          new MappedRegion(ringFd, page, page + 2L * size, false, "ring buffer data");
    } catch (RuntimeException e) {
      consumerPage.close();
      throw e;
    }
    this.consumer = consumerPage.buffer();
    this.producer = producerPages.buffer();
    this.data = producer.duplicate().position((int) page).slice().order(ByteOrder.nativeOrder());
    this.consumerPos = (long) LONGS.getAcquire(consumer, 0);
  }

  public int fd() {
    return ringFd;
  }

  public StateBlock state() {
    return state;
  }

  /** Hands every committed record to the handler, up to max; returns how many were read. */
  public int drain(RecordHandler handler, int max) {
    long cons = consumerPos;
    long prod = (long) LONGS.getAcquire(producer, 0);
    int n = 0;
    while (cons < prod && n < max) {
      int at = (int) (cons & mask);
      int header = (int) INTS.getAcquire(data, at);
      if ((header & BUSY) != 0) {
        break; // reserved but not yet submitted; records after it wait too
      }
      int len = header & ~(BUSY | DISCARD);
      if ((header & DISCARD) == 0) {
        handler.record(data, at + HEADER, len);
        n++;
      }
      cons += (len + HEADER + 7) & ~7L;
      if (cons >= prod) {
        LONGS.setRelease(consumer, 0, cons); // free the space before looking for more
        prod = (long) LONGS.getAcquire(producer, 0);
      }
    }
    if (cons != consumerPos) {
      LONGS.setRelease(consumer, 0, cons);
      consumerPos = cons;
    }
    return n;
  }

  /** True when a record (possibly a discarded one) is waiting. */
  public boolean hasData() {
    return (long) LONGS.getVolatile(producer, 0) != consumerPos;
  }

  /** Bytes written and not yet consumed. */
  public long pending() {
    return (long) LONGS.getAcquire(producer, 0) - consumerPos;
  }

  @Override
  public void close() {
    consumerPage.close();
    producerPages.close();
  }
}
