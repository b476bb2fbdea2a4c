package io.mapsync.bpf.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Drives a {@link MapWriterMain} in a child JVM: writes from another OS process. */
public final class MapWriter implements AutoCloseable {
  private final Process process;
  private final PrintWriter out;
  private final BufferedReader in;
  private final int pid;

  public MapWriter() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process =
        new ProcessBuilder(
                java,
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                MapWriterMain.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    out = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    in =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String ready = in.readLine();
    if (ready == null || !ready.startsWith("ready ")) {
      throw new IOException("map writer did not start: " + ready);
    }
    pid = Integer.parseInt(ready.substring(6));
  }

  public int pid() {
    return pid;
  }

  /** Sends one command; returns "ok" or "error ExceptionName". */
  public String send(String command) throws IOException {
    out.println(command);
    String answer = in.readLine();
    if (answer == null) {
      throw new IOException("map writer exited");
    }
    return answer;
  }

  @Override
  public void close() throws IOException {
    out.println("exit");
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
