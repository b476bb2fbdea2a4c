package io.mapsync.agent.config;

/** host:port addresses as they appear in config and flags. */
public final class HostPort {
  private HostPort() {}

  /** Throws a ConfigException naming the field unless the text is host:port with a valid port. */
  public static void check(String field, String text) {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new ConfigException(field + ": '" + text + "' is not host:port");
    }
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new ConfigException(field + ": port " + port + " is out of range 1-65535");
      }
    } catch (NumberFormatException e) {
      throw new ConfigException(field + ": '" + text + "' has no numeric port");
    }
  }

  public static String host(String text) {
    return text.substring(0, text.lastIndexOf(':'));
  }

  public static int port(String text) {
    return Integer.parseInt(text.substring(text.lastIndexOf(':') + 1));
  }
}
