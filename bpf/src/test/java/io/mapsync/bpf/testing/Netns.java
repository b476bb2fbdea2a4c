package io.mapsync.bpf.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A veth pair for datapath tests: the host end stays in this namespace, the peer end lives in a
 * network namespace created for the test. Closing deletes both. Addresses are test-only ones inside
 * the namespace we made.
 */
public final class Netns implements AutoCloseable {
  public final String name;
  public final String hostIf;
  public final String peerIf;
  public final String hostAddress;
  public final String peerAddress;

  public Netns(int subnet) throws IOException {
    String tag = Long.toString(ProcessHandle.current().pid() % 100000);
    this.name = "mapsync-t" + tag;
    this.hostIf = "msh" + tag;
    this.peerIf = "msp" + tag;
    this.hostAddress = "10.201." + subnet + ".1";
    this.peerAddress = "10.201." + subnet + ".2";
    cleanup();
    try {
      run("ip", "netns", "add", name);
      run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", peerIf);
      run("ip", "link", "set", peerIf, "netns", name);
      run("ip", "addr", "add", hostAddress + "/24", "dev", hostIf);
      run("ip", "link", "set", hostIf, "up");
      run("ip", "-n", name, "addr", "add", peerAddress + "/24", "dev", peerIf);
      run("ip", "-n", name, "link", "set", peerIf, "up");
      run("ip", "-n", name, "link", "set", "lo", "up");
    } catch (IOException e) {
      cleanup();
      throw e;
    }
  }

  private void cleanup() {
    quietly("ip", "link", "del", hostIf);
    quietly("ip", "netns", "del", name);
  }

  @Override
  public void close() {
    cleanup();
  }

  static void run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void quietly(String... cmd) {
    List<String> c = new ArrayList<>(List.of(cmd));
    try {
      Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor();
    } catch (IOException e) {
      // nothing to clean
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
