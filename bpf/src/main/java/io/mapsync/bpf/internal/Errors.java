package io.mapsync.bpf.internal;

import io.mapsync.bpf.BpfException;
import io.mapsync.bpf.BpfPermissionException;
import io.mapsync.bpf.InvalidArgumentException;
import io.mapsync.bpf.KeyExistsException;
import io.mapsync.bpf.KeyNotFoundException;
import io.mapsync.bpf.MapFullException;
import io.mapsync.bpf.NotSupportedException;
import io.mapsync.bpf.ObjectNotFoundException;

/** The one place where an errno becomes a typed exception. */
public final class Errors {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EINTR = 4;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;
  public static final int ENOMEM = 12;
  public static final int EACCES = 13;
  public static final int EFAULT = 14;
  public static final int EEXIST = 17;
  public static final int EINVAL = 22;
  public static final int ENOSPC = 28;
  public static final int E2BIG = 7;
  public static final int EOPNOTSUPP = 95;
  public static final int ENOTSUPP = 524; // kernel-internal, but bpf() returns it

  private Errors() {}

  /**
   * The exception for errno after {@code what} failed.
   *
   * @param what what was attempted, naming the object ("update of map 'flows' (id 7)")
   * @param lookup true for calls where ENOENT means a missing key rather than a missing object
   */
  public static BpfException of(int errno, String what, Boolean lookup) {
    String message = what + ": " + describe(errno);
    switch (errno) {
      case ENOENT:
        return Boolean.TRUE.equals(lookup)
            ? new KeyNotFoundException(message, errno)
            : new ObjectNotFoundException(message, errno);
      case EEXIST:
        return new KeyExistsException(message, errno);
      case E2BIG:
        return new MapFullException(message, errno);
      case EPERM:
      case EACCES:
        return new BpfPermissionException(message, errno);
      case EOPNOTSUPP:
      case ENOTSUPP:
        return new NotSupportedException(message, errno);
      case EINVAL:
        return new InvalidArgumentException(message, errno);
      default:
        return new BpfException(message, errno);
    }
  }

  static String describe(int errno) {
    switch (errno) {
      case EPERM:
        return "operation not permitted (EPERM)";
      case ENOENT:
        return "no such entry (ENOENT)";
      case EBADF:
        return "bad file descriptor (EBADF)";
      case EAGAIN:
        return "try again (EAGAIN)";
      case ENOMEM:
        return "out of memory (ENOMEM)";
      case EACCES:
        return "permission denied (EACCES)";
      case EFAULT:
        return "bad address (EFAULT)";
      case EEXIST:
        return "key exists (EEXIST)";
      case EINVAL:
        return "invalid argument (EINVAL)";
      case ENOSPC:
        return "no space (ENOSPC)";
      case E2BIG:
        return "map full (E2BIG)";
      case EOPNOTSUPP:
      case ENOTSUPP:
        return "not supported (errno " + errno + ")";
      default:
        return "errno " + errno;
    }
  }
}
