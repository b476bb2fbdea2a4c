package io.mapsync.agent.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel checks read /proc and /sys; a fake tree shows each failure and its fix. */
class KernelChecksTest {
  @TempDir Path root;

  private void write(String relative, String text) throws IOException {
    Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @Test
  void anOldLockedDownKernelWithoutMountsFailsEachCheckWithItsFix() throws IOException {
    write("proc/sys/kernel/osrelease", "4.19.0-27-amd64\n");
    write("proc/mounts", "proc /proc proc rw 0 0\n");
    write("sys/kernel/security/lockdown", "none integrity [confidentiality]\n");
    KernelChecks k = new KernelChecks(root);
    assertEquals(Finding.Status.FAIL, k.kernel().status());
    assertTrue(k.kernel().fix().contains("5.8"), k.kernel().toString());
    assertEquals(Finding.Status.WARN, k.btf().status());
    assertEquals(Finding.Status.FAIL, k.tracefs().status());
    assertTrue(k.tracefs().fix().startsWith("mount -t tracefs"), k.tracefs().toString());
    assertEquals(Finding.Status.FAIL, k.all().get(2).status(), "bpffs");
    assertEquals(Finding.Status.FAIL, k.lockdown().status());
    assertTrue(k.lockdown().detail().startsWith("confidentiality"), k.lockdown().toString());
  }

  @Test
  void aRecentKernelWithItsFileSystemsPasses() throws IOException {
    write("proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
    write(
        "proc/mounts", "bpf /sys/fs/bpf bpf rw 0 0\ntracefs /sys/kernel/tracing tracefs rw 0 0\n");
    write("sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
    write("sys/kernel/btf/vmlinux", "");
    for (Finding c : new KernelChecks(root).all()) {
      assertEquals(Finding.Status.OK, c.status(), c.toString());
    }
  }
}
