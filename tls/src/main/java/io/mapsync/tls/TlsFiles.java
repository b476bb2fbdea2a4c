package io.mapsync.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one party's TLS identity lives: PEM files as openssl, cfssl or {@code mapsync certs} write
 * them.
 *
 * @param ca the certificate(s) of the CA that peers and clients must be signed by
 * @param cert this party's certificate, optionally followed by intermediates
 * @param key the private key of {@code cert} (PKCS#8, PKCS#1 RSA or SEC1 EC; unencrypted)
 */
public record TlsFiles(Path ca, Path cert, Path key) {
  public TlsFiles {
    Objects.requireNonNull(ca, "ca");
    Objects.requireNonNull(cert, "cert");
    Objects.requireNonNull(key, "key");
  }

  @Override
  public String toString() {
    return "ca=" + ca + " cert=" + cert + " key=" + key;
  }
}
