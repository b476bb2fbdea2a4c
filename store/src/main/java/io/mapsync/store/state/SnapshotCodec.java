package io.mapsync.store.state;

import com.google.protobuf.ByteString;
import io.mapsync.wire.KeyValue;
import io.mapsync.wire.KvChunk;
import io.mapsync.wire.LeaseChunk;
import io.mapsync.wire.LeaseRecord;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.MapSpecChunk;
import io.mapsync.wire.OriginChunk;
import io.mapsync.wire.OriginMark;
import io.mapsync.wire.SnapshotChunk;
import io.mapsync.wire.SnapshotHeader;
import io.mapsync.wire.SnapshotTrailer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The snapshot format: a header, the specs, origins and leases, the keys in chunks, and a trailer
 * holding the key count and a CRC32C of everything before it. A truncated or altered file is
 * refused, never half-loaded.
 */
final class SnapshotCodec {
  static final int FORMAT_VERSION = 1;
  private static final int KVS_PER_CHUNK = 1024;

  /** What the header of a snapshot says. */
  record Header(long revision, long term, long compactRevision) {}

  private SnapshotCodec() {}

  /**
   * What a snapshot holds, copied by reference (entries are immutable) so the caller can hold the
   * replica's lock for this copy only and serialize after releasing it.
   */
  record Cut(
      List<MapSpec> specs, List<OriginMark> origins, List<LeaseRecord> leases, KeyValue[] kvs) {}

  /** Takes the cut; the caller holds the lock that keeps the key space still. */
  static Cut cut(KeySpace space) {
    KeyValue[] kvs = new KeyValue[space.size()];
    int i = 0;
    for (KeyValue kv : space.all()) {
      kvs[i++] = kv;
    }
    List<LeaseRecord> leases = new ArrayList<>(space.leases.size());
    space
        .leases
        .values()
        .forEach(
            l ->
                leases.add(
                    LeaseRecord.newBuilder().setId(l.id).setTtlSeconds(l.ttlSeconds).build()));
    return new Cut(
        List.copyOf(space.specs.values()), List.copyOf(space.origins.all()), leases, kvs);
  }

  static void write(Cut cut, long revision, long term, long compactRevision, OutputStream raw)
      throws IOException {
    CRC32C crc = new CRC32C();
    CheckedOutputStream out = new CheckedOutputStream(raw, crc);
    chunk(
        SnapshotChunk.newBuilder()
            .setHeader(
                SnapshotHeader.newBuilder()
                    .setFormatVersion(FORMAT_VERSION)
                    .setRevision(revision)
                    .setTerm(term)
                    .setCompactRevision(compactRevision)),
        out);
    chunk(
        SnapshotChunk.newBuilder().setMaps(MapSpecChunk.newBuilder().addAllSpecs(cut.specs)), out);
    chunk(
        SnapshotChunk.newBuilder().setOrigins(OriginChunk.newBuilder().addAllMarks(cut.origins)),
        out);
    chunk(
        SnapshotChunk.newBuilder().setLeases(LeaseChunk.newBuilder().addAllLeases(cut.leases)),
        out);
    KvChunk.Builder kvs = KvChunk.newBuilder();
    long count = 0;
    for (KeyValue kv : cut.kvs) {
      kvs.addKvs(kv);
      count++;
      if (kvs.getKvsCount() == KVS_PER_CHUNK) {
        chunk(SnapshotChunk.newBuilder().setKvs(kvs), out);
        kvs = KvChunk.newBuilder();
      }
    }
    if (kvs.getKvsCount() > 0) {
      chunk(SnapshotChunk.newBuilder().setKvs(kvs), out);
    }
    SnapshotTrailer trailer =
        SnapshotTrailer.newBuilder().setKvCount(count).setCrc32C((int) crc.getValue()).build();
    SnapshotChunk.newBuilder().setTrailer(trailer).build().writeDelimitedTo(raw);
    raw.flush();
  }

  private static void chunk(SnapshotChunk.Builder chunk, OutputStream out) throws IOException {
    chunk.build().writeDelimitedTo(out);
  }

