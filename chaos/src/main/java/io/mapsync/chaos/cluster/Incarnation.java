package io.mapsync.chaos.cluster;

import java.time.Instant;

/**
 * One run of a member's process, from start to exit. The crash check reads these: an incarnation
 * that exited without a fault having stopped it is a crash.
 */
public final class Incarnation {
  private final String member;
  private final int number;
  private final long pid;
  private final Instant started;
  private volatile Instant ready;
  private volatile Instant ended;
  private volatile int exitCode;
  private volatile String stoppedBy;
  private volatile String raftMemberFailure = "";

  Incarnation(String member, int number, long pid, Instant started) {
    this.member = member;
    this.number = number;
    this.pid = pid;
    this.started = started;
  }

  /**
   * Records that a fault (or the clean-up) is about to end this process, so its exit is no crash.
   */
  void expectExit(String why) {
    if (stoppedBy == null) {
      stoppedBy = why;
    }
  }

  void ready() {
    readyAt(Instant.now());
  }

  void readyAt(Instant at) {
    ready = at;
  }

  void exited(int code) {
    exited(code, "");
  }

  /**
   * @param raftMemberFailure its error line if it stopped itself because its Raft member died, else
   *     empty
   */
  void exited(int code, String raftMemberFailure) {
    this.raftMemberFailure = raftMemberFailure;
    exitCode = code;
    ended = Instant.now();
  }

  public String member() {
    return member;
  }

  public int number() {
    return number;
  }

  public long pid() {
    return pid;
  }

  public Instant started() {
    return started;
  }

  /** When it reported ready (bootstrap done, capture running), or null if it never did. */
  public Instant readyAt() {
    return ready;
  }

  /** When it exited, or null while it runs. */
  public Instant ended() {
    return ended;
  }

  public int exitCode() {
    return exitCode;
  }

  /** The fault or clean-up that ended it on purpose, or null. */
  public String stoppedBy() {
    return stoppedBy;
  }

  /** It exited by itself, and not because its Raft member died. */
  public boolean crashed() {
    return ended != null && stoppedBy == null && raftMemberFailure.isEmpty();
  }

  /**
   * It stopped itself because its Raft member died (exit code 3 and its one-line error): what the
   * agent must do, so a supervisor restarts it. Not a crash.
   */
  public boolean stoppedOnRaftFailure() {
    return ended != null && stoppedBy == null && !raftMemberFailure.isEmpty();
  }

  /** Its error line when {@link #stoppedOnRaftFailure()}, else empty. */
  public String raftMemberFailure() {
    return raftMemberFailure;
  }

  @Override
  public String toString() {
    return member
        + "#"
        + number
        + " (pid "
        + pid
        + ", started "
        + started
        + (ended == null ? ", running" : ", exited " + exitCode + " at " + ended)
        + (stoppedBy == null ? "" : ", " + stoppedBy)
        + (raftMemberFailure.isEmpty() ? "" : ", stopped itself: " + raftMemberFailure)
        + ")";
  }
}
