package io.mapsync.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority in a directory, for tests, demos and labs: {@code ca.pem} and
 * {@code ca-key.pem}, and per host {@code NAME.pem} and {@code NAME-key.pem} (EC P-256, usable as
 * server and as client certificate). Keys are written readable by the owner only.
 */
public final class TestCa {
  public static final String CA_CERT = "ca.pem";
  public static final String CA_KEY = "ca-key.pem";
  private static final Pattern IP = Pattern.compile("[0-9.]+|.*:.*");

  private final Path dir;

  private TestCa(Path dir) {
    this.dir = dir;
  }

  /** Creates a new CA in {@code dir} (created if missing); refuses to overwrite an existing one. */
  public static TestCa init(Path dir, String name, Duration validity) throws IOException {
    if (Files.exists(dir.resolve(CA_KEY))) {
      throw new IOException(
          dir.resolve(CA_KEY) + " exists: a CA is already there (remove it to start over)");
    }
    Files.createDirectories(dir);
    KeyPair kp = newKey();
    X500Name subject = new X500Name("CN=" + name);
    Instant now = Instant.now();
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(),
                  Date.from(now.minusSeconds(60)),
                  Date.from(now.plus(validity)),
                  subject,
                  kp.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  new JcaX509ExtensionUtils().createSubjectKeyIdentifier(kp.getPublic()));
      X509Certificate ca = sign(b, kp.getPrivate());
      write(dir.resolve(CA_CERT), ca, false);
      write(dir.resolve(CA_KEY), kp.getPrivate(), true);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot make a CA: " + e.getMessage(), e);
    }
    return new TestCa(dir);
  }

  /** The CA already in {@code dir}. */
  public static TestCa open(Path dir) {
    PemFiles.certificates(dir.resolve(CA_CERT));
    PemFiles.privateKey(dir.resolve(CA_KEY));
    return new TestCa(dir);
  }

  public Path dir() {
    return dir;
  }

  public Path caFile() {
    return dir.resolve(CA_CERT);
  }

  /** The files a host with this name uses (after {@link #issue}). */
  public TlsFiles filesOf(String name) {
    return new TlsFiles(caFile(), dir.resolve(name + ".pem"), dir.resolve(name + "-key.pem"));
  }

  /** Issues a certificate valid from now for {@code validity}. */
  public TlsFiles issue(String name, List<String> altNames, Duration validity) throws IOException {
    Instant now = Instant.now();
    return issue(name, altNames, now.minusSeconds(60), now.plus(validity));
  }

  /**
   * Issues {@code NAME.pem} and {@code NAME-key.pem} with common name {@code name} and the given
   * subject alternative names (IP addresses and DNS names), valid between the two instants.
   */
  public TlsFiles issue(String name, List<String> altNames, Instant notBefore, Instant notAfter)
      throws IOException {
    X509Certificate ca = PemFiles.certificates(caFile()).get(0);
    PrivateKey caKey = PemFiles.privateKey(dir.resolve(CA_KEY));
    KeyPair kp = newKey();
    List<GeneralName> sans = new ArrayList<>();
    for (String n : altNames) {
      sans.add(
          new GeneralName(
              IP.matcher(n).matches() ? GeneralName.iPAddress : GeneralName.dNSName, n));
    }
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  ca,
                  serial(),
                  Date.from(notBefore),
                  Date.from(notAfter),
                  new X500Name("CN=" + name),
                  kp.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                      }))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
      if (!sans.isEmpty()) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(sans.toArray(GeneralName[]::new)));
      }
      TlsFiles out = filesOf(name);
      write(out.cert(), sign(b, caKey), false);
      write(out.key(), kp.getPrivate(), true);
      return out;
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot issue a certificate for " + name + ": " + e.getMessage(), e);
    }
  }

  private static KeyPair newKey() throws IOException {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IOException("no EC key generator: " + e.getMessage(), e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
  }

  private static void write(Path file, Object pemObject, boolean secret) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(
          pemObject instanceof PrivateKey k
              ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null)
              : pemObject);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, sw.toString(), StandardCharsets.US_ASCII);
    if (secret) {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    }
    // A rename, so an agent polling the file never reads half of it.
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
