package io.mapsync.chaos.cluster;

import io.mapsync.lab.Shell;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A member's data dir on a small tmpfs of its own, so a fault can fill its file system and free it
 * again, as a disk that fills up on one host. The mount's source is named after the lab run, so
 * {@link LabJanitor} can unmount what a dead run left.
 */
public final class DataDisk {
  static final String FILLER = "disk-full-filler";

  private final Path dir;

  private DataDisk(Path dir) {
    this.dir = dir;
  }

  /** Mounts a tmpfs of {@code size} (e.g. "16m") on dir, created if needed. */
  static DataDisk mount(String source, Path dir, String size) throws IOException {
    Files.createDirectories(dir);
    Shell.run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", source, dir.toString());
    return new DataDisk(dir);
  }

  /**
   * Writes a file until the file system has no byte left (ENOSPC); returns its size. The member's
   * next log or snapshot write then fails as on a full disk.
   */
  public long fill() throws IOException {
    Path filler = dir.resolve(FILLER);
    byte[] chunk = new byte[64 * 1024];
    long written = 0;
    try (OutputStream out = Files.newOutputStream(filler)) {
      int size = chunk.length;
      while (size > 0) {
        try {
          out.write(chunk, 0, size);
          written += size;
        } catch (IOException e) {
          if (!noSpace(e)) {
            throw e;
          }
          size /= 2; // fill the last pages too
        }
      }
    } catch (IOException e) {
      // closing flushes nothing more (unbuffered); a close failing for lack of space is expected
      if (!noSpace(e)) {
        throw e;
      }
    }
    return written;
  }

  private static boolean noSpace(IOException e) {
    return e.getMessage() != null
        && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("no space");
  }

  /** Frees what {@link #fill()} took: the operator deletes what filled the disk. */
  public void free() throws IOException {
    Files.deleteIfExists(dir.resolve(FILLER));
  }

  /** Lazily, so a process still holding a file there does not keep the clean-up from finishing. */
  void unmount() {
    Shell.quietly("umount", "-l", dir.toString());
  }
}
