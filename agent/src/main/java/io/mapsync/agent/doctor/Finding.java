package io.mapsync.agent.doctor;

/**
 * One finding of {@code mapsync doctor}: what was looked at, whether it works, what was seen, and
 * the fix when it does not.
 */
public record Finding(String name, Status status, String detail, String fix) {
  /** OK works; WARN works with a cost (named in the detail); FAIL will not work until fixed. */
  public enum Status {
    OK,
    WARN,
    FAIL
  }

  static Finding ok(String name, String detail) {
    return new Finding(name, Status.OK, detail, "");
  }

  static Finding warn(String name, String detail, String fix) {
    return new Finding(name, Status.WARN, detail, fix);
  }

  static Finding fail(String name, String detail, String fix) {
    return new Finding(name, Status.FAIL, detail, fix);
  }
}
