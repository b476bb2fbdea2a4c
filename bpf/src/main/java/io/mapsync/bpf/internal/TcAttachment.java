package io.mapsync.bpf.internal;

import jnr.ffi.Pointer;

/**
 * A sched_cls program on an interface's clsact hook, through libbpf's bpf_tc_* netlink helpers
 * (struct bpf_tc_hook and bpf_tc_opts of libbpf 1.x).
 */
public final class TcAttachment implements AutoCloseable {
  private static final int HOOK_SIZE = 24;
  private static final int OPTS_SIZE = 32;
  private final Pointer hook = Native.allocate(HOOK_SIZE);
  private final Pointer opts = Native.allocate(OPTS_SIZE);
  private final String what;
  private boolean attached;

  public TcAttachment(int ifindex, boolean ingress, int progFd, String what) {
    this.what = what;
    hook.putLong(0, HOOK_SIZE);
    hook.putInt(8, ifindex);
    hook.putInt(12, ingress ? 1 : 2); // BPF_TC_INGRESS, BPF_TC_EGRESS
    int r = Native.libbpf().bpf_tc_hook_create(hook.address());
    if (r < 0 && r != -Errors.EEXIST) { // an existing clsact qdisc is fine
      throw Errors.of(-r, "clsact hook for " + what, false);
    }
    opts.putLong(0, OPTS_SIZE);
    opts.putInt(8, progFd);
    opts.putInt(20, 1); // handle
    opts.putInt(24, 1); // priority
    r = Native.libbpf().bpf_tc_attach(hook.address(), opts.address());
    if (r < 0) {
      throw Errors.of(-r, "tc attach of " + what, false);
    }
    attached = true;
  }

  @Override
  public void close() {
    if (attached) {
      attached = false;
      opts.putInt(8, 0); // detach names the filter by handle and priority only
      opts.putInt(12, 0);
      opts.putInt(16, 0);
      Native.libbpf().bpf_tc_detach(hook.address(), opts.address());
    }
  }

  /** The index of a network interface in this process's namespace, or a typed error. */
  public static int ifindex(String name) {
    int index = Native.libc().if_nametoindex(name);
    if (index == 0) {
      throw Errors.of(Native.errno(), "interface '" + name + "'", false);
    }
    return index;
  }
}
