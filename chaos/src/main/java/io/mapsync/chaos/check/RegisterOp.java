package io.mapsync.chaos.check;

/**
 * One operation on a single register (a key), as the linearizability search sees it: a write of a
 * value or a read that returned one, and the interval in which it took effect.
 *
 * @param id the history's operation id (for the report)
 * @param write a write (put or delete) or a read
 * @param value the value written or read, as a small number; 0 is "absent"
 * @param invokeMs when it was sent
 * @param completeMs when it returned; {@link #NEVER} for a write whose outcome is unknown, which
 *     may take effect at any time after its invocation, or not at all
 */
public record RegisterOp(long id, boolean write, int value, long invokeMs, long completeMs) {
  /** The completion time of an operation that never returned. */
  public static final long NEVER = Long.MAX_VALUE;

  public static RegisterOp write(long id, int value, long invokeMs, long completeMs) {
    return new RegisterOp(id, true, value, invokeMs, completeMs);
  }

  public static RegisterOp read(long id, int value, long invokeMs, long completeMs) {
    return new RegisterOp(id, false, value, invokeMs, completeMs);
  }

  public RegisterOp {
    if (completeMs < invokeMs) {
      throw new IllegalArgumentException(
          "operation #"
              + id
              + " completes ("
              + completeMs
              + " ms) before it is"
              + " invoked ("
              + invokeMs
              + " ms)");
    }
  }
}
