package io.mapsync.chaos.history;

import io.mapsync.chaos.cluster.ClusterSettings;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * A map key of the chaos traffic: a space tag in the first byte keeps the keys network-function
 * writers fight over apart from the keys clients put through the API, so each check knows whose
 * rules apply to a key.
 */
public record Key(Space space, long index) implements Comparable<Key> {
  /** Who writes keys of this space. */
  public enum Space {
    /**
     * Written with bpf() into agents' maps by the network-function stand-ins; shared by all of
     * them.
     */
    MAP((byte) 'M'),
    /** Written through the etcd API by the clients; each key belongs to one client thread. */
    CLIENT((byte) 'C');

    final byte tag;

    Space(byte tag) {
      this.tag = tag;
    }
  }

  public byte[] bytes() {
    ByteBuffer b = ByteBuffer.allocate(ClusterSettings.KEY_SIZE);
    b.putLong(index);
    byte[] out = b.array();
    out[0] = space.tag;
    return out;
  }

  /** Decodes a key read from a map or the store; null if it is not one the traffic writes. */
  public static Key of(byte[] raw) {
    if (raw.length != ClusterSettings.KEY_SIZE) {
      return null;
    }
    byte[] copy = raw.clone();
    byte tag = copy[0];
    copy[0] = 0;
    long index = ByteBuffer.wrap(copy).getLong();
    for (Space s : Space.values()) {
      if (s.tag == tag) {
        return new Key(s, index);
      }
    }
    return null;
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes());
  }

  @Override
  public int compareTo(Key o) {
    return space != o.space ? space.compareTo(o.space) : Long.compare(index, o.index);
  }

  @Override
  public String toString() {
    return hex();
  }
}
