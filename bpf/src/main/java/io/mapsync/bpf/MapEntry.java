package io.mapsync.bpf;

/** One key and its value, as bpf() exchanges them. */
public record MapEntry(byte[] key, byte[] value) {}
