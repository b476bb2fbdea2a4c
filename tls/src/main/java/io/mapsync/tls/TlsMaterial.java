package io.mapsync.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * One checked load of {@link TlsFiles}: the key matches the certificate, the CA file holds CAs, the
 * certificate is signed by one of them and valid now. Immutable; {@link TlsIdentity} swaps them.
 */
final class TlsMaterial {
  private static final char[] NO_PASSWORD = new char[0];

  final TlsFiles files;
  final List<X509Certificate> chain;
  final X509ExtendedKeyManager keyManager;
  final X509ExtendedTrustManager trustManager;

  private TlsMaterial(
      TlsFiles files,
      List<X509Certificate> chain,
      X509ExtendedKeyManager keyManager,
      X509ExtendedTrustManager trustManager) {
    this.files = files;
    this.chain = chain;
    this.keyManager = keyManager;
    this.trustManager = trustManager;
  }

  /** Reads and checks the files; throws {@link TlsFileException} naming the file at fault. */
  static TlsMaterial load(TlsFiles files, Instant now) {
    List<X509Certificate> cas = PemFiles.certificates(files.ca());
    for (X509Certificate ca : cas) {
      if (ca.getBasicConstraints() < 0) {
        throw new TlsFileException(
            files.ca(),
            "'"
                + cn(ca)
                + "' is not a CA certificate (no basicConstraints CA:true);"
                + " name the CA's certificate here, not a host's");
      }
    }
    List<X509Certificate> chain = PemFiles.certificates(files.cert());
    PrivateKey key = PemFiles.privateKey(files.key());
    X509Certificate leaf = chain.get(0);
    if (!matches(key, leaf)) {
      throw new TlsFileException(
          files.key(),
          "does not match the certificate in " + files.cert() + " (a key of another certificate?)");
    }
    try {
      leaf.checkValidity(java.util.Date.from(now));
    } catch (CertificateExpiredException e) {
      throw new TlsFileException(
          files.cert(), "expired on " + leaf.getNotAfter().toInstant() + "; issue a new one");
    } catch (CertificateNotYetValidException e) {
      throw new TlsFileException(
          files.cert(),
          "is not valid before " + leaf.getNotBefore().toInstant() + " (check the clock)");
    }
    X509Certificate top = chain.get(chain.size() - 1);
    if (cas.stream().noneMatch(ca -> signedBy(top, ca))) {
      throw new TlsFileException(
          files.cert(),
          "is not signed by the CA in "
              + files.ca()
              + " (issuer '"
              + top.getIssuerX500Principal().getName(X500Principal.RFC2253)
              + "')");
    }
    try {
      return new TlsMaterial(files, List.copyOf(chain), keyManager(key, chain), trustManager(cas));
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new TlsFileException(files.cert(), "cannot be used for TLS: " + e.getMessage(), e);
    }
  }

  /** The common name of this party's certificate. */
  String commonName() {
    return cn(chain.get(0));
  }

  static String cn(X509Certificate c) {
    String dn = c.getSubjectX500Principal().getName(X500Principal.RFC2253);
    for (String part : dn.split(",")) {
      if (part.startsWith("CN=")) {
        return part.substring(3);
      }
    }
    return dn;
  }

  /**
   * Signs a nonce with the key and verifies it with the certificate: works for RSA, EC and EdDSA
   * alike.
   */
  private static boolean matches(PrivateKey key, X509Certificate cert) {
    String alg =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    try {
      byte[] nonce = new byte[32];
      new SecureRandom().nextBytes(nonce);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(nonce);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update(nonce);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
    try {
      cert.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static X509ExtendedKeyManager keyManager(PrivateKey key, List<X509Certificate> chain)
      throws GeneralSecurityException, java.io.IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("mapsync", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
    KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    f.init(ks, NO_PASSWORD);
    return (X509ExtendedKeyManager) f.getKeyManagers()[0];
  }

  private static X509ExtendedTrustManager trustManager(List<X509Certificate> cas)
      throws GeneralSecurityException, java.io.IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    for (int i = 0; i < cas.size(); i++) {
      ks.setCertificateEntry("ca" + i, cas.get(i));
    }
    TrustManagerFactory f =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(ks);
    return (X509ExtendedTrustManager) f.getTrustManagers()[0];
  }
}
