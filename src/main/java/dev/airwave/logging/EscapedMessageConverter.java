package dev.airwave.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The log pattern's message ({@code %safeMsg}), escaped with {@link LogText} so that no component
 * can write a client's newline or terminal escape into the text log.
 */
public final class EscapedMessageConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return LogText.escape(event.getFormattedMessage());
  }
}
