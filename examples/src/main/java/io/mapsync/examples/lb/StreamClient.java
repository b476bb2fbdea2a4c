package io.mapsync.examples.lb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A long TCP stream through the VIP whose bytes the client verifies: numbered lines, each with a
 * pattern derived from its number, echoed by the backend ({@link EchoServer}) and compared line by
 * line. It runs until the stop file appears, waits for every sent line to come back, and prints one
 * result line. Run inside the client's namespace.
 *
 * <pre>StreamClient 10.13.13.13:8000 /tmp/stop   prints "stream started BACKEND", then
 *   "stream ok lines=N bytes=B max_stall_ms=S" or "stream failed WHY"</pre>
 */
public final class StreamClient {
  private static final int LINES_PER_SECOND = 1000;

  /** The writer's last line: its echo tells the reader that every line has come back. */
  private static final String END = "end";

  private StreamClient() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: StreamClient VIP:PORT STOP_FILE");
      System.exit(2);
    }
    System.out.println(run(Endpoint.parse(args[0]), Path.of(args[1])));
  }

  static String line(long n) {
    StringBuilder b = new StringBuilder("seq ").append(n).append(' ');
    for (int i = 0; i < 200; i++) {
      b.append((char) ('a' + (n * 31 + i) % 26));
    }
    return b.toString();
  }

  private static String run(Endpoint vip, Path stop) {
    AtomicLong sent = new AtomicLong();
    try (Socket s = new Socket()) {
      s.connect(vip.socketAddress(), 10_000);
      s.setTcpNoDelay(true);
      OutputStream out = s.getOutputStream();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      out.write((line(0) + "\n").getBytes(StandardCharsets.UTF_8));
      sent.set(1);
      String first = in.readLine();
      String backend = first == null ? "?" : first.split(" ", 2)[0];
      if (first == null || !first.equals(backend + " " + line(0))) {
        return "stream failed first echo was " + first;
      }
      System.out.println("stream started " + backend);
      System.out.flush();
      Thread writer = new Thread(() -> write(out, sent, stop), "stream-writer");
      writer.start();
      return verify(in, backend, sent, writer);
    } catch (IOException | InterruptedException e) {
      return "stream failed " + e;
    }
  }

  private static void write(OutputStream out, AtomicLong sent, Path stop) {
    long start = System.nanoTime();
    try {
      while (!Files.exists(stop)) {
        long due = (System.nanoTime() - start) * LINES_PER_SECOND / 1_000_000_000L;
        while (sent.get() <= due) {
          out.write((line(sent.get()) + "\n").getBytes(StandardCharsets.UTF_8));
          sent.incrementAndGet();
        }
        Thread.sleep(5);
      }
      out.write((END + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException | InterruptedException e) {
      // the reader reports the broken connection
    }
  }

  private static String verify(BufferedReader in, String backend, AtomicLong sent, Thread writer)
      throws IOException, InterruptedException {
    long received = 1;
    long bytes = 0;
    long last = System.nanoTime();
    long maxStall = 0;
    while (true) {
      String l = in.readLine();
      if (l == null) {
        return "stream failed closed after " + received + " lines";
      }
      if (l.equals(backend + " " + END)) {
        break;
      }
      if (!l.equals(backend + " " + line(received))) {
        return "stream failed line " + received + " corrupted: " + l;
      }
      long now = System.nanoTime();
      maxStall = Math.max(maxStall, now - last);
      last = now;
      bytes += l.length() + 1;
      received++;
    }
    writer.join();
    if (received != sent.get()) {
      return "stream failed sent " + sent.get() + " lines, " + received + " came back";
    }
    return String.format(
        "stream ok lines=%d bytes=%d max_stall_ms=%d", received, bytes, maxStall / 1_000_000);
  }
}
