package io.mapsync.raft.etcdapi;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a new member's name and peer address from etcd's MemberAddRequest, which carries peer URLs
 * only. mapsync members are known by name, so the name travels in the URL's user part: {@code
 * http://n4@127.0.0.1:7004}.
 */
final class PeerUrls {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final String HOW =
      "mapsync needs the new member's name in the peer URL's user part, "
          + "e.g. http://n4@127.0.0.1:7004";

  /** A member as a MemberAdd names it. */
  record Peer(String name, String address) {}

  private PeerUrls() {}

  /** The member the URLs describe; every URL must name the same member. */
  static Peer parse(List<String> urls) {
    if (urls.isEmpty()) {
      throw EtcdApiErrors.invalid("mapsync: no peer URL given; " + HOW);
    }
    Peer first = parseOne(urls.get(0));
    for (String url : urls.subList(1, urls.size())) {
      if (!parseOne(url).name().equals(first.name())) {
        throw EtcdApiErrors.invalid(
            "mapsync: the peer URLs name different members (" + String.join(", ", urls) + ")");
      }
    }
    return first;
  }

  private static Peer parseOne(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw EtcdApiErrors.invalid(
          "mapsync: peer URL '" + url + "' is not a URL: " + e.getMessage());
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw EtcdApiErrors.invalid(
          "mapsync: peer URL '" + url + "' must be http:// or https://; " + HOW);
    }
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw EtcdApiErrors.invalid(
          "mapsync: peer URL '" + url + "' needs a host and a port; " + HOW);
    }
    String user = uri.getUserInfo();
    String name = user == null ? "" : user.split(":", 2)[0];
    if (name.isEmpty()) {
      throw EtcdApiErrors.invalid("mapsync: peer URL '" + url + "' carries no member name; " + HOW);
    }
    if (!NAME.matcher(name).matches()) {
      throw EtcdApiErrors.invalid(
          "mapsync: member name '"
              + name
              + "' is invalid: use 1-64 letters, digits, '_', '.' or '-'");
    }
    String host =
        uri.getHost().contains(":") && !uri.getHost().startsWith("[")
            ? "[" + uri.getHost() + "]"
            : uri.getHost();
    return new Peer(name, host + ":" + uri.getPort());
  }
}
