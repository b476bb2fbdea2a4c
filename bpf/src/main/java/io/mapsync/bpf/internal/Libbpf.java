package io.mapsync.bpf.internal;

import jnr.ffi.annotations.SaveError;

/**
 * The libbpf.so.1 functions used for object loading and attaching. Pointers travel as raw
 * addresses; libbpf 1.x returns NULL and sets errno on error.
 */
public interface Libbpf {
  long libbpf_set_print(long fn);

  @SaveError
  long bpf_object__open_mem(long buf, long size, long opts);

  int bpf_object__load(long obj);

  void bpf_object__close(long obj);

  long bpf_object__find_map_by_name(long obj, String name);

  long bpf_object__find_program_by_name(long obj, String name);

  long bpf_object__next_program(long obj, long prev);

  long bpf_object__next_map(long obj, long prev);

  String bpf_program__name(long prog);

  String bpf_map__name(long map);

  int bpf_program__fd(long prog);

  int bpf_program__set_autoload(long prog, boolean autoload);

  @SaveError
  long bpf_program__attach(long prog);

  int bpf_link__destroy(long link);

  int bpf_map__fd(long map);

  int bpf_map__set_max_entries(long map, int maxEntries);

  int bpf_map__reuse_fd(long map, int fd);

  int bpf_tc_hook_create(long hook);

  int bpf_tc_hook_destroy(long hook);

  int bpf_tc_attach(long hook, long opts);

  int bpf_tc_detach(long hook, long opts);
}
