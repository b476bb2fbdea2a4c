package io.mapsync.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reads certificates and private keys from PEM files, with errors that name the file. */
final class PemFiles {
  private PemFiles() {}

  /** Every certificate in the file, in order; at least one. */
  static List<X509Certificate> certificates(Path file) {
    List<X509Certificate> out = new ArrayList<>();
    for (Object o : objects(file)) {
      if (o instanceof X509CertificateHolder h) {
        try {
          out.add(new JcaX509CertificateConverter().getCertificate(h));
        } catch (CertificateException e) {
          throw new TlsFileException(
              file, "holds a certificate that cannot be decoded: " + e.getMessage(), e);
        }
      }
    }
    if (out.isEmpty()) {
      throw new TlsFileException(file, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return out;
  }

  /** The one private key in the file. */
  static PrivateKey privateKey(Path file) {
    for (Object o : objects(file)) {
      try {
        if (o instanceof PrivateKeyInfo info) {
          return new JcaPEMKeyConverter().getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return new JcaPEMKeyConverter().getKeyPair(pair).getPrivate();
        }
      } catch (IOException e) {
        throw new TlsFileException(
            file, "holds a private key that cannot be decoded: " + e.getMessage(), e);
      }
    }
    throw new TlsFileException(
        file,
        "holds no unencrypted PEM private key (-----BEGIN PRIVATE KEY-----,"
            + " BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
  }

  private static List<Object> objects(Path file) {
    List<Object> out = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser p = new PEMParser(r)) {
      for (Object o = p.readObject(); o != null; o = p.readObject()) {
        out.add(o);
      }
      return out;
    } catch (NoSuchFileException e) {
      throw new TlsFileException(file, "does not exist", e);
    } catch (AccessDeniedException e) {
      throw new TlsFileException(file, "cannot be read (permission denied)", e);
    } catch (IOException | RuntimeException e) {
      throw new TlsFileException(file, "is not a readable PEM file: " + e.getMessage(), e);
    }
  }
}