  /** Reads a snapshot into an empty key space; throws if it is damaged or of an unknown format. */
  static Header read(KeySpace into, InputStream raw) throws IOException {
    CRC32C crc = new CRC32C();
    CheckedInputStream in = new CheckedInputStream(raw, crc);
    Header header = null;
    long count = 0;
    while (true) {
      long crcBefore = crc.getValue();
      SnapshotChunk chunk = nextChunk(in);
      if (chunk == null) {
        throw new IOException("snapshot is truncated: no trailer");
      }
      if (header == null && chunk.getPartCase() != SnapshotChunk.PartCase.HEADER) {
        throw new IOException("snapshot does not start with a header");
      }
      switch (chunk.getPartCase()) {
        case HEADER -> {
          SnapshotHeader h = chunk.getHeader();
          if (h.getFormatVersion() != FORMAT_VERSION) {
            throw new IOException(
                "snapshot format "
                    + h.getFormatVersion()
                    + " is not supported (this build reads "
                    + FORMAT_VERSION
                    + ")");
          }
          header = new Header(h.getRevision(), h.getTerm(), h.getCompactRevision());
        }
        case MAPS -> chunk.getMaps().getSpecsList().forEach(s -> into.specs.put(s.getName(), s));
        case ORIGINS -> chunk.getOrigins().getMarksList().forEach(into.origins::restore);
        case LEASES ->
            chunk
                .getLeases()
                .getLeasesList()
                .forEach(
                    l ->
                        into.leases.put(
                            l.getId(), new KeySpace.Lease(l.getId(), l.getTtlSeconds())));
        case KVS -> {
          for (KeyValue kv : chunk.getKvs().getKvsList()) {
            into.load(kv);
            count++;
          }
        }
        case TRAILER -> {
          SnapshotTrailer t = chunk.getTrailer();
          if (t.getKvCount() != count || (t.getCrc32C() & 0xffffffffL) != crcBefore) {
            throw new IOException("snapshot is damaged: checksum or key count does not match");
          }
          into.finishLoad();
          rebuildIndexes(into);
          return header;
        }
        default -> throw new IOException("snapshot holds an unknown chunk");
      }
    }
  }

  /**
   * The next length-delimited chunk, or null at the end. Read into an array and parsed from it:
   * protobuf's array decoder is much faster than its stream decoder, which was most of a restore.
   */
  private static SnapshotChunk nextChunk(InputStream in) throws IOException {
    int first = in.read();
    if (first == -1) {
      return null;
    }
    int size = com.google.protobuf.CodedInputStream.readRawVarint32(first, in);
    if (size < 0) {
      throw new IOException("snapshot is damaged: a chunk has a negative length");
    }
    byte[] bytes = in.readNBytes(size);
    if (bytes.length != size) {
      throw new IOException("snapshot is truncated: a chunk ends early");
    }
    return SnapshotChunk.parseFrom(bytes);
  }

  private static void rebuildIndexes(KeySpace space) {
    space.specs.values().forEach(space.lru::register);
    space.specs.values().forEach(space.idle::register);
    // Keys come in order, so a map's entries are one run: its prefix is parsed once, and each of
    // its keys is only checked to be hex after it (parsing every key was a fifth of a restore).
    String map = null;
    ByteString prefix = null;
    boolean lru = false;
    boolean idle = false;
    int count = 0;
    for (KeyValue kv : space.all()) {
      ByteString key = kv.getKey();
      if (prefix == null || !key.startsWith(prefix)) {
        if (count > 0) {
          space.entryCounts.merge(map, count, Integer::sum);
        }
        map = KeyLayout.parseEntryKey(key).map(KeyLayout.EntryKey::map).orElse(null);
        prefix = map == null ? null : KeyLayout.mapPrefix(map);
        lru = map != null && space.lru.tracks(map);
        idle = map != null && space.idle.tracks(map);
        count = 0;
      }
      if (map != null && KeyLayout.isRawKeyAfter(key, prefix.size())) {
        count++;
        if (lru) {
          space.lru.written(map, key, kv.getModRevision(), 0);
        }
        if (idle) {
          space.idle.written(map, key, kv.getCapturedUnixNanos(), false, 0);
        }
      }
      if (kv.getLease() != 0) {
        KeySpace.Lease lease = space.leases.get(kv.getLease());
        if (lease != null) {
          lease.keys.add(key);
        }
      }
    }
    if (count > 0) {
      space.entryCounts.merge(map, count, Integer::sum);
    }
  }
}
