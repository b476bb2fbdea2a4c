package io.mapsync.bpf;

import io.mapsync.bpf.internal.LibbpfObject;
import io.mapsync.bpf.internal.TcAttachment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A BPF ELF object loaded into the kernel through libbpf (CO-RE relocated against the running
 * kernel): its maps, its programs, and attaching them. Closing it unloads the programs and releases
 * the maps it created (maps handed out by {@link #map} stay alive until they are closed too).
 */
public final class BpfObject implements AutoCloseable {
  private final LibbpfObject object;
  private final String name;

  private BpfObject(LibbpfObject object, String name) {
    this.object = object;
    this.name = name;
  }

  /** Starts loading an object from ELF bytes. */
  public static Builder builder(String name, byte[] elf) {
    return new Builder(name, elf);
  }

  /** Starts loading an object from a class-path resource (the committed .bpf.o files). */
  public static Builder builder(Class<?> anchor, String resource) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "no BPF object resource " + resource + " next to " + anchor.getName());
      }
      String file = resource.substring(resource.lastIndexOf('/') + 1);
      return new Builder(file.replace(".bpf.o", ""), in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read BPF object " + resource, e);
    }
  }

  /** An owned handle on one of the object's maps. */
  public BpfMap map(String mapName) {
    return BpfMap.adopt(object.mapFd(mapName));
  }

  /** Program names in ELF order. */
  public List<String> programs() {
    return object.programs();
  }

  /** Run statistics of one of the object's programs. */
  public ProgramStats programStats(String program) {
    long[] s =
        io.mapsync.bpf.internal.Bpf.progRunStats(
            object.programFd(program), "info of program '" + program + "'");
    return new ProgramStats(s[0], s[1], s[2]);
  }

  /** Attaches a program where its section says (tracepoint/..., fexit/...). */
  public BpfLink attach(String program) {
    long link = object.attach(program);
    return new BpfLink(name + "/" + program, () -> LibbpfObject.destroyLink(link));
  }

  /**
   * Attaches every program of the object where its section says; on failure, detaches those
   * attached.
   */
  public List<BpfLink> attachAll() {
    List<BpfLink> links = new ArrayList<>();
    try {
      for (String p : programs()) {
        links.add(attach(p));
      }
    } catch (RuntimeException e) {
      links.forEach(BpfLink::close);
      throw e;
    }
    return links;
  }

  /**
   * Attaches a tc (sched_cls) program to an interface's ingress or egress, creating the clsact
   * qdisc if needed.
   */
  public BpfLink attachTc(String program, String ifname, boolean ingress) {
    String what = "program '" + program + "' on " + ifname + (ingress ? " ingress" : " egress");
    TcAttachment tc =
        new TcAttachment(TcAttachment.ifindex(ifname), ingress, object.programFd(program), what);
    return new BpfLink(what, tc::close);
  }

  @Override
  public void close() {
    object.close();
  }

  /** Configures an object before it is loaded. */
  public static final class Builder {
    private final String name;
    private final byte[] elf;
    private Path pinRoot;
    private final Map<String, Integer> maxEntries = new LinkedHashMap<>();
    private final Map<String, BpfMap> reused = new LinkedHashMap<>();
    private final List<String> disabled = new ArrayList<>();

    private Builder(String name, byte[] elf) {
      this.name = name;
      this.elf = elf;
    }

    /** Where maps declared with LIBBPF_PIN_BY_NAME are pinned (default /sys/fs/bpf). */
    public Builder pinRoot(Path dir) {
      this.pinRoot = dir;
      return this;
    }

    public Builder maxEntries(String map, int entries) {
      maxEntries.put(map, entries);
      return this;
    }

    /** Uses an existing map instead of creating the declared one. */
    public Builder reuseMap(String map, BpfMap existing) {
      reused.put(map, existing);
      return this;
    }

    /** Leaves a program out of the load. */
    public Builder disable(String program) {
      disabled.add(program);
      return this;
    }

    public BpfObject load() {
      LibbpfObject o = new LibbpfObject(name, elf, pinRoot == null ? null : pinRoot.toString());
      try {
        maxEntries.forEach(o::setMaxEntries);
        reused.forEach((m, map) -> o.reuseMap(m, map.fd()));
        disabled.forEach(p -> o.setAutoload(p, false));
        o.load();
        return new BpfObject(o, name);
      } catch (RuntimeException e) {
        o.close();
        throw e;
      }
    }
  }
}
