package io.mapsync.agent.kernel;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Keeps what the agent logs under a logger name while open, so tests can assert what operators see.
 */
final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  LogCapture(String loggerName) {
    logger = (Logger) LoggerFactory.getLogger(loggerName);
    appender.start();
    logger.addAppender(appender);
  }

  /** The messages logged so far, formatted. */
  List<String> messages() {
    synchronized (appender) {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  boolean any(java.util.function.Predicate<String> test) {
    return messages().stream().anyMatch(test);
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }
}
