package dev.airwave.config;

/** A setting that is unknown or out of range, named so the operator can fix it. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
