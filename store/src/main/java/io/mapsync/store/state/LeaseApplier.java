package io.mapsync.store.state;

import com.google.protobuf.ByteString;
import io.mapsync.store.Event;
import io.mapsync.wire.ApplyResult;
import io.mapsync.wire.LeaseGrant;
import io.mapsync.wire.LeaseRevoke;
import java.util.ArrayList;
import java.util.List;

/**
 * Grants and revokes leases. Expiry is not decided here (time is not deterministic across
 * replicas): the leader proposes a revoke when a lease runs out, and every replica applies it.
 */
final class LeaseApplier {
  private final KeySpace space;

  LeaseApplier(KeySpace space) {
    this.space = space;
  }

  ApplyResult grant(LeaseGrant grant, long revision) {
    ApplyResult.Builder result = ApplyResult.newBuilder().setRevision(revision);
    if (grant.getId() <= 0 || grant.getTtlSeconds() <= 0) {
      return result.setError("lease id and ttl must be positive").build();
    }
    KeySpace.Lease existing = space.leases.get(grant.getId());
    if (existing != null && existing.ttlSeconds != grant.getTtlSeconds()) {
      return result.setError("lease already exists: " + grant.getId()).build();
    }
    if (existing == null) {
      space.leases.put(grant.getId(), new KeySpace.Lease(grant.getId(), grant.getTtlSeconds()));
    }
    return result.build();
  }

  ApplyResult revoke(LeaseRevoke revoke, long revision, List<Event> events) {
    ApplyResult.Builder result = ApplyResult.newBuilder().setRevision(revision);
    KeySpace.Lease lease = space.leases.remove(revoke.getId());
    if (lease == null) {
      return result.setError("requested lease not found: " + revoke.getId()).build();
    }
    for (ByteString key : new ArrayList<>(lease.keys)) {
      space.delete(key, revision, events);
    }
    return result.build();
  }
}
