package io.mapsync.store;

import com.google.protobuf.ByteString;

/**
 * What to watch: keys in [key, rangeEnd) from a revision on.
 *
 * @param key the first key, or the only key when rangeEnd is empty
 * @param rangeEnd the end of the range (exclusive); "\0" means every key from key on
 * @param fromRevision the first revision to deliver; 0 means "from the next commit"
 * @param prevKv whether events carry the previous value
 */
public record WatchRequest(ByteString key, ByteString rangeEnd, long fromRevision, boolean prevKv) {

  /** Watches every key under a prefix. */
  public static WatchRequest prefix(ByteString prefix, long fromRevision) {
    return new WatchRequest(prefix, KeyRanges.prefixEnd(prefix), fromRevision, false);
  }

  /** True if the key lies in this watch's range. */
  public boolean matches(ByteString k) {
    return KeyRanges.contains(key, rangeEnd, k);
  }
}
