package io.mapsync.bpf.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.BpfLink;
import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.BpfObject;
import io.mapsync.bpf.ProgramStats;
import io.mapsync.bpf.RunTimeStats;
import io.mapsync.bpf.capture.MapChange.Op;
import io.mapsync.bpf.testing.Fold;
import io.mapsync.bpf.testing.Netns;
import io.mapsync.bpf.testing.NoFdLeaks;
import io.mapsync.bpf.testing.RecordingSink;
import io.mapsync.bpf.testing.Require;
import io.mapsync.lab.Prerequisites;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A tc program on a veth egress counts UDP packets per port in two maps: one written with the plain
 * helper (only the scan tier can see it), one through mapsync_emit.h (the emit tier).
 */
@ExtendWith(NoFdLeaks.class)
class DatapathTiersTest {
  private Netns netns;
  private Path pinRoot;

  @BeforeEach
  void setUp() throws IOException {
    Require.bpf();
    Prerequisites.tool("ip");
    netns = new Netns(7);
    pinRoot = Path.of("/sys/fs/bpf/mapsync-test-" + ProcessHandle.current().pid());
    Files.createDirectories(pinRoot);
  }

  @AfterEach
  void tearDown() throws IOException {
    if (netns != null) {
      netns.close();
    }
    if (pinRoot != null && Files.exists(pinRoot)) {
      try (Stream<Path> pins = Files.list(pinRoot)) {
        for (Path p : pins.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(pinRoot);
    }
  }

  private void send(int port, int times) throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      for (int i = 0; i < times; i++) {
        socket.send(
            new DatagramPacket(new byte[] {1}, 1, InetAddress.getByName(netns.peerAddress), port));
      }
    }
  }

  private static String key(int port) {
    return java.util.HexFormat.of()
        .formatHex(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(port).array());
  }

  private static String count(long n) {
    return java.util.HexFormat.of()
        .formatHex(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(n).array());
  }

  @Test
  void scanTierSeesDatapathWritesAndEmitTierReportsEachOne() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (RunTimeStats stats = RunTimeStats.enable();
        BpfObject nf =
            BpfObject.builder(DatapathTiersTest.class, "/io/mapsync/bpf/datapath_test.bpf.o")
                .pinRoot(pinRoot)
                .load();
        BpfLink link = nf.attachTc("count_udp", netns.hostIf, false);
        BpfMap scanned = nf.map("udp_ports");
        BpfMap emitted = nf.map("emit_ports");
        CaptureSession session =
            CaptureSession.builder(sink)
                .emitPinRoot(pinRoot)
                .scanInterval(Duration.ofMillis(100))
                .build()) {
      assertEquals(Set.of(Tier.SCAN), session.add(scanned, Tier.SCAN));
      assertEquals(Set.of(Tier.EMIT), session.add(emitted, Tier.EMIT));
      send(7001, 1);
      send(7002, 1);
      send(7001, 2);

      Map<String, String> expected = Map.of(key(7001), count(3), key(7002), count(1));
      List<MapChange> got = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline
          && !(Fold.of(only(got, Tier.SCAN)).equals(expected)
              && only(got, Tier.EMIT).size() >= 4)) {
        got.addAll(sink.take(1, Duration.ofMillis(200)));
      }
      assertEquals(expected, Fold.content(scanned));
      assertEquals(expected, Fold.of(only(got, Tier.SCAN)), "scan tier: " + got);
      for (MapChange c : only(got, Tier.SCAN)) {
        assertEquals(scanned.id(), c.mapId());
        assertEquals(Op.PUT, c.op());
      }

      List<MapChange> emits = only(got, Tier.EMIT);
      List<String> perPort = new ArrayList<>();
      for (MapChange c : emits) {
        assertEquals(emitted.id(), c.mapId());
        perPort.add(
            java.util.HexFormat.of().formatHex(c.key())
                + "="
                + java.util.HexFormat.of().formatHex(c.value()));
      }
      assertEquals(
          List.of(
              key(7001) + "=" + count(1),
              key(7002) + "=" + count(1),
              key(7001) + "=" + count(2),
              key(7001) + "=" + count(3)),
          perPort,
          "emit tier reports every datapath write, in order");
      assertEquals(expected, Fold.content(emitted));
      assertTrue(session.stats(scanned.id()).scans() >= 1);
      ProgramStats prog = nf.programStats("count_udp");
      assertTrue(
          prog.runCount() >= 4 && prog.runTimeNs() > 0 && prog.recursionMisses() == 0,
          prog.toString());
    }
  }

  private static List<MapChange> only(List<MapChange> changes, Tier tier) {
    return changes.stream().filter(c -> c.tier() == tier).toList();
  }
}
