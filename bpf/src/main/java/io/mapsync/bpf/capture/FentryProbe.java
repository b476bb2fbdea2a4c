package io.mapsync.bpf.capture;

import io.mapsync.bpf.BpfException;
import io.mapsync.bpf.BpfLink;
import io.mapsync.bpf.BpfObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fentry tier (capture_fentry.bpf.o), loaded into the syscall probe's maps so both write one
 * ring and read one watch list. Whether the kernel permits tracing programs is found out by trying,
 * once per process; a refusal is logged once and callers fall back to the scan tier.
 */
final class FentryProbe implements AutoCloseable {
  static final String OBJECT = "/io/mapsync/bpf/capture_fentry.bpf.o";
  private static final Logger LOG = LoggerFactory.getLogger(FentryProbe.class);
  private static final AtomicBoolean REFUSAL_LOGGED = new AtomicBoolean();
  private static volatile String refusal;

  private final BpfObject object;
  private final List<BpfLink> links = new ArrayList<>();

  private FentryProbe(BpfObject object) {
    this.object = object;
    try {
      links.addAll(object.attachAll());
    } catch (RuntimeException e) {
      object.close();
      throw e;
    }
  }

  /**
   * Loads and attaches the fentry programs, or returns null when this kernel refuses them (the
   * reason is then {@link #refusal()}).
   */
  static FentryProbe tryLoad(SyscallProbe shared) {
    if (refusal != null) {
      return null;
    }
    try {
      BpfObject o =
          BpfObject.builder(FentryProbe.class, OBJECT)
              .reuseMap("events", shared.events)
              .reuseMap("state", shared.state)
              .reuseMap("watched", shared.watched)
              .load();
      return new FentryProbe(o);
    } catch (BpfException e) {
      String first = e.getMessage().lines().findFirst().orElse("");
      refusal =
          first.contains("EPERM") || first.contains("EACCES") ? "not permitted: " + first : first;
      if (REFUSAL_LOGGED.compareAndSet(false, true)) {
        LOG.warn("fentry capture tier unavailable ({}); maps fall back to the scan tier", refusal);
      }
      return null;
    }
  }

  /** Why the kernel refused the fentry tier in this process, or null if it did not (yet). */
  static String refusal() {
    return refusal;
  }

  @Override
  public void close() {
    links.forEach(BpfLink::close);
    object.close();
  }
}
