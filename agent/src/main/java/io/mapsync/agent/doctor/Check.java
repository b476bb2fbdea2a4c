package io.mapsync.agent.doctor;

/**
 * One finding of {@code mapsync doctor}: what was looked at, whether it works, what was seen, and
 * the fix when it does not.
 */
public record Check(String name, Status status, String detail, String fix) {
  /** OK works; WARN works with a cost (named in the detail); FAIL will not work until fixed. */
  public enum Status { OK, WARN, FAIL }

  static Check ok(String name, String detail) {
    return new Check(name, Status.OK, detail, "");
  }

  static Check warn(String name, String detail, String fix) {
    return new Check(name, Status.WARN, detail, fix);
  }

  static Check fail(String name, String detail, String fix) {
    return new Check(name, Status.FAIL, detail, fix);
  }
}
