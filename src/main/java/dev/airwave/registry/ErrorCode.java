package dev.airwave.registry;

import java.util.Locale;

/** The typed refusals of the protocol, each with the HTTP-like status sent as failure code. */
public enum ErrorCode {
  BAD_REQUEST(400),
  INVALID_ID(400),
  INVALID_NAME(400),
  INVALID_TITLE(400),
  INVALID_TEXT(400),
  UNKNOWN_TYPE(400),
  TOO_LARGE(413),
  NOT_MEMBER(403),
  NOT_VIEWER(403),
  NOT_BROADCASTER(403),
  NOT_OWNER(403),
  NOT_ALLOWED(403),
  BAD_TOKEN(403),
  CREDENTIAL_REQUIRED(401),
  BAD_CREDENTIAL(403),
  NO_SUCH_CHANNEL(404),
  NO_SUCH_PEER(404),
  CHANNEL_TAKEN(409),
  NAME_TAKEN(409),
  ALREADY_IN_CHANNEL(409),
  BROADCASTER_PRESENT(409),
  NOT_RELAYED(409),
  RATE_LIMITED(429),
  TOO_MANY_SOCKETS(429),
  TOO_MANY_CHANNELS(429),
  TOO_MANY_PLACES(429),
  TOO_MANY_WAITING(429),
  WAITING_FULL(503),
  CHANNELS_FULL(503),
  CHANNEL_FULL(503),
  UNAVAILABLE(503);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** The code as it appears on the wire, e.g. {@code channel_taken}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
