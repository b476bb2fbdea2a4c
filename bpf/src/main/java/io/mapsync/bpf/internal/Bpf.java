package io.mapsync.bpf.internal;

import jnr.ffi.Pointer;

/**
 * bpf(2): one raw entry point and one small method per command, each laying out its part of union
 * bpf_attr (offsets from include/uapi/linux/bpf.h). Every failure goes through {@link Errors};
 * {@code what} names the object for the message.
 */
public final class Bpf {
  static final int MAP_CREATE = 0;
  static final int MAP_LOOKUP_ELEM = 1;
  static final int MAP_UPDATE_ELEM = 2;
  static final int MAP_DELETE_ELEM = 3;
  static final int MAP_GET_NEXT_KEY = 4;
  static final int MAP_LOOKUP_AND_DELETE_ELEM = 21;
  static final int OBJ_PIN = 6;
  static final int OBJ_GET = 7;
  static final int MAP_GET_FD_BY_ID = 14;
  static final int OBJ_GET_INFO_BY_FD = 15;
  static final int MAP_LOOKUP_BATCH = 24;
  static final int ENABLE_STATS = 32;
  static final int MAP_UPDATE_BATCH = 26;
  static final int MAP_DELETE_BATCH = 27;

  private Bpf() {}

  /** The raw call: returns the kernel's non-negative result or -errno. */
  static long call(int cmd, Pointer attr, int size) {
    long r = Native.libc().syscall(Native.SYS_BPF, cmd, attr.address(), size);
    return r < 0 ? -Native.errno() : r;
  }

  private static long check(long r, String what, Boolean lookup) {
    if (r < 0) {
      throw Errors.of((int) -r, what, lookup);
    }
    return r;
  }

  public static Fd mapCreate(
      int type, int keySize, int valueSize, int maxEntries, int flags, String name, String what) {
    Scratch s = Scratch.get();
    Pointer a = s.attr;
    a.putInt(0, type);
    a.putInt(4, keySize);
    a.putInt(8, valueSize);
    a.putInt(12, maxEntries);
    a.putInt(16, flags);
    byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    a.put(28, n, 0, Math.min(n.length, 15));
    return new Fd((int) check(call(MAP_CREATE, a, 72), what, false));
  }

  /** Elem commands share one layout: map_fd, key, value or next_key, flags. */
  private static long elem(int cmd, int fd, byte[] key, byte[] value, int valueSize, long flags) {
    Scratch s = Scratch.get();
    int keyLen = key == null ? 0 : key.length;
    Pointer d = s.data((long) keyLen + valueSize);
    if (key != null) {
      d.put(0, key, 0, keyLen);
    }
    if (value != null) {
      d.put(keyLen, value, 0, value.length);
    }
    Pointer a = s.attr;
    a.putInt(0, fd);
    a.putLong(8, key == null ? 0 : d.address());
    a.putLong(16, valueSize == 0 ? 0 : d.address() + keyLen);
    a.putLong(24, flags);
    return call(cmd, a, 32);
  }

  /** The value, or null when the key is absent. */
  public static byte[] lookup(int fd, byte[] key, int valueSize, String what) {
    long r = elem(MAP_LOOKUP_ELEM, fd, key, null, valueSize, 0);
    if (r == -Errors.ENOENT) {
      return null;
    }
    check(r, what, true);
    byte[] out = new byte[valueSize];
    Scratch.get().data(0).get(key.length, out, 0, valueSize);
    return out;
  }

  /** BPF_MAP_LOOKUP_AND_DELETE_ELEM: the removed value, or null when the key was absent. */
  public static byte[] lookupAndDelete(int fd, byte[] key, int valueSize, String what) {
    long r = elem(MAP_LOOKUP_AND_DELETE_ELEM, fd, key, null, valueSize, 0);
    if (r == -Errors.ENOENT) {
      return null;
    }
    check(r, what, true);
    byte[] out = new byte[valueSize];
    Scratch.get().data(0).get(key.length, out, 0, valueSize);
    return out;
  }

  public static void update(int fd, byte[] key, byte[] value, long flags, String what) {
    check(elem(MAP_UPDATE_ELEM, fd, key, value, value.length, flags), what, true);
  }

  /** False when the key was absent. */
  public static boolean delete(int fd, byte[] key, String what) {
    long r = elem(MAP_DELETE_ELEM, fd, key, null, 0, 0);
    if (r == -Errors.ENOENT) {
      return false;
    }
    check(r, what, true);
    return true;
  }

