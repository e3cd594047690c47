package dev.airwave.testing;

/**
 * Keeps the real service, browsers and node processes out of the unit run: a test that starts one
 * there fails at once, telling its author to tag the class {@code integration}.
 */
public final class IntegrationRun {
  /** Set to {@code unit} by surefire (pom.xml); failsafe and an IDE leave it unset. */
  private static final String RUN = "airwave.test.run";

  private IntegrationRun() {}

  /** Throws in the unit run; {@code what} names what the test was about to start. */
  public static void require(String what) {
    if ("unit".equals(System.getProperty(RUN))) {
      throw new IllegalStateException(
          what
              + " belongs to the integration run: tag the test class @Tag(\"integration\")"
              + " (docs/testing.md)");
    }
  }
}
