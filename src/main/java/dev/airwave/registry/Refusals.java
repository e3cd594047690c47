package dev.airwave.registry;

/** The refusals that more than one part of the registry gives. */
final class Refusals {
  private Refusals() {}

  static ProtocolException rateLimited() {
    return new ProtocolException(ErrorCode.RATE_LIMITED, "Too many messages; slow down.");
  }

  static ProtocolException notMember() {
    return new ProtocolException(ErrorCode.NOT_MEMBER, "This connection is not in a live channel.");
  }

  static ProtocolException nameTaken(String name) {
    return new ProtocolException(
        ErrorCode.NAME_TAKEN, "Someone in this channel is already called " + name + ".");
  }

  static ProtocolException waitingFull() {
    return new ProtocolException(
        ErrorCode.WAITING_FULL,
        "Too many people are waiting for channels that have not started; try again later.");
  }
}
