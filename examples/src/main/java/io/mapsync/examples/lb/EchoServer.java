package io.mapsync.examples.lb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A backend: answers every UDP datagram and every TCP line on one port with "NAME payload", so the
 * client can tell which backend served it. Run inside the backend's namespace.
 *
 * <pre>EchoServer b1 8080</pre>
 */
public final class EchoServer {
  private EchoServer() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: EchoServer NAME PORT");
      System.exit(2);
    }
    String name = args[0];
    int port = Integer.parseInt(args[1]);
    DatagramSocket udp = new DatagramSocket(new InetSocketAddress(port));
    ServerSocket tcp = new ServerSocket();
    tcp.setReuseAddress(true);
    tcp.bind(new InetSocketAddress(port));
    Thread t = new Thread(() -> serveTcp(name, tcp), "tcp-accept");
    t.setDaemon(true);
    t.start();
    System.out.printf("echo %s listening on udp and tcp port %d%n", name, port);
    System.out.flush();
    byte[] buf = new byte[2048];
    while (true) {
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      udp.receive(in);
      byte[] reply =
          (name + " " + new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8))
              .getBytes(StandardCharsets.UTF_8);
      udp.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
    }
  }

  private static void serveTcp(String name, ServerSocket server) {
    while (true) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> echoLines(name, s), "tcp-" + s.getPort());
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void echoLines(String name, Socket s) {
    try (s;
        BufferedReader in =
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      OutputStream out = s.getOutputStream();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.write((name + " " + line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException e) {
      // the client went away
    }
  }
}
