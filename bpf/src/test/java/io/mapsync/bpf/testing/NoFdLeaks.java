package io.mapsync.bpf.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves kernel-object descriptors open: compares the anon-inode fds (bpf maps,
 * programs, links, eventfds) in /proc/self/fd before and after. Plain files are left out: the JVM
 * opens those lazily.
 */
public final class NoFdLeaks implements BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(NoFdLeaks.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NS).put("fds", openKernelFds());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    @SuppressWarnings("unchecked")
    Map<Integer, String> before = (Map<Integer, String>) context.getStore(NS).get("fds");
    Map<Integer, String> leaked = new TreeMap<>(openKernelFds());
    leaked.keySet().removeAll(before.keySet());
    if (!leaked.isEmpty()) {
      fail("leaked file descriptors: " + leaked);
    }
  }

  /** fd number to link target, for anonymous kernel objects. */
  public static Map<Integer, String> openKernelFds() {
    Map<Integer, String> out = new TreeMap<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path p : dir) {
        try {
          String target = Files.readSymbolicLink(p).toString();
          if (target.startsWith("anon_inode:")) {
            out.put(Integer.parseInt(p.getFileName().toString()), target);
          }
        } catch (IOException e) {
          // the fd closed while we listed: not a leak
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc/self/fd", e);
    }
    return out;
  }
}
