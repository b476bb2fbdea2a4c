package io.mapsync.examples.lb;

import io.mapsync.lab.ChildProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Drives a {@link VipClient} running in the client's namespace: one command line, one answer line.
 */
final class Client implements AutoCloseable {
  /** A UDP answer: who sent it (the VIP when an LB translated it) and how long it took. */
  record Reply(Endpoint from, long micros, String text) {}

  /**
   * What {@code connects} measured: successful and failed exchanges, connect() percentiles in
   * microseconds.
   */
  record Connects(int ok, int failed, long p50Micros, long p99Micros, long maxMicros) {
    @Override
    public String toString() {
      return String.format(
          "%d TCP connects through the VIP (%d failed): p50 %.2f ms, p99 %.2f ms, max %.2f ms",
          ok, failed, p50Micros / 1000.0, p99Micros / 1000.0, maxMicros / 1000.0);
    }
  }

  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  Client(Topology topology) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(topology.in("client"));
    cmd.addAll(Java.command(VipClient.class, Topology.VIP.toString()));
    process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the client ended
              }
            },
            "vip-client-output");
    reader.setDaemon(true);
    reader.start();
    String ready = lines.poll(60, TimeUnit.SECONDS);
    if (!"client ready".equals(ready)) {
      throw new IOException("the client did not start: " + ready);
    }
  }

  /** Sends commands at once (so they leave within a millisecond or so), returns their answers. */
  List<String> commands(List<String> commands) throws IOException, InterruptedException {
    stdin.write(String.join("\n", commands) + "\n");
    stdin.flush();
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      String a = lines.poll(30, TimeUnit.SECONDS);
      if (a == null) {
        throw new IOException("no answer from the client to " + commands.get(i));
      }
      answers.add(a);
    }
    return answers;
  }

  String command(String command) throws IOException, InterruptedException {
    return commands(List.of(command)).get(0);
  }

  /**
   * One UDP request from a local port (a flow per port); null when no answer came within the
   * timeout.
   */
  Reply ask(int port, String payload, int timeoutMs) throws IOException, InterruptedException {
    String a = command("ask " + port + " " + payload + " " + timeoutMs);
    if (a.equals("timeout")) {
      return null;
    }
    String[] f = a.split(" ", 4);
    if (!f[0].equals("reply")) {
      throw new IOException("client: " + a);
    }
    return new Reply(Endpoint.parse(f[1]), Long.parseLong(f[2]), f[3]);
  }

  /** count TCP exchanges one after another, each from a new port (a new flow). */
  Connects connects(int count, int timeoutMs) throws IOException, InterruptedException {
    String a = command("connects " + count + " " + timeoutMs);
    String[] f = a.split(" ");
    if (!f[0].equals("connects")) {
      throw new IOException("client: " + a);
    }
    return new Connects(
        Integer.parseInt(f[1]),
        Integer.parseInt(f[2]),
        Long.parseLong(f[3]),
        Long.parseLong(f[4]),
        Long.parseLong(f[5]));
  }

  @Override
  public void close() {
    ChildProcess.stop(process, 10);
  }
}
