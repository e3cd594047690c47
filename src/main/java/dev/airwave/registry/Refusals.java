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

  static ProtocolException channelsFull() {
    return new ProtocolException(
        ErrorCode.CHANNELS_FULL, "The server carries its maximum of channels; try later.");
  }

  static ProtocolException tooManyChannels(int max) {
    return new ProtocolException(
        ErrorCode.TOO_MANY_CHANNELS,
        "This address already broadcasts " + max + " channels; stop one first.");
  }

  static ProtocolException taken(String id) {
    return new ProtocolException(
        ErrorCode.CHANNEL_TAKEN, "Channel id " + id + " is already in use.");
  }

  static ProtocolException waitingFull() {
    return new ProtocolException(
        ErrorCode.WAITING_FULL,
        "Too many people are waiting for channels that have not started; try again later.");
  }
}
