package io.mapsync.raft.etcdapi;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tokens Authenticate hands out: {@code <user>.<expiry millis>.<HMAC-SHA256>}, signed with a
 * key kept in the replicated auth records. etcd's "simple" tokens live in one member's memory, so a
 * client that moves to another member (or a call forwarded to the leader) would be refused; signed
 * tokens are checked by every member alike, need no state per token and no library. The MAC also
 * covers the user's stored password hash, so changing the password or re-creating the user voids
 * the user's old tokens.
 */
final class AuthTokens {
  /** etcd's default --auth-token-ttl; clients authenticate again when told a token is invalid. */
  static final Duration TTL = Duration.ofMinutes(5);

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private AuthTokens() {}

  static String issue(byte[] key, String user, String binding, long nowMillis) {
    String body = B64.encodeToString(utf8(user)) + "." + (nowMillis + TTL.toMillis());
    return body + "." + B64.encodeToString(mac(key, body, binding));
  }

  /**
   * The user a token names, if it is well formed, signed with this key, unexpired, and bound to
   * what {@code binding} now gives for that user (empty: the user is gone).
   */
  static Optional<String> verify(
      byte[] key, String token, Function<String, Optional<String>> binding, long nowMillis) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      String user = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
      if (Long.parseLong(parts[1]) < nowMillis) {
        return Optional.empty();
      }
      Optional<String> bound = binding.apply(user);
      if (bound.isEmpty()) {
        return Optional.empty();
      }
      byte[] expected = mac(key, parts[0] + "." + parts[1], bound.get());
      return MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(parts[2]))
          ? Optional.of(user)
          : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static byte[] mac(byte[] key, String body, String binding) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(utf8(body));
      mac.update((byte) 0);
      return mac.doFinal(utf8(binding));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no HmacSHA256", e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
