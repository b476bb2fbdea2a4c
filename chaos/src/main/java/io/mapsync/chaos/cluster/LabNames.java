package io.mapsync.chaos.cluster;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of everything one chaos run creates outside its JVM: namespaces, links, pins. Each carries
 * the pid of the process that made it, so a later run can tell leftovers of a dead run (removed by
 * {@link LabJanitor}) from a run still going in another process.
 */
public record LabNames(long pid, int run) {
  private static final AtomicInteger RUNS = new AtomicInteger();

  /** Namespaces: mschaos-&lt;pid&gt;-&lt;run&gt;-&lt;member&gt;. */
  static final Pattern NETNS = Pattern.compile("mschaos-(\\d+)-(\\d+)-.+");

  /**
   * Links (15 characters at most): mc&lt;pid base36&gt;_&lt;run base36&gt;b for the bridge,
   * ...v&lt;i&gt; for veths.
   */
  static final Pattern LINK = Pattern.compile("mc([0-9a-z]+)_([0-9a-z]+)[bv]\\d*");

  /** Pins and data: &lt;root&gt;/&lt;pid&gt;-&lt;run&gt;. */
  static final Pattern RUN_DIR = Pattern.compile("(\\d+)-(\\d+)");

  public static final Path PIN_ROOT = Path.of("/sys/fs/bpf/mapsync-chaos");

  /** Names for a new run of this process. */
  public static LabNames next() {
    return new LabNames(ProcessHandle.current().pid(), RUNS.incrementAndGet());
  }

  String tag() {
    return Long.toString(pid, 36) + "_" + Integer.toString(run % 1296, 36);
  }

  String netns(String member) {
    return "mschaos-" + pid + "-" + run + "-" + member;
  }

  String bridge() {
    return "mc" + tag() + "b";
  }

  String veth(int index) {
    return "mc" + tag() + "v" + index;
  }

  /** Where this run pins the members' maps: one directory per member. */
  public Path pinDir() {
    return PIN_ROOT.resolve(pid + "-" + run);
  }

  /** The pid encoded in a lab name, or -1 if the name is not one of ours. */
  static long ownerOf(Pattern pattern, String name, int radix) {
    Matcher m = pattern.matcher(name);
    return m.matches() ? Long.parseLong(m.group(1), radix) : -1;
  }
}
