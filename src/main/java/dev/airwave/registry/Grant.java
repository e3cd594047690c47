package dev.airwave.registry;

/**
 * What the broadcast credential sent with a create allows, once its signature and expiry were
 * checked: anything when the service needs no credential, else at most the one channel it names.
 */
public record Grant(Kind kind, String channel, String subject) {
  /** Whether a credential was needed, and what came of checking it. */
  public enum Kind {
    OPEN,
    MISSING,
    INVALID,
    VALID
  }

  /** The service needs no credential: anyone may broadcast. */
  public static final Grant OPEN = new Grant(Kind.OPEN, null, null);

  public static final Grant MISSING = new Grant(Kind.MISSING, null, null);

  public static final Grant INVALID = new Grant(Kind.INVALID, null, null);

  /** A valid credential, for any channel id when {@code channel} is null. */
  public static Grant valid(String channel, String subject) {
    return new Grant(Kind.VALID, channel, subject);
  }

  /** Refuses a create that this grant does not allow under the given channel id. */
  void require(String id) {
    switch (kind) {
      case MISSING ->
          throw new ProtocolException(
              ErrorCode.CREDENTIAL_REQUIRED,
              "This server needs a broadcast credential to start a channel.");
      case INVALID ->
          throw new ProtocolException(
              ErrorCode.BAD_CREDENTIAL,
              "This broadcast credential is not valid (wrong, expired or malformed).");
      case VALID -> {
        if (channel != null && !channel.equals(id)) {
          throw new ProtocolException(
              ErrorCode.BAD_CREDENTIAL,
              "This broadcast credential is for channel " + channel + ".");
        }
      }
      case OPEN -> {}
    }
  }
}
