package dev.airwave.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every log event the root logger lets through while it is open, for assertions on logging. */
public final class LogCapture implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public LogCapture() {
    appender.start();
    root.addAppender(appender);
  }

  public List<ILoggingEvent> events() {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }

  /** Events at WARN or above. */
  public List<ILoggingEvent> warnings() {
    return events().stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
  }

  /** Events whose message mentions {@code text}. */
  public List<ILoggingEvent> mentioning(String text) {
    return events().stream().filter(e -> e.getFormattedMessage().contains(text)).toList();
  }

  /** The text of every event as a log line would hold it, stack traces included. */
  public List<String> texts() {
    return events().stream().map(LogCapture::text).toList();
  }

  private static String text(ILoggingEvent event) {
    StringBuilder text = new StringBuilder(event.getFormattedMessage());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      text.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
    }
    return text.toString();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
