package io.mapsync.bpf.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.BpfMapSpec;
import io.mapsync.bpf.BpfMapType;
import io.mapsync.bpf.BpfObject;
import io.mapsync.bpf.BpfPermissionException;
import io.mapsync.bpf.testing.NoFdLeaks;
import io.mapsync.bpf.testing.RecordingSink;
import io.mapsync.bpf.testing.Require;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * fentry detection. Where the kernel refuses tracing programs (lockdown, LSM, as on the project's
 * machines) the tier must say so and fall back to scan; where it permits them, the tier must be
 * active.
 */
@ExtendWith(NoFdLeaks.class)
class FentryFallbackTest {

  /** Whether this kernel lets us load a tracing program at all, asked without the session. */
  private static boolean kernelPermitsTracing() {
    try (BpfObject o = BpfObject.builder(FentryFallbackTest.class, FentryProbe.OBJECT).load()) {
      return true;
    } catch (BpfPermissionException e) {
      return false;
    }
  }

  @Test
  void detectionReportsTheOutcomeAndFallsBackToScan() {
    Require.tracepoints();
    boolean permitted = kernelPermitsTracing();
    try (BpfMap a = BpfMap.create(BpfMapSpec.of("t_fentry_a", BpfMapType.HASH, 4, 8, 8));
        BpfMap b = BpfMap.create(BpfMapSpec.of("t_fentry_b", BpfMapType.HASH, 4, 8, 8));
        CaptureSession session = CaptureSession.builder(new RecordingSink()).build()) {
      Set<Tier> explicit = session.add(a, Tier.FENTRY);
      Set<Tier> auto = session.add(b, Tier.AUTO);
      if (permitted) {
        assertEquals(Set.of(Tier.FENTRY), explicit);
        assertEquals(Set.of(Tier.SYSCALL, Tier.FENTRY), auto);
      } else {
        assertNotNull(CaptureSession.fentryRefusal());
        assertTrue(
            CaptureSession.fentryRefusal().startsWith("not permitted"),
            CaptureSession.fentryRefusal());
        assertEquals(Set.of(Tier.SCAN), explicit);
        assertEquals(Set.of(Tier.SYSCALL, Tier.SCAN), auto);
        assertEquals(Set.of(Tier.SCAN), session.tiers(a.id()));
      }
    }
  }
}
