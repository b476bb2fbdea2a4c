package io.mapsync.raft.etcdapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Auth service over three Ratis members, from jetcd: users and roles made through one member
 * hold on every member (they are in the replicated log), a user logs in with a password through
 * another, and a wrong password is refused.
 */
class FacadeAuthOnRatisTest {
  @TempDir Path dir;

  @Test
  void usersMadeOnOneMemberHoldOnEveryMember() throws Exception {
    try (RatisFacadeCluster cluster = new RatisFacadeCluster(dir, 3)) {
      List<String> endpoints = cluster.endpoints();
      try (Client admin = Client.builder().endpoints(endpoints.get(0)).build()) {
        Auth auth = admin.getAuthClient();
        auth.userAdd(bytes("root"), bytes("rootpw")).get(60, TimeUnit.SECONDS);
        auth.userGrantRole(bytes("root"), bytes("root")).get(60, TimeUnit.SECONDS);
        auth.roleAdd(bytes("lb")).get(60, TimeUnit.SECONDS);
        auth.roleGrantPermission(
                bytes("lb"), bytes("/maps/lb/"), bytes("/maps/lb0"), Permission.Type.READWRITE)
            .get(60, TimeUnit.SECONDS);
        auth.userAdd(bytes("bob"), bytes("bobpw")).get(60, TimeUnit.SECONDS);
        auth.userGrantRole(bytes("bob"), bytes("lb")).get(60, TimeUnit.SECONDS);
        auth.authEnable().get(60, TimeUnit.SECONDS);
      }
      for (String endpoint : endpoints) {
        try (Client bob = user(endpoint, "bob", "bobpw")) {
          bob.getKVClient()
              .put(bytes("/maps/lb/" + endpoint), bytes("1"))
              .get(60, TimeUnit.SECONDS);
          ExecutionException denied =
              assertThrows(
                  ExecutionException.class,
                  () ->
                      bob.getKVClient()
                          .put(bytes("/maps/nat/1"), bytes("1"))
                          .get(60, TimeUnit.SECONDS));
          assertTrue(
              String.valueOf(denied.getCause()).contains("permission denied"),
              String.valueOf(denied.getCause()));
        }
      }
      try (Client wrong = user(endpoints.get(2), "bob", "nope")) {
        ExecutionException failed =
            assertThrows(
                ExecutionException.class,
                () -> wrong.getKVClient().get(bytes("/maps/lb/")).get(60, TimeUnit.SECONDS));
        // jetcd reports a failed login as UNAUTHENTICATED, without etcd's words.
        String why = String.valueOf(failed.getCause());
        assertTrue(why.contains("authentication failed") || why.contains("UNAUTHENTICATED"), why);
      }
      try (Client root = user(endpoints.get(1), "root", "rootpw")) {
        assertEquals(
            List.of("bob", "root"),
            root.getAuthClient().userList().get(60, TimeUnit.SECONDS).getUsers());
        root.getAuthClient().authDisable().get(60, TimeUnit.SECONDS);
      }
    }
  }

  private static Client user(String endpoint, String name, String password) {
    return Client.builder()
        .endpoints(endpoint)
        .user(bytes(name))
        .password(bytes(password))
        .retryMaxAttempts(0)
        .build();
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
