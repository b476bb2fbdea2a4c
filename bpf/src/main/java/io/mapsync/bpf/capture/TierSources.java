package io.mapsync.bpf.capture;

import io.mapsync.bpf.ProgramStats;
import io.mapsync.bpf.internal.RingReader;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The kernel side of a session's tiers, each set up on first need: the syscall probe (whose maps
 * the fentry probe shares) and the emit ring, and how each tells the capture loop which maps lost
 * records.
 */
final class TierSources implements AutoCloseable {
  private final CaptureLoop loop;
  private final int ringSize;
  private final int inlineMax;
  private final int agentTgid;
  private final Path emitPinRoot;
  private SyscallProbe syscall;
  private FentryProbe fentry;
  private boolean fentryTried;
  private EmitSource emit;

  TierSources(CaptureLoop loop, int ringSize, int inlineMax, int agentTgid, Path emitPinRoot) {
    this.loop = loop;
    this.ringSize = ringSize;
    this.inlineMax = inlineMax;
    this.agentTgid = agentTgid;
    this.emitPinRoot = emitPinRoot;
  }

  /** The tiers a request becomes on this kernel, loading what they need. */
  synchronized Set<Tier> resolve(Tier tier) {
    switch (Objects.requireNonNull(tier, "tier")) {
      case AUTO:
        ensureSyscall();
        return EnumSet.of(Tier.SYSCALL, ensureFentry() ? Tier.FENTRY : Tier.SCAN);
      case SYSCALL:
        ensureSyscall();
        return EnumSet.of(Tier.SYSCALL);
      case FENTRY:
        ensureSyscall();
        return EnumSet.of(ensureFentry() ? Tier.FENTRY : Tier.SCAN);
      case EMIT:
        ensureEmit();
        return EnumSet.of(Tier.EMIT);
      default:
        return EnumSet.of(Tier.SCAN);
    }
  }

  private void ensureSyscall() {
    if (syscall == null) {
      SyscallProbe p = new SyscallProbe(ringSize, inlineMax, agentTgid);
      syscall = p;
      loop.addSource(
          new CaptureLoop.Source() {
            private long nextCheck;
            private long misses;

            @Override
            public RingReader reader() {
              return p.ring;
            }

            /*
             * The kernel skips a tracepoint program when another BPF program
             * already runs on that CPU (recursion_misses): a lost record
             * the ring never saw. Checked every 50 ms; any miss rescans.
             */
            @Override
            public void check(Map<Integer, WatchedMap> all, long now) {
              if (now - nextCheck < 0) {
                return;
              }
              nextCheck = now + 50_000_000L;
              long m = p.exitStats().recursionMisses() + p.enterStats().recursionMisses();
              if (m != misses) {
                for (WatchedMap w : all.values()) {
                  if (w.has(Tier.SYSCALL)) {
                    w.rescanReason =
                        (m - misses) + " runs of the syscall probe skipped by the kernel";
                  }
                }
                misses = m;
              }
            }

            @Override
            public void markLosses(Map<Integer, WatchedMap> all) {
              for (WatchedMap w : all.values()) {
                if (w.has(Tier.SYSCALL) || w.has(Tier.FENTRY)) {
                  long d = p.drops(w.id());
                  if (d != w.dropsSeen) {
                    w.rescanReason = (d - w.dropsSeen) + " records lost to a full ring buffer";
                    w.dropsSeen = d;
                  }
                }
              }
            }
          });
    }
  }

  private boolean ensureFentry() {
    if (!fentryTried) {
      fentryTried = true;
      fentry = FentryProbe.tryLoad(syscall);
    }
    return fentry != null;
  }

  private void ensureEmit() {
    if (emit == null) {
      if (emitPinRoot == null) {
        throw new IllegalStateException(
            "the emit tier needs Builder.emitPinRoot (where mapsync_ring is pinned)");
      }
      EmitSource e = new EmitSource(emitPinRoot);
      emit = e;
      loop.addSource(
          new CaptureLoop.Source() {
            @Override
            public RingReader reader() {
              return e.reader;
            }

            @Override
            public void markLosses(Map<Integer, WatchedMap> all) {
              for (WatchedMap w : all.values()) {
                if (w.has(Tier.EMIT)) {
                  w.rescanReason = "records lost to a full emit ring buffer";
                }
              }
            }
          });
    }
  }

  /** Lets the kernel programs report this map. */
  synchronized void watch(WatchedMap w) {
    if (syscall != null && (w.has(Tier.SYSCALL) || w.has(Tier.FENTRY))) {
      syscall.watch(w);
    }
  }

  synchronized void unwatch(int mapId) {
    if (syscall != null) {
      syscall.unwatch(mapId);
    }
  }

  /** Records of the map the probes could not write to a full ring. */
  synchronized long drops(WatchedMap w) {
    return syscall != null && (w.has(Tier.SYSCALL) || w.has(Tier.FENTRY))
        ? syscall.drops(w.id())
        : 0;
  }

  /** The syscall probe's programs summed, or null before it is loaded. */
  synchronized ProgramStats syscallStats() {
    if (syscall == null) {
      return null;
    }
    ProgramStats a = syscall.enterStats();
    ProgramStats b = syscall.exitStats();
    return new ProgramStats(
        a.runTimeNs() + b.runTimeNs(), b.runCount(), a.recursionMisses() + b.recursionMisses());
  }

  @Override
  public synchronized void close() {
    SyscallProbe.closeAll(
        java.util.Arrays.asList(fentry, syscall, emit).stream().filter(Objects::nonNull).toList());
  }
}
