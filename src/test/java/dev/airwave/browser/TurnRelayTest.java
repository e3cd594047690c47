package dev.airwave.browser;

import static dev.airwave.browser.Airwave.awaitMediaFlows;
import static dev.airwave.browser.Airwave.awaitPlaying;
import static dev.airwave.browser.Window.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

@DisplayName("Media through a TURN relay (Debian's coturn on loopback), in real browsers")
class TurnRelayTest extends BrowserTest {
  @Override
  protected JsonObject settings() throws Exception {
    turn = Coturn.start(buildFolder().resolve("coturn"));
    return new JsonObject()
        .put("turnUrls", new JsonArray().add(turn.url()))
        .put("turnSecret", turn.secret())
        .put("iceTransportPolicy", "relay");
  }

  @Override
  protected void stopOthers() {
    if (turn != null) {
      turn.close();
    }
  }

  /**
   * Gathers candidates for a fresh connection that may only use relays, with the servers in
   * arguments[0]; answers {types, errors} once gathering completes or after 8 s.
   */
  private static final String GATHER =
      """
      const servers = arguments[0];
      const done = arguments[arguments.length - 1];
      const pc = new RTCPeerConnection({iceServers: servers, iceTransportPolicy: 'relay'});
      const types = [];
      const errors = [];
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        pc.close();
        done({types, errors});
      };
      pc.onicecandidate = (e) => e.candidate && types.push(e.candidate.type);
      pc.onicecandidateerror = (e) => errors.push(e.errorCode);
      pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && finish();
      setTimeout(finish, 8000);
      pc.createDataChannel('probe');
      pc.createOffer()
        .then((offer) => pc.setLocalDescription(offer))
        .catch((e) => { errors.push(String(e)); finish(); });
      """;

  private Coturn turn;

  @Test
  @DisplayName("with the relay-only policy, the viewer plays video that flows through coturn")
  void mediaFlowsThroughTheRelay() {
    Window host = airwave.broadcast("relayed");
    Window viewer = airwave.watch("Ann", "relayed");
    awaitPlaying(viewer);
    awaitMediaFlows(List.of(viewer));
    assertEquals("relay", ice(viewer).get("transportPolicy"));
    assertEquals("relay", ice(host).get("transportPolicy"));
    Map<String, Object> stats = viewer.viewerStats();
    assertTrue(
        "relay".equals(stats.get("localCandidateType"))
            || "relay".equals(stats.get("remoteCandidateType")),
        "the selected candidate pair goes through the relay: " + stats);
  }

  @Test
  @DisplayName("a hello older than half the credential lifetime is asked again before connecting")
  void staleCredentialsAreRenewed() {
    Window host = airwave.broadcast("renewed");
    Object peerId = host.stats().get("peerId");
    host.script("airwaveDebug.expireIceConfig()");
    Window viewer = airwave.watch("Bob", "renewed");
    awaitPlaying(viewer);
    awaitMediaFlows(List.of(viewer));
    assertEquals(1, number(ice(host), "helloRefreshes"), "hellos asked again");
    assertEquals(peerId, host.stats().get("peerId"), "same peer id after the new hello");
    assertEquals(0, number(ice(viewer), "helloRefreshes"), "a fresh hello is used as it is");
  }

  @Test
  @DisplayName("the credential from hello is accepted by coturn: a relay candidate is gathered")
  void handedOutCredentialIsAccepted() {
    Window page = openPage();
    Map<String, Object> entry = turnEntry(page);
    Map<String, Object> result = gather(page, entry);
    assertTrue(types(result).contains("relay"), "relay candidates: " + result);
  }

  @Test
  @DisplayName("a wrong password gathers no relay candidate")
  void wrongPasswordIsRefused() {
    Window page = openPage();
    Map<String, Object> entry = turnEntry(page);
    String username = (String) entry.get("username");
    Map<String, Object> wrong = server(username, turn.password(username + "x"));
    assertRefused(gather(page, wrong));
  }

  @Test
  @DisplayName("an expired credential, rightly signed, gathers no relay candidate")
  void expiredCredentialIsRefused() {
    Window page = openPage();
    String peerId = (String) page.stats().get("peerId");
    String username = (System.currentTimeMillis() / 1000 - 60) + ":" + peerId;
    assertRefused(gather(page, server(username, turn.password(username))));
  }

  private Window openPage() {
    Window page = browser.open(service.baseUrl() + "/?viewer=true");
    page.await("the connection", Airwave.SHORT, Airwave::connected);
    return page;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> ice(Window window) {
    return (Map<String, Object>) window.stats().get("ice");
  }

  /** The entry of hello's iceServers that carries the TURN credential. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> turnEntry(Window page) {
    Object config =
        ((JavascriptExecutor) page.focus())
            .executeAsyncScript("airwaveDebug.iceConfig().then(arguments[arguments.length - 1])");
    Map<String, Object> ice = (Map<String, Object>) config;
    assertEquals("relay", ice.get("iceTransportPolicy"));
    List<Map<String, Object>> servers = (List<Map<String, Object>>) ice.get("iceServers");
    Map<String, Object> entry =
        servers.stream().filter(s -> s.containsKey("username")).findFirst().orElseThrow();
    assertEquals(List.of(turn.url()), entry.get("urls"));
    return entry;
  }

  private Map<String, Object> server(String username, String credential) {
    return Map.of("urls", List.of(turn.url()), "username", username, "credential", credential);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> gather(Window page, Map<String, Object> server) {
    Object result = ((JavascriptExecutor) page.focus()).executeAsyncScript(GATHER, List.of(server));
    return (Map<String, Object>) result;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> types(Map<String, Object> result) {
    return (List<Object>) result.get("types");
  }

  @SuppressWarnings("unchecked")
  private static void assertRefused(Map<String, Object> result) {
    assertFalse(types(result).contains("relay"), "no relay candidate: " + result);
    List<Object> errors = (List<Object>) result.get("errors");
    assertEquals(List.of(401L), errors.stream().distinct().toList(), "icecandidateerror codes");
  }

  /** {@code <build dir>}: the parent of test-classes, whatever build.dir says. */
  private static Path buildFolder() throws URISyntaxException {
    return Path.of(TurnRelayTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .getParent();
  }
}
