package io.mapsync.bpf.capture;

import io.mapsync.bpf.BpfLink;
import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.BpfObject;
import io.mapsync.bpf.ProgramStats;
import io.mapsync.bpf.UpdateFlag;
import io.mapsync.bpf.internal.RingReader;
import io.mapsync.bpf.internal.StateBlock;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The capture object (capture_syscall.bpf.o): its sys_enter_bpf/sys_exit_bpf programs attached, its
 * ring buffer mapped, the watch list the programs filter on. The fentry tier loads into the same
 * maps (see {@link FentryProbe}).
 */
final class SyscallProbe implements AutoCloseable {
  static final String OBJECT = "/io/mapsync/bpf/capture_syscall.bpf.o";
  private static final int WATCH_SIZE = 24;

  private final BpfObject object;
  private final List<BpfLink> links = new ArrayList<>();
  final BpfMap events;
  final BpfMap state;
  final BpfMap watched;
  final StateBlock stateBlock;
  final RingReader ring;

  /**
   * @param agentTgid the process whose writes are not captured (0: none)
   */
  SyscallProbe(int ringSize, int inlineMax, int agentTgid) {
    object = BpfObject.builder(SyscallProbe.class, OBJECT).maxEntries("events", ringSize).load();
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      events = track(opened, object.map("events"));
      state = track(opened, object.map("state"));
      watched = track(opened, object.map("watched"));
      stateBlock = track(opened, new StateBlock(state.fd()));
      stateBlock.configure(agentTgid, inlineMax);
      ring = track(opened, new RingReader(events.fd(), ringSize, stateBlock));
      links.addAll(object.attachAll());
    } catch (RuntimeException e) {
      closeAll(opened);
      object.close();
      throw e;
    }
  }

  private static <T extends AutoCloseable> T track(List<AutoCloseable> opened, T resource) {
    opened.add(resource);
    return resource;
  }

  /** Starts filtering the map's bpf() calls in the kernel for the given tiers. */
  void watch(WatchedMap w) {
    int bits = (w.has(Tier.SYSCALL) ? 1 : 0) | (w.has(Tier.FENTRY) ? 2 : 0);
    ByteBuffer v = ByteBuffer.allocate(WATCH_SIZE).order(ByteOrder.nativeOrder());
    v.putInt(w.info.keySize()).putInt(w.info.userValueSize()).putInt(bits);
    watched.update(key(w.id()), v.array(), UpdateFlag.ANY);
  }

  void unwatch(int mapId) {
    watched.delete(key(mapId));
  }

  /** Records of this map the BPF side dropped on a full ring, since it was watched. */
  long drops(int mapId) {
    byte[] v = watched.lookup(key(mapId));
    return v == null ? 0 : ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong(16);
  }

  /** Counters of the sys_exit program, which does the capturing. */
  ProgramStats exitStats() {
    return object.programStats("on_bpf_exit");
  }

  /** Counters of the sys_enter program (batch calls only). */
  ProgramStats enterStats() {
    return object.programStats("on_bpf_enter");
  }

  private static byte[] key(int mapId) {
    return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(mapId).array();
  }

  @Override
  public void close() {
    links.forEach(BpfLink::close);
    closeAll(List.of(ring, stateBlock, watched, state, events));
    object.close();
  }

  static void closeAll(List<? extends AutoCloseable> resources) {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        // closing kernel handles does not fail in a way we could act on
      }
    }
  }
}
