package dev.airwave.testing;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the integration tests: one real service per test class (with the class's settings), and
 * fresh clients per test that are all closed afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
public abstract class ServiceTest {
  protected ServiceUnderTest service;
  protected Clients clients;

  /** Settings on top of the test defaults; override to change limits or timeouts. */
  protected JsonObject settings() {
    return new JsonObject();
  }

  @BeforeEach
  void openClients() {
    if (service == null) {
      service = ServiceUnderTest.start(settings());
    }
    clients = new Clients(service);
  }

  @AfterEach
  void closeClients() {
    clients.close();
  }

  @AfterAll
  void stopService() {
    if (service != null) {
      service.close();
    }
  }
}
