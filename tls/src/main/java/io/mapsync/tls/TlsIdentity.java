package io.mapsync.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This party's certificate, key and trusted CA, read from {@link TlsFiles} and reloaded when a file
 * changes. Its {@link #keyManager()} and {@link #trustManager()} read the current material at every
 * handshake, so a rotation reaches the next connection without a restart; open connections keep the
 * certificates they were made with. A file that is bad at reload keeps the old material and logs
 * one line.
 */
public final class TlsIdentity implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TlsIdentity.class);

  /**
   * How often the files are looked at (three stat calls); rotation tools replace files, so polling
   * sees renames too.
   */
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(5);

  private final TlsFiles files;
  private final Clock clock;
  private final X509ExtendedKeyManager keyManager;
  private final X509ExtendedTrustManager trustManager;
  private ScheduledExecutorService poller;
  private volatile TlsMaterial current;
  private List<Object> stamp;
  private List<Object> refusedStamp;

  private TlsIdentity(TlsFiles files, Clock clock) {
    this.files = files;
    this.clock = clock;
    this.stamp = stampOf(files);
    this.current = TlsMaterial.load(files, clock.instant());
    this.keyManager = new CurrentKeyManager(() -> current);
    this.trustManager = new CurrentTrustManager(() -> current);
  }

  /**
   * Loads and checks the files now and polls them for changes every {@code reloadInterval}.
   *
   * @throws TlsFileException naming the file that is missing, unreadable, not PEM, a key that does
   *     not match, a CA that is not a CA, or an expired certificate
   */
  public static TlsIdentity open(TlsFiles files, Duration reloadInterval) {
    TlsIdentity id = new TlsIdentity(files, Clock.systemUTC());
    if (reloadInterval != null && !reloadInterval.isZero()) {
      id.poller =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "mapsync-tls-reload");
                t.setDaemon(true);
                return t;
              });
      long ms = reloadInterval.toMillis();
      id.poller.scheduleWithFixedDelay(id::reloadIfChanged, ms, ms, TimeUnit.MILLISECONDS);
    }
    LOG.info(
        "TLS: certificate '{}' from {} (CA {}), checked for changes every {}",
        id.commonName(),
        files.cert(),
        files.ca(),
        reloadInterval);
    return id;
  }

  /** Loads once, without polling (CLI commands, tests). */
  public static TlsIdentity load(TlsFiles files) {
    return new TlsIdentity(files, Clock.systemUTC());
  }

  /**
   * Reloads if a file's size or modification time changed since the last look. Returns true if new
   * material is now in use; a bad file is logged once and the old material stays.
   */
  public synchronized boolean reloadIfChanged() {
    List<Object> now = stampOf(files);
    if (now.equals(stamp) || now.equals(refusedStamp)) {
      return false;
    }
    try {
      current = TlsMaterial.load(files, clock.instant());
      stamp = now;
      refusedStamp = null;
      LOG.info("TLS: reloaded certificate '{}' from {}", commonName(), files.cert());
      return true;
    } catch (TlsFileException e) {
      refusedStamp = now;
      LOG.warn(
          "TLS: keeping the previous certificates, the changed files are refused: {}",
          e.getMessage());
      return false;
    }
  }

  private static List<Object> stampOf(TlsFiles f) {
    return List.of(stampOf(f.ca()), stampOf(f.cert()), stampOf(f.key()));
  }

  /** Time, size and inode: a rotation by rename within the same second still shows. */
  private static Object stampOf(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return List.of(a.lastModifiedTime().toMillis(), a.size(), String.valueOf(a.fileKey()));
    } catch (IOException e) {
      return "missing";
    }
  }

  public TlsFiles files() {
    return files;
  }

  /** The common name of the certificate in use. */
  public String commonName() {
    return current.commonName();
  }

  /** Presents the current certificate (server side and as a client certificate). */
  public X509ExtendedKeyManager keyManager() {
    return keyManager;
  }

  /** Accepts peers signed by the current CA file's CAs. */
  public X509ExtendedTrustManager trustManager() {
    return trustManager;
  }

  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return Objects.toString(files);
  }
}
