package io.mapsync.raft.etcdapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Member names in peer URLs, and the ids derived from names. */
class PeerUrlsTest {
  @Test
  void theNameTravelsInTheUserPart() {
    assertEquals(
        new PeerUrls.Peer("n4", "127.0.0.1:7004"),
        PeerUrls.parse(List.of("http://n4@127.0.0.1:7004")));
    assertEquals(
        new PeerUrls.Peer("edge-7", "[::1]:7004"),
        PeerUrls.parse(List.of("https://edge-7@[::1]:7004", "http://edge-7@h:1")));
  }

  @Test
  void aUrlWithoutANameOrPortOrWithTwoNamesIsRefusedSayingHow() {
    for (List<String> bad :
        List.of(
            List.of("http://127.0.0.1:7004"),
            List.of("http://n4@127.0.0.1"),
            List.of("unix://n4@x:1"),
            List.of("http://a@h:1", "http://b@h:2"),
            List.<String>of(),
            List.of("http://b@d@h:1"))) {
      StatusRuntimeException e =
          assertThrows(StatusRuntimeException.class, () -> PeerUrls.parse(bad), bad.toString());
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
      assertTrue(
          e.getStatus().getDescription().startsWith("mapsync: "), e.getStatus().getDescription());
    }
    String nameless =
        assertThrows(
                StatusRuntimeException.class,
                () -> PeerUrls.parse(List.of("http://127.0.0.1:7004")))
            .getStatus()
            .getDescription();
    assertTrue(
        nameless.contains("carries no member name")
            && nameless.contains("http://n4@127.0.0.1:7004"),
        nameless);
  }

  @Test
  void idsAreStablePositiveAndDistinct() {
    assertEquals(MemberIds.memberId("n1"), MemberIds.memberId("n1"));
    assertNotEquals(MemberIds.memberId("n1"), MemberIds.memberId("n2"));
    assertNotEquals(MemberIds.memberId("n1"), MemberIds.clusterId("n1"));
    assertTrue(MemberIds.memberId("n1") > 0 && MemberIds.clusterId("mapsync") > 0);
    assertEquals(
        MemberIds.memberId("n1"),
        Long.parseUnsignedLong(MemberIds.hex(MemberIds.memberId("n1")), 16));
  }
}
