package io.mapsync.raft.etcdapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mapsync.lab.Prerequisites;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the real etcdctl (API v3) against a facade, for tests. */
final class Etcdctl {
  private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");
  private final Path binary;
  private final String endpoints;

  /** Needs etcdctl on the PATH: the test skips without it, or fails under MAPSYNC_REQUIRE_ALL=1. */
  static Etcdctl against(String endpoints) {
    return new Etcdctl(
        Prerequisites.tool("etcdctl", "Debian: apt-get install etcd-client"), endpoints);
  }

  private Etcdctl(Path binary, String endpoints) {
    this.binary = binary;
    this.endpoints = endpoints;
  }

  /** What one etcdctl run printed. */
  record Result(int exit, String out, String err) {
    Result ok() {
      assertEquals(0, exit, "etcdctl failed: " + err + out);
      return this;
    }

    /** The header revision of a command run with -w json. */
    long revision() {
      Matcher m = REVISION.matcher(out);
      if (!m.find()) {
        throw new AssertionError("no revision in: " + out);
      }
      return Long.parseLong(m.group(1));
    }
  }

  Result run(String... args) {
    return runWithInput((byte[]) null, args);
  }

  /** Runs etcdctl with stdin (as "etcdctl txn" reads it) and waits for it to exit. */
  Result runWithInput(String stdin, String... args) {
    return runWithInput(stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8), args);
  }

  /** Runs etcdctl with binary stdin ("etcdctl put KEY" reads the value from there). */
  Result runWithInput(byte[] stdin, String... args) {
    try {
      Process p = process(args).start();
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin);
        }
      }
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("etcdctl " + String.join(" ", args) + " did not finish in 30 s");
      }
      return new Result(p.exitValue(), read(p.getInputStream()), read(p.getErrorStream()));
    } catch (IOException e) {
      throw new AssertionError("cannot run etcdctl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Starts a long-running etcdctl (watch, keep-alive) whose output lines can be awaited. */
  Running start(String... args) {
    try {
      return new Running(process(args).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new AssertionError("cannot run etcdctl", e);
    }
  }

  private ProcessBuilder process(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "--endpoints=" + endpoints,
                "--dial-timeout=5s",
                "--command-timeout=15s"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("ETCDCTL_API", "3");
    return pb;
  }

  private static String read(java.io.InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** A running etcdctl; its output arrives line by line. */
  static final class Running implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Running(Process process) {
      this.process = process;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // the process ended
                }
              },
              "etcdctl-output");
      reader.setDaemon(true);
      reader.start();
    }

    /** The next n lines, failing if they do not come in time. */
    List<String> next(int n, Duration timeout) throws InterruptedException {
      List<String> out = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < n) {
        String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new AssertionError(
              "etcdctl printed " + out + " but not " + n + " lines in " + timeout);
        }
        out.add(line);
      }
      return out;
    }

    boolean waitForExit(Duration timeout) throws InterruptedException {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
