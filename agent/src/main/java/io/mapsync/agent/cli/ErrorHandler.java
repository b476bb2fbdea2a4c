package io.mapsync.agent.cli;

import io.mapsync.agent.config.ConfigException;
import io.mapsync.agent.sync.LocalWriteException;
import io.mapsync.store.StoreException;
import picocli.CommandLine;

/**
 * One readable line for the failures a user can fix (bad config, store unreachable, kernel refusal)
 * and exit codes scripts can tell apart: 2 config, 3 store, 4 kernel, 1 anything else.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  static final int CONFIG = 2;
  static final int STORE = 3;
  static final int KERNEL = 4;

  @Override
  public int handleExecutionException(
      Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    Throwable t = e;
    if (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    var err = cli.getErr();
    if (t instanceof ConfigException) {
      err.println("mapsync: " + t.getMessage());
      return CONFIG;
    }
    if (t instanceof StoreException) {
      err.println("mapsync: store: " + t.getMessage());
      return STORE;
    }
    if (t instanceof LocalWriteException || t.getClass().getName().startsWith("io.mapsync.bpf.")) {
      err.println("mapsync: kernel: " + t.getMessage());
      return KERNEL;
    }
    err.println("mapsync: " + t);
    t.printStackTrace(err);
    return 1;
  }
}
