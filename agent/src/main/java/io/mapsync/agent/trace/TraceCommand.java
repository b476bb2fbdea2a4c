package io.mapsync.agent.trace;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.capture.CaptureSession;
import io.mapsync.bpf.capture.ChangeSink;
import io.mapsync.bpf.capture.MapChange;
import io.mapsync.bpf.capture.Tier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mapsync trace}: prints a map's changes live, one JSON line each. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = "Print changes to a BPF map as they are captured, one JSON line each on stdout.")
public final class TraceCommand implements Callable<Integer> {

  static final class Target {
    @Option(
        names = "--map",
        paramLabel = "PINNED_PATH",
        description = "A map pinned on bpffs.",
        required = true)
    Path pinned;

    @Option(
        names = "--map-id",
        paramLabel = "ID",
        description = "A map by kernel id.",
        required = true)
    Integer id;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  @Option(
      names = "--tier",
      defaultValue = "auto",
      paramLabel = "TIER",
      description = "auto|syscall|scan|fentry|emit (default: ${DEFAULT-VALUE}).")
  String tier;

  @Option(
      names = "--scan-interval",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description = "Interval of the scan tier (default: ${DEFAULT-VALUE}).")
  Duration scanInterval;

  @Option(
      names = "--emit-pin-root",
      defaultValue = "/sys/fs/bpf",
      description = "Where mapsync_ring is pinned, for --tier emit.")
  Path emitPinRoot;

  @Option(
      names = "--count",
      defaultValue = "0",
      description = "Exit after this many changes (0: run until interrupted).")
  long count;

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "Exit after this long.")
  Duration duration;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Tier t;
    try {
      t = Tier.valueOf(tier.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--tier must be auto, syscall, scan, fentry or emit, not '" + tier + "'");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CountDownLatch done = new CountDownLatch(1);
    AtomicLong printed = new AtomicLong();
    ChangeSink sink =
        new ChangeSink() {
          @Override
          public void onChange(MapChange change) {
            out.println(ChangeJson.of(change));
            out.flush();
            if (count > 0 && printed.incrementAndGet() >= count) {
              done.countDown();
            }
          }

          @Override
          public void onResync(int mapId, String reason) {
            err.println("resync of map id " + mapId + ": " + reason);
            err.flush();
          }
        };
    try (BpfMap map =
            target.pinned != null ? BpfMap.openPinned(target.pinned) : BpfMap.fromId(target.id);
        CaptureSession session =
            CaptureSession.builder(sink)
                .scanInterval(scanInterval)
                .emitPinRoot(emitPinRoot)
                .build()) {
      Set<Tier> active = session.add(map, t, scanInterval);
      err.println(
          "tracing map "
              + map.info().label()
              + " ("
              + map.info().type()
              + ") with tiers "
              + active);
      err.flush();
      Thread hook = new Thread(done::countDown);
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        if (duration != null) {
          done.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } else {
          done.await();
        }
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is what woke us
        }
      }
    }
    return 0;
  }

  /**
   * Runs the command standalone: {@code java -cp ... io.mapsync.agent.trace.TraceCommand --map-id
   * 12}.
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new TraceCommand()).execute(args));
  }
}
