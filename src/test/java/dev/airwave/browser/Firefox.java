package dev.airwave.browser;

import dev.airwave.testing.Processes;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openqa.selenium.bidi.BiDi;
import org.openqa.selenium.bidi.Command;
import org.openqa.selenium.bidi.Connection;
import org.openqa.selenium.bidi.protocol.browsingcontext.CloseParameters;
import org.openqa.selenium.bidi.protocol.browsingcontext.CreateParameters;
import org.openqa.selenium.bidi.protocol.browsingcontext.CreateType;
import org.openqa.selenium.bidi.protocol.browsingcontext.NavigateParameters;
import org.openqa.selenium.bidi.protocol.browsingcontext.ReadinessState;
import org.openqa.selenium.bidi.protocol.session.CapabilitiesRequest;
import org.openqa.selenium.bidi.protocol.session.NewParameters;
import org.openqa.selenium.json.Json;
import org.openqa.selenium.remote.http.ClientConfig;
import org.openqa.selenium.remote.http.HttpClient;

/**
 * Debian's headless Firefox ESR with fake camera and microphone, driven over WebDriver BiDi
 * straight to its remote agent (no geckodriver: Debian has none), holding one window per
 * participant.
 */
final class Firefox implements AutoCloseable {
  private static final String BINARY = "/usr/bin/firefox-esr";
  private static final Duration READY = Duration.ofSeconds(30);
  private static final Duration COMMAND = Duration.ofSeconds(20);
  private static final Duration STOP = Duration.ofSeconds(5);
  private static final Pattern LISTENING =
      Pattern.compile("WebDriver BiDi listening on (ws://[0-9.:]+)");

  /**
   * The profile's user.js. A persistent camera and microphone permission (the defaults below) is
   * what lets a page that captures nothing, a viewer, use every local address: without it Firefox
   * keeps to the default route's address, which a loopback-only namespace lacks, and gathers no
   * candidate at all. The loopback preference then lets 127.0.0.1 through.
   */
  private static final List<String> PREFS =
      List.of(
          "\"permissions.default.camera\", 1",
          "\"permissions.default.microphone\", 1",
          "\"media.peerconnection.ice.loopback\", true",
          "\"media.navigator.streams.fake\", true",
          "\"media.navigator.permission.disabled\", true",
          "\"browser.shell.checkDefaultBrowser\", false",
          "\"browser.startup.homepage_override.mstone\", \"ignore\"",
          "\"datareporting.policy.dataSubmissionEnabled\", false",
          "\"toolkit.telemetry.reportingpolicy.firstRun\", false",
          "\"network.captive-portal-service.enabled\", false",
          "\"network.connectivity-service.enabled\", false",
          // /health as a plain page, so the test's cleaner can reach the origin's localStorage
          "\"devtools.jsonview.enabled\", false");

  private final Process process;
  private final Path profile;
  private final BiDi bidi;
  private final List<FirefoxPage> pages = new ArrayList<>();

  private Firefox(Process process, Path profile, BiDi bidi) {
    this.process = process;
    this.profile = profile;
    this.bidi = bidi;
  }

  /** Starts Firefox with a fresh profile, its output in {@code <build dir>/firefox/}. */
  static Firefox launch() throws IOException {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new IllegalStateException(BINARY + " is missing: install Debian's firefox-esr package");
    }
    Path folder = Files.createDirectories(buildFolder().resolve("firefox"));
    Path profile = Files.createTempDirectory("airwave-firefox-");
    Files.writeString(
        profile.resolve("user.js"),
        PREFS.stream().map(p -> "user_pref(" + p + ");\n").collect(Collectors.joining()));
    Path log = folder.resolve("firefox-" + profile.getFileName() + ".log");
    Process process =
        new ProcessBuilder(
                BINARY,
                "--headless",
                "--no-remote",
                "--profile",
                profile.toString(),
                "--remote-debugging-port",
                "0",
                "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      return new Firefox(process, profile, connect(awaitEndpoint(process, log)));
    } catch (RuntimeException | IOException e) {
      Processes.stop(process, STOP);
      Browser.deleteQuietly(profile);
      throw e;
    }
  }

  /** Opens a new window (a tab in the background would not be rendered) at this URL. */
  FirefoxPage open(String url) {
    Map<String, Object> created =
        send("browsingContext.create", new CreateParameters(CreateType.WINDOW).toMap());
    FirefoxPage page = new FirefoxPage(this, (String) created.get("context"));
    pages.add(page);
    page.get(url);
    return page;
  }

  void navigate(String context, String url) {
    send(
        "browsingContext.navigate",
        new NavigateParameters(context, url).setWait(ReadinessState.COMPLETE).toMap());
  }

  /**
   * Calls this function declaration in the page with one string argument, awaiting a promise;
   * {@code byUser} gives the page a user activation first, as a real click or key press would.
   */
  String call(String context, String function, String argument, boolean byUser) {
    Map<String, Object> params =
        Map.of(
            "functionDeclaration",
            function,
            "awaitPromise",
            true,
            "target",
            Map.of("context", context),
            "arguments",
            List.of(Map.of("type", "string", "value", argument)),
            "userActivation",
            byUser);
    Map<String, Object> result = send("script.callFunction", params);
    if (!"success".equals(result.get("type"))) {
      throw new IllegalStateException(
          "script failed in Firefox: " + result.get("exceptionDetails"));
    }
    return (String) ((Map<?, ?>) result.get("result")).get("value");
  }

  List<FirefoxPage> pages() {
    return List.copyOf(pages);
  }

  void closePage(FirefoxPage page) {
    pages.remove(page);
    try {
      send("browsingContext.close", new CloseParameters(page.context()).toMap());
    } catch (RuntimeException e) {
      // already gone
    }
  }

  /** Closes every participant window, keeping the first one so the browser lives on. */
  void closePages() {
    for (FirefoxPage page : List.copyOf(pages)) {
      page.close();
    }
  }

  @Override
  public void close() {
    try {
      send("browser.close", Map.of());
    } catch (RuntimeException e) {
      // the connection may drop before the answer; the process is stopped below either way
    } finally {
      try {
        bidi.close();
      } catch (RuntimeException e) {
        // closed already
      }
      Processes.stop(process, STOP);
      Browser.deleteQuietly(profile);
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> send(String method, Map<String, Object> params) {
    return (Map<String, Object>) bidi.send(new Command<>(method, params, Json.MAP_TYPE), COMMAND);
  }

  /** The remote agent's address, from the line Firefox prints once it listens. */
  private static String awaitEndpoint(Process process, Path log) throws IOException {
    long deadline = System.nanoTime() + READY.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher listening = LISTENING.matcher(Files.readString(log));
      if (listening.find()) {
        return listening.group(1);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("Firefox exited early:\n" + Files.readString(log));
      }
      Window.pause(Page.POLL);
    }
    throw new IllegalStateException(
        "Firefox did not listen within " + READY + ":\n" + Files.readString(log));
  }

  private static BiDi connect(String endpoint) {
    HttpClient client =
        HttpClient.Factory.createDefault()
            .createClient(ClientConfig.defaultConfig().baseUri(URI.create(endpoint)));
    BiDi bidi = new BiDi(new Connection(client, endpoint + "/session"), COMMAND);
    bidi.send(
        new Command<>(
            "session.new", new NewParameters(new CapabilitiesRequest()).toMap(), Json.MAP_TYPE));
    return bidi;
  }

  /** {@code <build dir>}: the parent of test-classes, whatever build.dir says. */
  private static Path buildFolder() {
    try {
      return Path.of(Firefox.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
