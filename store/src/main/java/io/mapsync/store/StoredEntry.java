package io.mapsync.store;

import com.google.protobuf.ByteString;

/**
 * One entry of a replicated map as the store holds it.
 *
 * @param key the raw BPF key bytes
 * @param value the raw BPF value bytes
 * @param modRevision the revision of the delta that wrote this value
 * @param origin the agent whose delta wrote it
 * @param originSeq that agent's capture sequence number for it
 */
public record StoredEntry(
    ByteString key, ByteString value, long modRevision, String origin, long originSeq) {}
