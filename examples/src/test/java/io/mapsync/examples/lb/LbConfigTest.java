package io.mapsync.examples.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lb apply's YAML: what it accepts, and one readable message for each mistake (nothing is written
 * then).
 */
class LbConfigTest {
  @TempDir Path dir;

  private LbConfig read(String yaml) throws IOException {
    return LbConfig.read(Files.writeString(dir.resolve("lb.yaml"), yaml));
  }

  private String refused(String yaml) {
    return assertThrows(IllegalArgumentException.class, () -> read(yaml)).getMessage();
  }

  @Test
  void servicesWithWeightsAndProtocols() throws IOException {
    LbConfig c =
        read(
            """
        services:
          - name: web
            vip: 10.13.13.13:8000
            backends: [{address: 10.13.2.11:8080, weight: 3}, {address: 10.13.2.12:8080}]
          - name: dns
            vip: 10.13.13.13:53
            protocols: [udp]
            backends: [{address: 10.13.2.11:5353}]
        """);
    assertTrue(c.derive());
    assertEquals(2, c.services().size());
    assertEquals(java.util.List.of("tcp", "udp"), c.services().get(0).protocols());
    assertEquals(3, c.services().get(0).backends().get(0).weight());
    assertEquals(1, c.services().get(0).backends().get(1).weight());
    assertEquals(java.util.List.of("udp"), c.services().get(1).protocols());
  }

  @Test
  void aServiceWithNoBackends() {
    String m = refused("services: [{name: web, vip: 10.13.13.13:8000, backends: []}]");
    assertTrue(m.contains("service 'web' (10.13.13.13:8000) has no backends"), m);
  }

  @Test
  void aDuplicateVip() {
    String m =
        refused(
            """
        services:
          - {name: a, vip: 10.13.13.13:8000, backends: [{address: 10.13.2.11:8080}]}
          - {name: b, vip: 10.13.13.13:8000, protocols: [tcp], backends: [{address: 10.13.2.12:8080}]}
        """);
    assertTrue(m.contains("services 'a' and 'b' both claim tcp 10.13.13.13:8000"), m);
  }

  @Test
  void theSameVipOnAnotherPortOrProtocolIsAnotherService() throws IOException {
    assertEquals(
        3,
        read("services: [{name: a, vip: 10.13.13.13:8000, protocols: [tcp], backends: [{address: 10.13.2.11:8080}]},"
                + " {name: b, vip: 10.13.13.13:8000, protocols: [udp], backends: [{address: 10.13.2.12:8080}]},"
                + " {name: c, vip: 10.13.13.13:9000, backends: [{address: 10.13.2.12:9090}]}]")
            .services()
            .size());
  }

  @Test
  void aWeightOfZero() {
    String m =
        refused(
            "services: [{name: web, vip: 10.13.13.13:8000, backends: [{address: 10.13.2.11:8080, weight: 0}]}]");
    assertTrue(m.contains("backend 10.13.2.11:8080 has weight 0; weights are 1 to 256"), m);
  }

  @Test
  void aBackendSharedByTwoServicesWithDerivationOn() {
    String m =
        refused(
            "services: [{name: a, vip: 10.13.13.13:8000, backends: [{address: 10.13.2.11:8080}]},"
                + " {name: b, vip: 10.13.13.14:8000, backends: [{address: 10.13.2.11:8080}]}]");
    assertTrue(m.contains("serves both 'a' and 'b'"), m);
  }

  @Test
  void aBadAddressOrProtocolOrShape() {
    assertTrue(
        refused("services: [{name: web, vip: nowhere, backends: [{address: 10.13.2.11:8080}]}]")
            .contains("service 'web' vip"));
    assertTrue(
        refused(
                "services: [{name: web, vip: 10.1.1.1:80, protocols: [sctp], backends: [{address: 10.1.1.2:80}]}]")
            .contains("protocol 'sctp' is not tcp or udp"));
    assertTrue(refused("vip: 10.1.1.1:80").contains("needs a list 'services:'"));
  }
}
