package dev.airwave.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps clients from writing or flooding the log through the libraries: a Vert.x or Netty warning
 * or error raised while a client's frame is handled goes to that client's tally (see {@link
 * Blame}), and one caused by an ordinary dropped connection is not logged at all.
 */
public final class ClientLogFilter extends TurboFilter {
  /** The kind a library warning is counted under in a client's tally. */
  public static final String LIBRARY_WARNING = "library_warning";

  /** Adds the filter to logback's context unless the configuration already has it. */
  public static void install() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
        && context.getTurboFilterList().stream().noneMatch(ClientLogFilter.class::isInstance)) {
      ClientLogFilter filter = new ClientLogFilter();
      filter.setContext(context);
      filter.start();
      context.addTurboFilter(filter);
    }
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level == null || !level.isGreaterOrEqual(Level.WARN) || !fromLibrary(logger.getName())) {
      return FilterReply.NEUTRAL;
    }
    var tally = Blame.current();
    if (tally != null) {
      tally.accept(LIBRARY_WARNING);
      return FilterReply.DENY;
    }
    Throwable error = t != null ? t : lastThrowable(params);
    return error != null && Disconnects.isDisconnect(error)
        ? FilterReply.DENY
        : FilterReply.NEUTRAL;
  }

  private static Throwable lastThrowable(Object[] params) {
    return params != null && params.length > 0 && params[params.length - 1] instanceof Throwable e
        ? e
        : null;
  }

  private static boolean fromLibrary(String logger) {
    return logger.startsWith("io.vertx.") || logger.startsWith("io.netty.");
  }
}
