package dev.airwave.registry;

/** A request refused with a typed error and a sentence a person can read. */
public final class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public ProtocolException(ErrorCode code, String sentence) {
    super(sentence, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  /** The failure message sent to the client: {@code "<code>: <sentence>"}. */
  public String wireMessage() {
    return code.wire() + ": " + getMessage();
  }
}
