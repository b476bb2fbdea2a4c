package io.mapsync.examples.lb;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 address and a port, as the load balancer's maps hold them and its command lines name
 * them.
 */
public record Endpoint(Inet4Address ip, int port) {

  public Endpoint {
    if (port < 0 || port > 0xffff) {
      throw new IllegalArgumentException("port " + port + " is out of range");
    }
  }

  /** Parses "10.13.13.13:8000" (numeric addresses only: nothing here should need DNS). */
  public static Endpoint parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("'" + text + "' is not ip:port");
    }
    return new Endpoint(
        ipv4(text.substring(0, colon)), Integer.parseInt(text.substring(colon + 1)));
  }

  static Inet4Address ipv4(String dotted) {
    if (!dotted.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw new IllegalArgumentException("'" + dotted + "' is not a dotted IPv4 address");
    }
    try {
      return (Inet4Address) InetAddress.getByName(dotted);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address", e);
    }
  }

  static Inet4Address ipv4(byte[] networkOrder) {
    try {
      return (Inet4Address) InetAddress.getByAddress(networkOrder);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv4 address", e);
    }
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(ip, port);
  }

  @Override
  public String toString() {
    return ip.getHostAddress() + ":" + port;
  }
}