  /** The key after {@code key} (the first key when null), or null at the end. */
  public static byte[] nextKey(int fd, byte[] key, int keySize, String what) {
    Scratch s = Scratch.get();
    Pointer d = s.data(2L * keySize);
    if (key != null) {
      d.put(0, key, 0, keySize);
    }
    Pointer a = s.attr;
    a.putInt(0, fd);
    a.putLong(8, key == null ? 0 : d.address());
    a.putLong(16, d.address() + keySize);
    long r = call(MAP_GET_NEXT_KEY, a, 32);
    if (r == -Errors.ENOENT) {
      return null;
    }
    check(r, what, false);
    byte[] out = new byte[keySize];
    d.get(keySize, out, 0, keySize);
    return out;
  }

  /**
   * BPF_MAP_UPDATE_BATCH or BPF_MAP_DELETE_BATCH (values null) over count contiguous keys and
   * values. Returns how many the kernel did before any error; the error itself is thrown after with
   * that count in its message.
   */
  public static int writeBatch(
      int fd, byte[] keys, byte[] values, int count, long elemFlags, String what) {
    Scratch s = Scratch.get();
    int vlen = values == null ? 0 : values.length;
    Pointer d = s.data((long) keys.length + vlen);
    d.put(0, keys, 0, keys.length);
    if (values != null) {
      d.put(keys.length, values, 0, vlen);
    }
    Pointer a = s.attr;
    a.putLong(16, d.address());
    a.putLong(24, values == null ? 0 : d.address() + keys.length);
    a.putInt(32, count);
    a.putInt(36, fd);
    a.putLong(40, elemFlags);
    long r = call(values == null ? MAP_DELETE_BATCH : MAP_UPDATE_BATCH, a, 56);
    int done = a.getInt(32);
    if (r < 0) {
      throw Errors.of(
          (int) -r, what + " (" + (done < count ? done : 0) + " of " + count + " done)", true);
    }
    return done;
  }

  /**
   * One BPF_MAP_LOOKUP_BATCH call into native buffers. Returns 0 or -errno (-ENOENT marks the end);
   * the number of entries read is then at attr offset 32, see {@link #batchCount}.
   */
  static long lookupBatch(
      int fd, long inBatch, long outBatch, long keys, long values, int count, Pointer attr) {
    attr.setMemory(0, 56, (byte) 0);
    attr.putLong(0, inBatch);
    attr.putLong(8, outBatch);
    attr.putLong(16, keys);
    attr.putLong(24, values);
    attr.putInt(32, count);
    attr.putInt(36, fd);
    return call(MAP_LOOKUP_BATCH, attr, 56);
  }

  static int batchCount(Pointer attr) {
    return attr.getInt(32);
  }

  public static void pin(int fd, String path, String what) {
    Scratch s = Scratch.get();
    Pointer p = cString(s, path);
    s.attr.putLong(0, p.address());
    s.attr.putInt(8, fd);
    check(call(OBJ_PIN, s.attr, 16), what, false);
  }

  public static Fd openPinned(String path, String what) {
    Scratch s = Scratch.get();
    Pointer p = cString(s, path);
    s.attr.putLong(0, p.address());
    return new Fd((int) check(call(OBJ_GET, s.attr, 16), what, false));
  }

  public static Fd mapFdById(int id, String what) {
    Scratch s = Scratch.get();
    s.attr.putInt(0, id);
    return new Fd((int) check(call(MAP_GET_FD_BY_ID, s.attr, 12), what, false));
  }

  /** struct bpf_map_info (88 bytes) of a map fd, raw. */
  public static Pointer mapInfo(int fd, String what) {
    Scratch s = Scratch.get();
    Pointer info = Native.allocate(88);
    s.attr.putInt(0, fd);
    s.attr.putInt(4, 88);
    s.attr.putLong(8, info.address());
    check(call(OBJ_GET_INFO_BY_FD, s.attr, 16), what, false);
    return info;
  }

  /**
   * struct bpf_prog_info of a program fd: run_time_ns, run_cnt, recursion_misses (offsets 192, 200,
   * 208).
   */
  public static long[] progRunStats(int fd, String what) {
    Scratch s = Scratch.get();
    Pointer info = Native.allocate(232);
    s.attr.putInt(0, fd);
    s.attr.putInt(4, 232);
    s.attr.putLong(8, info.address());
    check(call(OBJ_GET_INFO_BY_FD, s.attr, 16), what, false);
    return new long[] {info.getLong(192), info.getLong(200), info.getLong(208)};
  }

  /**
   * BPF_ENABLE_STATS(BPF_STATS_RUN_TIME): programs count their run time while the returned fd is
   * open.
   */
  public static Fd enableRunTimeStats() {
    Scratch s = Scratch.get();
    s.attr.putInt(0, 0);
    return new Fd(
        (int) check(call(ENABLE_STATS, s.attr, 4), "enable of BPF run-time statistics", false));
  }

  private static Pointer cString(Scratch s, String value) {
    byte[] b = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Pointer d = s.data(b.length + 1L);
    d.put(0, b, 0, b.length);
    d.putByte(b.length, (byte) 0);
    return d;
  }
}
