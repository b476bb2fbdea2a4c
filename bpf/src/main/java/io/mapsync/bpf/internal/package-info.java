/**
 * The native side: jnr-ffi bindings of libc and libbpf, the raw bpf(2) entry point with one small
 * method per command, the errno mapping, owned descriptors, memory mappings and the ring buffer
 * reader. The only package allowed to import jnr-ffi (enforced by the root pom); not an API.
 */
package io.mapsync.bpf.internal;
