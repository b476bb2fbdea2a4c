package io.mapsync.bpf.internal;

import io.mapsync.bpf.BpfException;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Pointer;

/**
 * A libbpf bpf_object opened from ELF bytes: configure maps and programs, load, look up, attach,
 * close. The ELF bytes and the kernel log stay in native memory for the object's life because
 * libbpf refers to them.
 */
public final class LibbpfObject implements AutoCloseable {
  private static final int OPTS_SIZE = 80;
  private static final int LOG_SIZE = 1 << 20;

  private final String name;
  private final Pointer elf;
  private final Pointer opts;
  private final Pointer log;
  private final Pointer objectName;
  private final Pointer pinRoot;
  private long obj;

  public LibbpfObject(String name, byte[] elfBytes, String pinRoot) {
    this.name = name;
    this.elf = Native.allocate(elfBytes.length);
    elf.put(0, elfBytes, 0, elfBytes.length);
    this.log = Native.allocate(LOG_SIZE);
    this.opts = Native.allocate(OPTS_SIZE);
    this.objectName = cString(name);
    this.pinRoot = pinRoot == null ? null : cString(pinRoot);
    // struct bpf_object_open_opts of libbpf 1.x: sz, object_name, ..., pin_root_path, ...,
    // kernel_log_buf, kernel_log_size
    opts.putLong(0, OPTS_SIZE);
    opts.putLong(8, objectName.address());
    if (this.pinRoot != null) {
      opts.putLong(24, this.pinRoot.address());
    }
    opts.putLong(56, log.address());
    opts.putLong(64, LOG_SIZE);
    obj = Native.libbpf().bpf_object__open_mem(elf.address(), elfBytes.length, opts.address());
    if (obj == 0) {
      throw Errors.of(Native.errno(), "open of BPF object '" + name + "'", false);
    }
  }

  private static Pointer cString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    Pointer p = Native.allocate(b.length + 1L);
    p.put(0, b, 0, b.length);
    return p;
  }

  private long map(String mapName) {
    long m = Native.libbpf().bpf_object__find_map_by_name(handle(), mapName);
    if (m == 0) {
      throw new BpfException("BPF object '" + name + "' has no map '" + mapName + "'", 0);
    }
    return m;
  }

  private long program(String progName) {
    long p = Native.libbpf().bpf_object__find_program_by_name(handle(), progName);
    if (p == 0) {
      throw new BpfException("BPF object '" + name + "' has no program '" + progName + "'", 0);
    }
    return p;
  }

  public void setMaxEntries(String mapName, int maxEntries) {
    check(
        Native.libbpf().bpf_map__set_max_entries(map(mapName), maxEntries),
        "resize of map '" + mapName + "'");
  }

  /**
   * Makes the object use an existing map instead of creating its own (the fd is dup'ed by libbpf).
   */
  public void reuseMap(String mapName, int fd) {
    check(Native.libbpf().bpf_map__reuse_fd(map(mapName), fd), "reuse of map '" + mapName + "'");
  }

  public void setAutoload(String progName, boolean autoload) {
    check(
        Native.libbpf().bpf_program__set_autoload(program(progName), autoload),
        "autoload of program '" + progName + "'");
  }

  /**
   * Loads maps and programs into the kernel; the verifier's log tail is in the message on failure.
   */
  public void load() {
    int r = Native.libbpf().bpf_object__load(handle());
    if (r < 0) {
      String tail = logTail();
      throw Errors.of(
          -r,
          "load of BPF object '"
              + name
              + "'"
              + (tail.isEmpty() ? "" : "; kernel log ends:\n" + tail),
          false);
    }
  }

  /** An owned duplicate of the fd libbpf holds for a map. */
  public Fd mapFd(String mapName) {
    int fd = Native.libbpf().bpf_map__fd(map(mapName));
    if (fd < 0) {
      throw Errors.of(-fd, "fd of map '" + mapName + "' in BPF object '" + name + "'", false);
    }
    return Fd.dupOf(fd);
  }

  public int programFd(String progName) {
    int fd = Native.libbpf().bpf_program__fd(program(progName));
    if (fd < 0) {
      throw Errors.of(-fd, "fd of program '" + progName + "' in BPF object '" + name + "'", false);
    }
    return fd;
  }

  /**
   * Attaches a program where its section name says (tracepoint, fexit, ...); returns the bpf_link
   * pointer.
   */
  public long attach(String progName) {
    long link = Native.libbpf().bpf_program__attach(program(progName));
    if (link == 0) {
      throw Errors.of(
          Native.errno(),
          "attach of program '" + progName + "' in BPF object '" + name + "'",
          false);
    }
    return link;
  }

  public static void destroyLink(long link) {
    Native.libbpf().bpf_link__destroy(link);
  }

  /** Names of the programs in the object, in ELF order. */
  public java.util.List<String> programs() {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (long p = Native.libbpf().bpf_object__next_program(handle(), 0);
        p != 0;
        p = Native.libbpf().bpf_object__next_program(handle(), p)) {
      out.add(Native.libbpf().bpf_program__name(p));
    }
    return out;
  }

  private long handle() {
    if (obj == 0) {
      throw new IllegalStateException("BPF object '" + name + "' is closed");
    }
    return obj;
  }

  private void check(int r, String what) {
    if (r < 0) {
      throw Errors.of(-r, what + " in BPF object '" + name + "'", false);
    }
  }

  private String logTail() {
    byte[] b = new byte[LOG_SIZE];
    log.get(0, b, 0, LOG_SIZE);
    int len = 0;
    while (len < LOG_SIZE && b[len] != 0) {
      len++;
    }
    String s = new String(b, 0, len, StandardCharsets.UTF_8).strip();
    return s.length() > 1500 ? s.substring(s.length() - 1500) : s;
  }

  @Override
  public void close() {
    if (obj != 0) {
      Native.libbpf().bpf_object__close(obj);
      obj = 0;
    }
  }
}
