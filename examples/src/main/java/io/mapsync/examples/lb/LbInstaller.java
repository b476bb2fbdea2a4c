package io.mapsync.examples.lb;

import io.mapsync.bpf.BpfObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs one LB host's datapath: loads lb.bpf.o with every map pinned under the host's own
 * directory (maps are kernel-global, so two LB hosts on one machine need two pin roots), writes the
 * virtual service and its backends, and attaches lb_ingress and lb_egress to the interface that
 * faces the clients.
 *
 * <p>Run it inside the host's network namespace ({@code ip netns exec}): the interface is looked
 * up, and the tc filters created, in the caller's namespace. The programs stay attached after it
 * exits (the tc filters hold them); deleting the namespace detaches them, and removing the pin
 * directory frees the maps.
 *
 * <pre>LbInstaller --pin-root /sys/fs/bpf/mapsync-lb/mslb/lb1 --dev front --vip 10.13.13.13:8000 \
 *     --backend 10.13.2.11:8080 --backend 10.13.2.12:8080 [--derive off]
 * LbInstaller --pin-root ... --dev front --config services.yaml   (several services: see LbConfig)
 * </pre>
 *
 * <p>{@code --derive off} turns off the translation of replies whose session has not arrived yet
 * (lb.bpf.c's LB_DERIVE): such replies then leave untranslated, as in lbrp and the thesis.
 */
public final class LbInstaller {
  private LbInstaller() {}

  public static void main(String[] args) throws IOException {
    Path pinRoot = null;
    String dev = null;
    Endpoint vip = null;
    List<Endpoint> backends = new ArrayList<>();
    boolean derive = true;
    Path config = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--pin-root" -> pinRoot = Path.of(args[i + 1]);
        case "--dev" -> dev = args[i + 1];
        case "--vip" -> vip = Endpoint.parse(args[i + 1]);
        case "--backend" -> backends.add(Endpoint.parse(args[i + 1]));
        case "--derive" -> derive = onOff("--derive", args[i + 1]);
        case "--config" -> config = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (pinRoot == null
        || dev == null
        || (vip == null) == (config == null)
        || args.length % 2 != 0) {
      System.err.println(
          "usage: LbInstaller --pin-root DIR --dev IFNAME (--config FILE | --vip IP:PORT --backend IP:PORT"
              + " [--backend ...] [--derive on|off])");
      System.exit(2);
    }
    LbConfig services =
        config != null ? LbConfig.read(config) : LbConfig.single(vip, backends, derive);
    for (String line : install(pinRoot, dev, services)) {
      System.out.println("lb: " + line);
    }
    System.out.printf(
        "lb: attached to %s%s; maps pinned under %s%n",
        dev, services.derive() ? "" : ", replies without a session pass untranslated", pinRoot);
  }

  private static boolean onOff(String option, String value) {
    return switch (value) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException(option + " takes on or off, not " + value);
    };
  }

  static void install(
      Path pinRoot, String dev, Endpoint vip, List<Endpoint> backends, boolean derive)
      throws IOException {
    install(pinRoot, dev, LbConfig.single(vip, backends, derive));
  }

  /**
   * Loads the datapath, writes the configuration, then attaches (so no packet meets a half-written
   * service).
   */
  static List<String> install(Path pinRoot, String dev, LbConfig config) throws IOException {
    Files.createDirectories(pinRoot); // libbpf creates only the last directory of a pin path
    try (BpfObject lb = BpfObject.builder(LbInstaller.class, "lb.bpf.o").pinRoot(pinRoot).load()) {
      List<String> written = new LbApply(pinRoot).apply(config);
      // The links are left open on purpose: closing one would detach its program.
      lb.attachTc("lb_ingress", dev, true);
      lb.attachTc("lb_egress", dev, false);
      return written;
    }
  }
}
