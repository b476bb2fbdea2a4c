package io.mapsync.bpf.capture;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.BpfMapType;
import io.mapsync.bpf.InvalidArgumentException;
import io.mapsync.bpf.internal.RingReader;
import io.mapsync.bpf.internal.StateBlock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The emit tier's ring: mapsync_ring and mapsync_state, which network functions built with
 * include/mapsync_emit.h pin by name under their pin root (/sys/fs/bpf by default).
 */
final class EmitSource implements AutoCloseable {
  private final List<AutoCloseable> opened = new ArrayList<>();
  final StateBlock stateBlock;
  final RingReader reader;

  EmitSource(Path pinRoot) {
    try {
      BpfMap ring = open(BpfMap.openPinned(pinRoot.resolve("mapsync_ring")));
      if (ring.info().type() != BpfMapType.RINGBUF) {
        throw new InvalidArgumentException(
            pinRoot.resolve("mapsync_ring")
                + " is a "
                + ring.info().type()
                + " map, not a ring buffer",
            0);
      }
      BpfMap state = open(BpfMap.openPinned(pinRoot.resolve("mapsync_state")));
      stateBlock = open(new StateBlock(state.fd()));
      stateBlock.configure((int) ProcessHandle.current().pid(), 0);
      reader = open(new RingReader(ring.fd(), ring.info().maxEntries(), stateBlock));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private <T extends AutoCloseable> T open(T resource) {
    opened.add(resource);
    return resource;
  }

  @Override
  public void close() {
    List<AutoCloseable> reversed = new ArrayList<>(opened);
    Collections.reverse(reversed);
    SyscallProbe.closeAll(reversed);
    opened.clear();
  }
}
