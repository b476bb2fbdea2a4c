package io.mapsync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tls: block: read-only client names are read, an empty one is refused naming the field. */
class TlsConfigTest {
  private static final String BASE =
      """
      id: n1
      data_dir: /tmp/mapsync/n1
      peers: {n1: 127.0.0.1:7001}
      client_address: 127.0.0.1:7101
      """;

  private static AgentConfig check(String yaml) {
    return ConfigChecker.check(ConfigLoader.parse("mapsync.yaml", yaml));
  }

  @Test
  void readOnlyClientsAreRead() {
    AgentConfig c =
        check(
            BASE
                + "tls: {ca: /c/ca.pem, cert: /c/n1.pem, key: /c/n1.key, "
                + "read_only_clients: [reader, dashboards]}\n");
    assertEquals(Set.of("reader", "dashboards"), c.tls().readOnlyClients());
  }

  @Test
  void withoutTheListEveryClientMayWrite() {
    AgentConfig c = check(BASE + "tls: {ca: /c/ca.pem, cert: /c/n1.pem, key: /c/n1.key}\n");
    assertEquals(Set.of(), c.tls().readOnlyClients());
  }

  @Test
  void anEmptyNameIsRefused() {
    String message =
        assertThrows(
                ConfigException.class,
                () ->
                    check(
                        BASE
                            + "tls: {ca: /c/ca.pem, cert: /c/n1.pem, key: /c/n1.key, read_only_clients: ['']}\n"))
            .getMessage();
    assertTrue(message.contains("tls.read_only_clients"), message);
  }
}
