package dev.airwave.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import java.util.Arrays;

/**
 * The log pattern's stack trace ({@code %safeEx}): as logback prints it, but every exception
 * message (which may quote client input) escaped with {@link LogText}.
 */
public final class EscapedThrowableConverter extends ThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy proxy) {
    return super.throwableProxyToString(Escaped.of(proxy));
  }

  /** A throwable proxy whose message, and its causes' and suppressed ones', are escaped. */
  private record Escaped(IThrowableProxy raw) implements IThrowableProxy {
    static IThrowableProxy of(IThrowableProxy raw) {
      return raw == null ? null : new Escaped(raw);
    }

    @Override
    public String getMessage() {
      return LogText.escape(raw.getMessage());
    }

    @Override
    public String getClassName() {
      return raw.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
      return raw.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
      return raw.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
      return of(raw.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
      IThrowableProxy[] suppressed = raw.getSuppressed();
      return suppressed == null
          ? null
          : Arrays.stream(suppressed).map(Escaped::of).toArray(IThrowableProxy[]::new);
    }

    @Override
    public boolean isCyclic() {
      return raw.isCyclic();
    }
  }
}
