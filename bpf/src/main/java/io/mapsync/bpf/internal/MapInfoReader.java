package io.mapsync.bpf.internal;

import io.mapsync.bpf.BpfMapInfo;
import io.mapsync.bpf.BpfMapType;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Pointer;

/** Decodes struct bpf_map_info for a map fd. */
public final class MapInfoReader {
  private MapInfoReader() {}

  public static BpfMapInfo read(int fd) {
    Pointer p = Bpf.mapInfo(fd, "info of map fd " + fd);
    byte[] name = new byte[16];
    p.get(24, name, 0, 16);
    int len = 0;
    while (len < 16 && name[len] != 0) {
      len++;
    }
    return new BpfMapInfo(
        p.getInt(4),
        new String(name, 0, len, StandardCharsets.US_ASCII),
        BpfMapType.of(p.getInt(0)),
        p.getInt(8),
        p.getInt(12),
        p.getInt(16),
        p.getInt(20));
  }
}
