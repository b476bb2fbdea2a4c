package io.mapsync.agent.sync;

import com.google.protobuf.ByteString;

/** One entry's identity: which map, which raw key. */
public record MapKey(String map, ByteString key) {}
