package io.mapsync.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mapsync.bpf.testing.Require;
import io.mapsync.lab.Prerequisites;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built image tarball without a container engine: its layers unpacked in order into a root
 * directory, then its entrypoint run there with chroot in a private mount and pid namespace (proc,
 * sys with bpffs and tracefs, dev mounted as a runtime would): version, doctor, and an agent until
 * ready.
 */
class ImageChrootIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path image;
  private static Path root;
  private static JsonNode config;

  @BeforeAll
  static void unpack() throws Exception {
    Prerequisites.tool("unshare");
    Prerequisites.tool("tar");
    image = Path.of(System.getProperty("mapsync.image", "target/mapsync-image.tar"));
    Prerequisites.require(Files.exists(image), "the image was not built (" + image + ")");
    Path tar = Files.createTempDirectory("mapsync-image-tar");
    root = Files.createTempDirectory("mapsync-image-root");
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    try {
      assertEquals(
          0,
          DebInstallIT.run(List.of("tar", "-xf", image.toString(), "-C", tar.toString()))
              .exitCode());
      JsonNode manifest = JSON.readTree(tar.resolve("manifest.json").toFile()).get(0);
      assertEquals(
          System.getProperty("mapsync.image.name", "mapsync:0.1.0"),
          manifest.get("RepoTags").get(0).asText());
      config = JSON.readTree(tar.resolve(manifest.get("Config").asText()).toFile()).get("config");
      for (JsonNode layer :
          manifest.get("Layers")) { // in order: later layers overwrite earlier ones
        DebInstallIT.Result r =
            DebInstallIT.run(
                List.of(
                    "tar", "-xzf", tar.resolve(layer.asText()).toString(), "-C", root.toString()));
        assertEquals(0, r.exitCode(), r.err());
      }
    } finally {
      DebInstallIT.run(List.of("rm", "-rf", tar.toString()));
    }
  }

  @AfterAll
  static void remove() throws Exception {
    if (root != null) {
      DebInstallIT.run(List.of("rm", "-rf", "--one-file-system", root.toString()));
    }
  }

  @Test
  void theDaemonSetNamesThisImageAndItsDefaultCommand() throws Exception {
    JsonNode ds =
        new ObjectMapper(new YAMLFactory())
            .readTree(Path.of("../deploy/kubernetes/daemonset.yaml").toFile());
    JsonNode container = ds.at("/spec/template/spec/containers/0");
    assertEquals(
        System.getProperty("mapsync.image.name", "mapsync:0.1.0"), container.get("image").asText());
    assertEquals(
        List.of("agent", "--config", "/etc/mapsync/mapsync.yaml"), strings(config.get("Cmd")));
    assertEquals(
        strings(config.get("Cmd")),
        strings(container.get("args")).subList(0, 3),
        "the DaemonSet's args start as the image's default command");
  }

  @Test
  void versionAndDoctorRunFromTheUnpackedImage() throws Exception {
    DebInstallIT.Result version = inImage(List.of("version"));
    assertEquals(0, version.exitCode(), version.err());
    assertTrue(
        version.out().startsWith("mapsync: 0.1.0") && version.out().contains("java: 17"),
        version.out());

    DebInstallIT.Result doctor = inImage(List.of("doctor"));
    // the image's own libbpf and libc load the BPF objects: the same findings as on the host
    assertTrue(
        doctor.out().contains("OK   bpf maps")
            && doctor.out().contains("OK   capture tier syscall loads"),
        doctor.out() + doctor.err());
    assertTrue(doctor.out().contains("fsync") && doctor.out().endsWith("\n"), doctor.out());
  }

  @Test
  void theImagesAgentStartsUntilReady() throws Exception {
    Require.tracepoints();
    Path pins = Path.of("/sys/fs/bpf/mapsync-imagetest-" + ProcessHandle.current().pid());
    Files.createDirectories(pins);
    Path log = Files.createTempFile("mapsync-image-agent", ".log");
    List<String> cmd =
        command(
            List.of(
                "agent",
                "--id",
                "n1",
                "--data-dir",
                "/var/lib/mapsync/n1",
                "--peers",
                "n1=127.0.0.1:" + freePort(),
                "--client",
                "127.0.0.1:" + freePort(),
                "--metrics",
                "127.0.0.1:" + freePort(),
                "--map",
                "sessions:hash:8:8:1024",
                "--pin-dir",
                pins.resolve("n1").toString()));
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    try {
      ReadyLine.await(p, log, "the image's agent");
    } finally {
      p.destroy(); // unshare --kill-child ends the namespace's processes with it
      p.waitFor(60, TimeUnit.SECONDS);
      p.destroyForcibly();
      Files.deleteIfExists(log);
      DebInstallIT.run(List.of("rm", "-rf", pins.toString()));
    }
  }

  private static DebInstallIT.Result inImage(List<String> args) throws Exception {
    return DebInstallIT.run(command(args));
  }

  /**
   * The image's entrypoint with these arguments, chrooted into the unpacked root as a runtime
   * would.
   */
  private static List<String> command(List<String> args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "--pid",
                "--fork",
                "--kill-child",
                "sh",
                "-c",
                "mkdir -p \"$0/proc\" \"$0/sys\" \"$0/dev\" && mount -t proc proc \"$0/proc\" && mount --rbind /sys \"$0/sys\" && mount --rbind /dev \"$0/dev\""
                    + " && cd \"$0\" && exec chroot \"$0\" \"$@\"",
                root.toString()));
    cmd.addAll(strings(config.get("Entrypoint")));
    cmd.addAll(args);
    return cmd;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
