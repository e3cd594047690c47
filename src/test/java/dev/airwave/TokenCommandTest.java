package dev.airwave;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.airwave.registry.BroadcastCredentials;
import dev.airwave.registry.Grant;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("airwave token mints broadcast credentials that the server accepts")
class TokenCommandTest {
  private static final String SECRET = "token-command-secret-0123456789abcdef";

  @TempDir Path dir;

  private String run(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, TokenCommand.run(args));
    } finally {
      System.setOut(out);
    }
    return printed.toString(StandardCharsets.UTF_8).strip();
  }

  private Path settings(JsonObject json) throws IOException {
    Path file = dir.resolve("settings.json");
    Files.writeString(file, json.encode());
    return file;
  }

  @Test
  @DisplayName("a minted credential grants its channel until it expires")
  void mintedCredentialIsAccepted() throws IOException {
    Path file = settings(new JsonObject().put("broadcastSecret", SECRET));
    String token = run("--channel", "show", "--ttl", "120", "--subject", "ops", file.toString());
    Vertx vertx = Vertx.vertx();
    try {
      Grant grant =
          new BroadcastCredentials(vertx, SECRET)
              .grant(new JsonObject().put("credential", token))
              .await();
      assertEquals(Grant.valid("show", "ops"), grant);
      Grant foreign =
          new BroadcastCredentials(vertx, "another-secret-0123456789abcdef-xyz")
              .grant(new JsonObject().put("credential", token))
              .await();
      assertEquals(Grant.INVALID, foreign);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("without a secret, or with bad arguments, it says why and exits 2")
  void refusesWithoutSecret() throws IOException {
    Path file = settings(new JsonObject());
    assertEquals(2, TokenCommand.run(new String[] {file.toString()}));
    assertEquals(2, TokenCommand.run(new String[] {"--ttl", "5", file.toString()}));
    assertEquals(2, TokenCommand.run(new String[] {"--ttl"}));
    Path secret = settings(new JsonObject().put("broadcastSecret", SECRET));
    assertEquals(2, TokenCommand.run(new String[] {"--channel", "bad id!", secret.toString()}));
  }
}
