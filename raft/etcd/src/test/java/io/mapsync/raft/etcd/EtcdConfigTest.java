package io.mapsync.raft.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration reads the agent's keys, fills defaults and refuses what cannot work. */
class EtcdConfigTest {
  @Test
  void readsPropertiesAndFillsDefaults() {
    EtcdConfig c =
        EtcdConfig.fromProperties(
            Map.of(
                EtcdConfig.ENDPOINTS, "10.0.0.1:2379, http://10.0.0.2:2379",
                EtcdConfig.PREFIX, "/clusters/lb",
                EtcdConfig.ATTEMPT_TIMEOUT, "1500ms",
                EtcdConfig.OPERATION_TIMEOUT, "PT1M"));
    assertEquals(List.of("http://10.0.0.1:2379", "http://10.0.0.2:2379"), c.endpoints());
    assertEquals("/clusters/lb", c.prefix());
    assertEquals(Duration.ofMillis(1500), c.attemptTimeout());
    assertEquals(Duration.ofMinutes(1), c.operationTimeout());
    assertEquals(128, c.maxTxnOps());
    assertEquals(127, c.maxKeysPerBatch());
    assertEquals("round_robin", c.loadBalancing());
  }

  @Test
  void refusesWhatCannotWork() {
    assertThrows(IllegalArgumentException.class, () -> EtcdConfig.fromProperties(Map.of()));
    assertThrows(IllegalArgumentException.class, () -> EtcdConfig.of("localhost"));
    // https:// is a valid endpoint (with tls: set; EtcdStore.open checks the pairing); other
    // schemes are not.
    assertEquals(List.of("https://h:2379"), EtcdConfig.of("https://h:2379").endpoints());
    assertThrows(IllegalArgumentException.class, () -> EtcdConfig.of("unix://h:2379"));
    assertThrows(
        IllegalArgumentException.class, () -> EtcdConfig.of("h:2379").withPrefix("clusters/x"));
    assertThrows(
        IllegalArgumentException.class, () -> EtcdConfig.of("h:2379").withPrefix("/clusters/x/"));
    assertThrows(IllegalArgumentException.class, () -> EtcdConfig.of("h:2379").withMaxTxnOps(1));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                EtcdConfig.fromProperties(
                    Map.of(EtcdConfig.ENDPOINTS, "h:1", EtcdConfig.ATTEMPT_TIMEOUT, "soon")));
    assertTrue(e.getMessage().contains(EtcdConfig.ATTEMPT_TIMEOUT), e.getMessage());
  }
}
