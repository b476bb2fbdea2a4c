package io.mapsync.examples.lb;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.BpfObject;
import io.mapsync.bpf.UpdateFlag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs one LB host's datapath: loads lb.bpf.o with every map pinned under the host's own
 * directory (maps are kernel-global, so two LB hosts on one machine need two pin roots), writes
 * the virtual service and its backends, and attaches lb_ingress and lb_egress to the interface
 * that faces the clients.
 *
 * <p>Run it inside the host's network namespace ({@code ip netns exec}): the interface is looked
 * up, and the tc filters created, in the caller's namespace. The programs stay attached after it
 * exits (the tc filters hold them); deleting the namespace detaches them, and removing the pin
 * directory frees the maps.
 *
 * <pre>LbInstaller --pin-root /sys/fs/bpf/mapsync-lb/mslb/lb1 --dev front --vip 10.13.13.13:8000 \
 *     --backend 10.13.2.11:8080 --backend 10.13.2.12:8080 [--derive off]</pre>
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
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--pin-root" -> pinRoot = Path.of(args[i + 1]);
        case "--dev" -> dev = args[i + 1];
        case "--vip" -> vip = Endpoint.parse(args[i + 1]);
        case "--backend" -> backends.add(Endpoint.parse(args[i + 1]));
        case "--derive" -> derive = onOff("--derive", args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (pinRoot == null || dev == null || vip == null || backends.isEmpty() || args.length % 2 != 0) {
      System.err.println("usage: LbInstaller --pin-root DIR --dev IFNAME --vip IP:PORT --backend IP:PORT [--backend ...] "
          + "[--derive on|off]");
      System.exit(2);
    }
    install(pinRoot, dev, vip, backends, derive);
    System.out.printf("lb: %s on %s -> %s%s; maps pinned under %s%n", vip, dev, backends,
        derive ? "" : ", replies without a session pass untranslated", pinRoot);
  }

  private static boolean onOff(String option, String value) {
    return switch (value) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException(option + " takes on or off, not " + value);
    };
  }

  static void install(Path pinRoot, String dev, Endpoint vip, List<Endpoint> backends, boolean derive) throws IOException {
    if (backends.size() > LbLayout.MAX_BACKENDS) {
      throw new IllegalArgumentException("at most " + LbLayout.MAX_BACKENDS + " backends, not " + backends.size());
    }
    Files.createDirectories(pinRoot); // libbpf creates only the last directory of a pin path
    try (BpfObject lb = BpfObject.builder(LbInstaller.class, "lb.bpf.o").pinRoot(pinRoot).load()) {
      try (BpfMap service = lb.map(LbLayout.SERVICE_MAP); BpfMap list = lb.map(LbLayout.BACKENDS_MAP)) {
        for (int i = 0; i < backends.size(); i++) {
          list.update(LbLayout.index(i), LbLayout.backend(backends.get(i)), UpdateFlag.ANY);
        }
        // The service last: the programs never see a backend count larger than the list written so far.
        service.update(LbLayout.index(0), LbLayout.service(vip, backends.size(), derive ? LbLayout.FLAG_DERIVE : 0), UpdateFlag.ANY);
      }
      // The links are left open on purpose: closing one would detach its program.
      lb.attachTc("lb_ingress", dev, true);
      lb.attachTc("lb_egress", dev, false);
    }
  }
}
