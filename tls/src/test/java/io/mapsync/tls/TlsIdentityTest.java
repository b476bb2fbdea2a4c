package io.mapsync.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files checked at start (one line naming the file) and reloaded when they change, keeping the old
 * on a bad file.
 */
class TlsIdentityTest {
  private static final Duration DAY = Duration.ofDays(1);

  @TempDir Path dir;

  private TestCa ca() throws Exception {
    return TestCa.init(dir.resolve("ca"), "test-ca", DAY);
  }

  @Test
  void loadsAGoodIdentity() throws Exception {
    TlsFiles f = ca().issue("n1", List.of("127.0.0.1", "localhost"), DAY);
    try (TlsIdentity id = TlsIdentity.load(f)) {
      assertEquals("n1", id.commonName());
      assertEquals(1, id.trustManager().getAcceptedIssuers().length);
    }
  }

  @Test
  void missingFileIsNamed() throws Exception {
    TlsFiles f = ca().issue("n1", List.of(), DAY);
    Path missing = dir.resolve("nope.pem");
    TlsFileException e =
        assertThrows(
            TlsFileException.class, () -> TlsIdentity.load(new TlsFiles(f.ca(), missing, f.key())));
    assertEquals(missing + ": does not exist", e.getMessage());
  }

  @Test
  void unreadableFileIsNamed() throws Exception {
    TlsFiles f = ca().issue("n1", List.of(), DAY);
    Path dirAsFile = dir;
    TlsFileException e =
        assertThrows(
            TlsFileException.class,
            () -> TlsIdentity.load(new TlsFiles(f.ca(), f.cert(), dirAsFile)));
    assertTrue(e.getMessage().startsWith(dirAsFile + ": "), e.getMessage());
    Path text = Files.writeString(dir.resolve("text.pem"), "hello\n");
    e =
        assertThrows(
            TlsFileException.class, () -> TlsIdentity.load(new TlsFiles(f.ca(), text, f.key())));
    assertEquals(text + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)", e.getMessage());
  }

  @Test
  void keyOfAnotherCertificateIsRefused() throws Exception {
    TestCa ca = ca();
    TlsFiles n1 = ca.issue("n1", List.of(), DAY);
    TlsFiles n2 = ca.issue("n2", List.of(), DAY);
    TlsFileException e =
        assertThrows(
            TlsFileException.class,
            () -> TlsIdentity.load(new TlsFiles(n1.ca(), n1.cert(), n2.key())));
    assertTrue(
        e.getMessage().startsWith(n2.key() + ": does not match the certificate in " + n1.cert()),
        e.getMessage());
  }

  @Test
  void caFileThatIsNotACaIsRefused() throws Exception {
    TlsFiles n1 = ca().issue("n1", List.of(), DAY);
    TlsFileException e =
        assertThrows(
            TlsFileException.class,
            () -> TlsIdentity.load(new TlsFiles(n1.cert(), n1.cert(), n1.key())));
    assertTrue(
        e.getMessage().startsWith(n1.cert() + ": 'n1' is not a CA certificate"), e.getMessage());
  }

  @Test
  void certificateOfAnotherCaIsRefused() throws Exception {
    TlsFiles n1 = ca().issue("n1", List.of(), DAY);
    TestCa other = TestCa.init(dir.resolve("other"), "other-ca", DAY);
    TlsFileException e =
        assertThrows(
            TlsFileException.class,
            () -> TlsIdentity.load(new TlsFiles(other.caFile(), n1.cert(), n1.key())));
    assertTrue(
        e.getMessage().startsWith(n1.cert() + ": is not signed by the CA in " + other.caFile()),
        e.getMessage());
  }

  @Test
  void expiredCertificateIsRefused() throws Exception {
    Instant past = Instant.now().minus(Duration.ofDays(3));
    TlsFiles old = ca().issue("old", List.of(), past, past.plus(DAY));
    TlsFileException e = assertThrows(TlsFileException.class, () -> TlsIdentity.load(old));
    assertTrue(e.getMessage().startsWith(old.cert() + ": expired on "), e.getMessage());
  }

  @Test
  void reloadPicksUpANewCertificateAndKeepsTheOldOneWhenTheNewFilesAreBad() throws Exception {
    TestCa ca = ca();
    TlsFiles f = ca.issue("n1", List.of(), DAY);
    try (TlsIdentity id = TlsIdentity.load(f)) {
      assertFalse(id.reloadIfChanged(), "nothing changed");
      Files.move(
          ca.issue("n1-rotated", List.of(), DAY).cert(),
          f.cert(),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertFalse(id.reloadIfChanged(), "the new certificate does not match the old key: refused");
      assertEquals("n1", id.commonName(), "the old certificate stays in use");
      Files.move(
          dir.resolve("ca/n1-rotated-key.pem"),
          f.key(),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertTrue(id.reloadIfChanged(), "certificate and key match again");
      assertEquals("n1-rotated", id.commonName());
      String chain =
          id.keyManager()
              .getCertificateChain(id.keyManager().chooseEngineServerAlias("EC", null, null))[0]
              .getSubjectX500Principal()
              .getName();
      assertEquals(
          "CN=n1-rotated",
          chain,
          "the key manager serves the new certificate to the next handshake");
    }
  }
}
