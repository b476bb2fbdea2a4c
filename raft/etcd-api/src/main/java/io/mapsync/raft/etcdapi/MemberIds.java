package io.mapsync.raft.etcdapi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * etcd's numeric member and cluster ids, derived from mapsync's names.
 *
 * <p>etcd picks random uint64 ids and stores them; mapsync members are known by name only, so the
 * id is a hash of the name: every member computes the same id for a peer without asking, and a
 * member that leaves and comes back under the same name keeps its id. Ids are kept below 2^63 so
 * that clients that read them as signed numbers see them positive, and never 0 (etcd's "no
 * member").
 */
public final class MemberIds {
  private MemberIds() {}

  /** The etcd member id of the member with this name. */
  public static long memberId(String name) {
    return hash("mapsync-member:" + name);
  }

  /** The etcd cluster id of the cluster with this name. */
  public static long clusterId(String clusterName) {
    return hash("mapsync-cluster:" + clusterName);
  }

  /** The id as etcdctl prints it (lower-case hex, no padding). */
  public static String hex(long id) {
    return Long.toHexString(id);
  }

  private static long hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      long id = ByteBuffer.wrap(digest).getLong() & Long.MAX_VALUE;
      return id == 0 ? 1 : id;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
