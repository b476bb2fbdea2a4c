package io.mapsync.chaos.scenario;

import io.mapsync.chaos.cluster.ClusterSettings;
import io.mapsync.chaos.cluster.Network.Direction;
import io.mapsync.chaos.fault.ClockJump;
import io.mapsync.chaos.fault.CutOneWay;
import io.mapsync.chaos.fault.Fault;
import io.mapsync.chaos.fault.FillDisk;
import io.mapsync.chaos.fault.IsolateMember;
import io.mapsync.chaos.fault.KillDuringSnapshot;
import io.mapsync.chaos.fault.KillMember;
import io.mapsync.chaos.fault.LossyLink;
import io.mapsync.chaos.fault.PartitionMember;
import io.mapsync.chaos.fault.PauseFollowers;
import io.mapsync.chaos.fault.PauseMember;
import io.mapsync.chaos.fault.RollingRestart;
import io.mapsync.chaos.fault.SlowMember;
import io.mapsync.chaos.fault.Targets.Role;
import io.mapsync.chaos.fault.WipeMember;
import io.mapsync.chaos.run.Plan;
import io.mapsync.chaos.traffic.TrafficRates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every scenario by name: the chaos tests run them with their default seed and duration, `mapsync
 * chaos run` with any. Kept in one place so the CLI, the tests and docs/chaos.md agree.
 */
public final class ScenarioCatalog {
  private static final Map<String, Scenario> ALL = new LinkedHashMap<>();

  static {
    add(
        new Scenario(
            "kill-leader",
            "the leader SIGKILLed under load and restarted",
            101,
            secs(30),
            1,
            (seed, d) ->
                Plan.of("kill-leader", seed, d, List.of(new KillMember(Role.LEADER)))
                    .withTiming(secs(3), secs(3), secs(3))));
    add(
        new Scenario(
            "partition-follower",
            "a follower cut off (both ways) for 10 s, caught up by snapshot",
            202,
            secs(22),
            1,
            (seed, d) ->
                Plan.of("partition-follower", seed, d, List.of(new PartitionMember(Role.FOLLOWER)))
                    .withTiming(secs(3), secs(10), secs(4))
                    .withRates(TrafficRates.defaults().withClientsPerMember(3))
                    .withCluster(smallLog())));
    add(
        new Scenario(
            "pause",
            "the leader, then a follower, SIGSTOPped for 6 s",
            303,
            secs(25),
            2,
            (seed, d) ->
                Plan.of(
                        "pause",
                        seed,
                        d,
                        List.of(new PauseMember(Role.LEADER), new PauseMember(Role.FOLLOWER)))
                    .withTiming(secs(3), secs(6), secs(4))));
    add(
        new Scenario(
            "wipe-rejoin",
            "a follower wiped, removed, re-added; rejoins by snapshot",
            404,
            secs(20),
            1,
            (seed, d) ->
                Plan.of("wipe-rejoin", seed, d, List.of(new WipeMember(Role.FOLLOWER)))
                    .withCluster(smallLog())
                    .withTiming(secs(6), secs(4), secs(3))));
    add(
        new Scenario(
            "random",
            "every single-member fault kind, order and holds from the seed",
            7,
            secs(40),
            2,
            (seed, d) ->
                Plan.of("random", seed, d, everyFault())
                    .shuffled()
                    .withTiming(secs(3), secs(5), secs(3))));
    add(
        new Scenario(
            "majority-pause",
            "both followers paused past the request timeout (bug 5)",
            505,
            secs(20),
            1,
            (seed, d) -> {
              Map<String, String> raft = new LinkedHashMap<>(ClusterSettings.snapshotOften(300));
              raft.put("mapsync.request.timeout", "5s");
              return Plan.of("majority-pause", seed, d, List.of(new PauseFollowers()))
                  .withCluster(ClusterSettings.defaults().withRaftProperties(raft))
                  .withTiming(secs(3), secs(9), secs(5));
            }));
    add(
        new Scenario(
            "membership-via-leader",
            "wipe-follower with membership changes sent to the leader (bug 6)",
            606,
            secs(20),
            1,
            (seed, d) ->
                Plan.of(
                        "membership-via-leader",
                        seed,
                        d,
                        List.of(new WipeMember(Role.FOLLOWER, true)))
                    .withCluster(smallLog())
                    .withTiming(secs(6), secs(4), secs(3))));
  }

