package dev.airwave.browser;

import dev.airwave.testing.IntegrationRun;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;

/** One headless Chromium with fake camera and microphone, holding one window per participant. */
final class Browser implements AutoCloseable {
  private static final List<String> FLAGS =
      List.of(
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--use-fake-ui-for-media-stream",
          "--use-fake-device-for-media-stream",
          "--auto-select-desktop-capture-source=Entire screen",
          "--allow-loopback-in-peer-connection",
          "--disable-features=WebRtcHideLocalIpsWithMdns",
          "--autoplay-policy=no-user-gesture-required",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          "--no-default-browser-check",
          "--disable-background-timer-throttling",
          "--disable-renderer-backgrounding",
          "--disable-backgrounding-occluded-windows",
          "--window-size=1280,800");

  private final ChromeDriver driver;
  private final Path profile;
  private final String home;
  private final List<Window> windows = new ArrayList<>();
  private String current;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
    this.home = driver.getWindowHandle();
    this.current = home;
  }

  static Browser launch() {
    IntegrationRun.require("a browser");
    Path profile;
    try {
      profile = Files.createTempDirectory("airwave-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(FLAGS);
    options.addArguments("--user-data-dir=" + profile);
    System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
    ChromeDriver driver = new ChromeDriver(options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    return new Browser(driver, profile);
  }

  ChromeDriver driver() {
    return driver;
  }

  /**
   * The CPU time this browser's processes (the browser, its renderers, GPU and utility processes)
   * have used so far, those still running; the processes are found by this browser's profile.
   */
  Duration cpuTime() {
    String flag = "--user-data-dir=" + profile;
    Map<Long, ProcessHandle> processes = new HashMap<>();
    ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(flag)).orElse(false))
        .forEach(
            p -> {
              processes.put(p.pid(), p);
              p.descendants().forEach(child -> processes.put(child.pid(), child));
            });
    return processes.values().stream()
        .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
        .reduce(Duration.ZERO, Duration::plus);
  }

  /** Opens a new window (not a tab: background tabs stop presenting frames) at this URL. */
  Window open(String url) {
    driver.switchTo().newWindow(WindowType.WINDOW);
    current = driver.getWindowHandle();
    Window window = new Window(this, current);
    windows.add(window);
    driver.get(url);
    return window;
  }

  List<Window> windows() {
    return List.copyOf(windows);
  }

  void forget(Window window) {
    windows.remove(window);
  }

  /** Brings the driver to this window (the driver keeps one current window). */
  ChromeDriver focus(String handle) {
    if (!handle.equals(current)) {
      driver.switchTo().window(handle);
      current = handle;
    }
    return driver;
  }

  void closeWindow(String handle) {
    try {
      focus(handle).close();
    } catch (RuntimeException e) {
      // already gone
    } finally {
      driver.switchTo().window(home);
      current = home;
    }
  }

  /** Closes every participant window, keeping the first one so the session lives on. */
  void closeWindows() {
    for (Window window : List.copyOf(windows)) {
      window.close();
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteQuietly(profile);
    }
  }

  /** Deletes a temporary browser profile, leaving it be if it cannot. */
  static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException | UncheckedIOException e) {
      // a leftover temp profile is harmless
    }
  }
}
