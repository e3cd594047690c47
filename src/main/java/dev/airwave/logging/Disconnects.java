package dev.airwave.logging;

import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/** Tells an ordinary dropped connection (a phone losing its network) from a real failure. */
public final class Disconnects {
  private static final int MAX_CAUSES = 8;

  private Disconnects() {}

  public static boolean isDisconnect(Throwable error) {
    Throwable cause = error;
    for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
      if (cause instanceof HttpClosedException || cause instanceof ClosedChannelException) {
        return true;
      }
      String message = String.valueOf(cause.getMessage());
      if (message.equals("Connection was closed")
          || (cause instanceof IOException
              && (message.contains("Connection reset") || message.contains("Broken pipe")))) {
        return true;
      }
    }
    return false;
  }
}
