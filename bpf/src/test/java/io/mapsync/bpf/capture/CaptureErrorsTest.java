package io.mapsync.bpf.capture;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.BpfMapSpec;
import io.mapsync.bpf.BpfMapType;
import io.mapsync.bpf.InvalidArgumentException;
import io.mapsync.bpf.NotSupportedException;
import io.mapsync.bpf.testing.NoFdLeaks;
import io.mapsync.bpf.testing.RecordingSink;
import io.mapsync.bpf.testing.Require;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoFdLeaks.class)
class CaptureErrorsTest {

  @Test
  void unsupportedMapTypeIsRefusedWithAClearError() {
    Require.bpf();
    try (BpfMap trie =
            BpfMap.create(
                new BpfMapSpec(
                    "t_trie", BpfMapType.LPM_TRIE, 8, 8, 16, 1 /* BPF_F_NO_PREALLOC */));
        CaptureSession session = CaptureSession.builder(new RecordingSink()).build()) {
      NotSupportedException e =
          assertThrows(NotSupportedException.class, () -> session.add(trie, Tier.SCAN));
      assertTrue(
          e.getMessage().contains("'t_trie'")
              && e.getMessage().contains("LPM_TRIE")
              && e.getMessage().contains("not supported"),
          e.getMessage());
      assertTrue(session.tiers(trie.id()).isEmpty());
    }
  }

  @Test
  void applyWithAWrongKeySizeNamesTheMap() {
    Require.bpf();
    try (BpfMap map = BpfMap.create(BpfMapSpec.of("t_badkey", BpfMapType.HASH, 4, 8, 16));
        CaptureSession session = CaptureSession.builder(new RecordingSink()).build()) {
      session.add(map, Tier.SCAN);
      InvalidArgumentException e =
          assertThrows(
              InvalidArgumentException.class, () -> session.apply(map, new byte[2], new byte[8]));
      assertTrue(
          e.getMessage().contains("'t_badkey'") && e.getMessage().contains("key of 2 bytes"),
          e.getMessage());
    }
  }
}