  static {
    add(
        new Scenario(
            "one-way",
            "one-way cuts: the leader not heard, then a follower hearing nothing",
            707,
            secs(24),
            2,
            (seed, d) ->
                Plan.of(
                        "one-way",
                        seed,
                        d,
                        List.of(
                            new CutOneWay(Role.LEADER, Direction.OUTBOUND),
                            new CutOneWay(Role.FOLLOWER, Direction.INBOUND)))
                    .withTiming(secs(3), secs(6), secs(4))));
    add(
        new Scenario(
            "lossy-slow",
            "links losing 5-30 % of packets (nft), and a follower's delayed by tbf",
            808,
            secs(24),
            2,
            (seed, d) ->
                Plan.of(
                        "lossy-slow",
                        seed,
                        d,
                        List.of(
                            new LossyLink(Role.LEADER),
                            new SlowMember(Role.FOLLOWER),
                            new LossyLink(Role.FOLLOWER)))
                    .withTiming(secs(3), secs(5), secs(3))));
    add(
        new Scenario(
            "rolling-restart",
            "every member restarted in turn (followers, then the leader) under load",
            909,
            secs(20),
            1,
            (seed, d) ->
                Plan.of("rolling-restart", seed, d, List.of(new RollingRestart()))
                    .withTiming(secs(3), secs(1), secs(3))));
    add(
        new Scenario(
            "kill-during-snapshot",
            "SIGKILL of a follower installing a snapshot, then of the leader" + " sending one",
            1010,
            secs(60),
            2,
            (seed, d) ->
                Plan.of(
                        "kill-during-snapshot",
                        seed,
                        d,
                        List.of(
                            new KillDuringSnapshot(Role.FOLLOWER),
                            new KillDuringSnapshot(Role.LEADER)))
                    .withTiming(secs(3), secs(8), secs(3))
                    .withRates(TrafficRates.defaults().withClientsPerMember(3))
                    .withCluster(smallLog())));
    add(
        new Scenario(
            "one-way-all",
            "every one-way cut of leader and follower, in turn (not in CI)",
            717,
            secs(60),
            4,
            (seed, d) ->
                Plan.of(
                        "one-way-all",
                        seed,
                        d,
                        List.of(
                            new CutOneWay(Role.LEADER, Direction.INBOUND),
                            new CutOneWay(Role.LEADER, Direction.OUTBOUND),
                            new CutOneWay(Role.FOLLOWER, Direction.INBOUND),
                            new CutOneWay(Role.FOLLOWER, Direction.OUTBOUND)))
                    .withTiming(secs(3), secs(8), secs(4))));
  }

  static {
    add(
        new Scenario(
            "disk-full",
            "a follower's data dir (a 16 MB tmpfs) fills: it stops by itself; freed, it catches up",
            1111,
            secs(30),
            1,
            (seed, d) ->
                Plan.of("disk-full", seed, d, List.of(new FillDisk(Role.FOLLOWER)))
                    .withTiming(secs(3), secs(5), secs(4))
                    .withCluster(smallLog().withDataDisk("16m"))));
    add(
        new Scenario(
            "replace-member",
            "a follower replaced by a new member with a new id (n3 out, n4 in, empty data dir)",
            1212,
            secs(20),
            1,
            (seed, d) ->
                Plan.of("replace-member", seed, d, List.of(WipeMember.replacing(Role.FOLLOWER)))
                    .withCluster(smallLog())
                    .withTiming(secs(6), secs(4), secs(3))));
    // the two above in one lab, to spend one cluster start in CI instead of two
    add(
        new Scenario(
            "disk-full-replace",
            "disk-full, then replace-member, in one run (the CI test of both)",
            1313,
            secs(60),
            2,
            (seed, d) ->
                Plan.of(
                        "disk-full-replace",
                        seed,
                        d,
                        List.of(new FillDisk(Role.FOLLOWER), WipeMember.replacing(Role.FOLLOWER)))
                    .withTiming(secs(3), secs(4), secs(3))
                    .withCluster(smallLog().withDataDisk("16m"))));
  }

  static {
    add(
        new Scenario(
            "clock-skew",
            "n3's clocks (libfaketime) 3 h ahead at double rate; the leader restarted a day back at"
                + " half rate (an election), then back",
            1414,
            secs(20),
            1,
            (seed, d) ->
                Plan.of("clock-skew", seed, d, List.of(new ClockJump(Role.LEADER, "-1d x0.5")))
                    .withTiming(secs(3), secs(6), secs(3))
                    .withCluster(ClusterSettings.defaults().withFakeClock("n3", "+3h x2"))));
  }

  private ScenarioCatalog() {}

  private static void add(Scenario s) {
    ALL.put(s.name(), s);
  }

  /** Every single-member fault kind (what the random scenario draws from). */
  public static List<Fault> everyFault() {
    return new ArrayList<>(
        List.of(
            new KillMember(Role.LEADER),
            new KillMember(Role.FOLLOWER),
            new PauseMember(Role.LEADER),
            new PauseMember(Role.FOLLOWER),
            new PartitionMember(Role.LEADER),
            new PartitionMember(Role.FOLLOWER),
            new IsolateMember(Role.FOLLOWER),
            new SlowMember(Role.LEADER)));
  }

  public static List<Scenario> all() {
    return List.copyOf(ALL.values());
  }

  /** The scenario of that name, or a message listing the names. */
  public static Scenario named(String name) {
    Scenario s = ALL.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "no chaos scenario '"
              + name
              + "'; `mapsync chaos list` shows them: "
              + String.join(", ", ALL.keySet()));
    }
    return s;
  }

  /**
   * Snapshots every 100 entries and 16 KB segments: a member that falls behind can only catch up by
   * snapshot.
   */
  static ClusterSettings smallLog() {
    return ClusterSettings.defaults()
        .withRaftProperties(ClusterSettings.snapshotOften(100, "16KB"));
  }

  static Duration secs(long s) {
    return Duration.ofSeconds(s);
  }
}
