package io.mapsync.examples.lb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The client: talks to the virtual service and reports where each answer came from. Commands, one
 * per line on stdin, one answer line each on stdout:
 *
 * <pre>
 * ask PORT PAYLOAD TIMEOUT_MS   UDP from local PORT (one socket per port, so one flow per port);
 *                               prints "reply SRC_IP:SRC_PORT MICROS TEXT" or "timeout"
 * send PORT PAYLOAD             UDP, no wait; prints "sent"
 * tcp PAYLOAD TIMEOUT_MS        connect, send a line, read one; prints "tcp CONNECT_MS TEXT" or "tcp-failed WHY"
 * connects COUNT TIMEOUT_MS     COUNT such TCP exchanges one after another, each from a new port; prints
 *                               "connects OK FAILED P50_US P99_US MAX_US" over the connect() times
 * sleep MS                      pauses; prints "slept"
 * </pre>
 *
 * The UDP sockets are not connected, so a reply from an unexpected address (the backend's own, when
 * no LB translated it) is received and shown rather than dropped by the kernel.
 */
public final class VipClient {
  private final Endpoint vip;
  private final Map<Integer, DatagramSocket> sockets = new HashMap<>();

  private VipClient(Endpoint vip) {
    this.vip = vip;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: VipClient VIP:PORT  (commands on stdin)");
      System.exit(2);
    }
    VipClient client = new VipClient(Endpoint.parse(args[0]));
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("client ready");
    System.out.flush();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (!line.isBlank()) {
        System.out.println(client.run(line.trim().split("\\s+")));
        System.out.flush();
      }
    }
  }

  private String run(String[] cmd) {
    try {
      return switch (cmd[0]) {
        case "ask" -> ask(Integer.parseInt(cmd[1]), cmd[2], Integer.parseInt(cmd[3]));
        case "send" -> send(Integer.parseInt(cmd[1]), cmd[2]);
        case "tcp" -> tcp(cmd[1], Integer.parseInt(cmd[2]));
        case "connects" ->
            ConnectTimes.run(vip, Integer.parseInt(cmd[1]), Integer.parseInt(cmd[2]));
        case "sleep" -> sleep(Long.parseLong(cmd[1]));
        default -> "error unknown command " + cmd[0];
      };
    } catch (IOException | RuntimeException e) {
      return "error " + e;
    }
  }

  private static String sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "slept";
  }

  private DatagramSocket socket(int port) throws IOException {
    DatagramSocket s = sockets.get(port);
    if (s == null) {
      s = new DatagramSocket(new InetSocketAddress(port));
      sockets.put(port, s);
    }
    return s;
  }

  private String send(int port, String payload) throws IOException {
    byte[] data = payload.getBytes(StandardCharsets.UTF_8);
    socket(port).send(new DatagramPacket(data, data.length, vip.socketAddress()));
    return "sent";
  }

  private String ask(int port, String payload, int timeoutMs) throws IOException {
    DatagramSocket s = socket(port);
    drain(s);
    long start = System.nanoTime();
    send(port, payload);
    long deadline = start + timeoutMs * 1_000_000L;
    byte[] buf = new byte[2048];
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        return "timeout";
      }
      s.setSoTimeout((int) left);
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      try {
        s.receive(in);
      } catch (SocketTimeoutException e) {
        return "timeout";
      }
      String text = new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
      if (text.endsWith(" " + payload)) { // a late answer to an earlier ask is not this one's
        InetSocketAddress from = (InetSocketAddress) in.getSocketAddress();
        return String.format(
            "reply %s:%d %d %s",
            from.getAddress().getHostAddress(),
            from.getPort(),
            (System.nanoTime() - start) / 1000,
            text);
      }
    }
  }

  /** Drops answers that arrived after their ask gave up. */
  private static void drain(DatagramSocket s) throws IOException {
    s.setSoTimeout(1);
    byte[] buf = new byte[2048];
    try {
      while (true) {
        s.receive(new DatagramPacket(buf, buf.length));
      }
    } catch (SocketTimeoutException e) {
      // empty
    }
  }

  private String tcp(String payload, int timeoutMs) {
    long start = System.nanoTime();
    try (Socket s = new Socket()) {
      s.connect(vip.socketAddress(), timeoutMs);
      long connectMs = (System.nanoTime() - start) / 1_000_000L;
      s.setSoTimeout(timeoutMs);
      s.getOutputStream().write((payload + "\n").getBytes(StandardCharsets.UTF_8));
      String reply =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      return reply == null ? "tcp-failed closed before a reply" : "tcp " + connectMs + " " + reply;
    } catch (IOException e) {
      return "tcp-failed " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }
}
