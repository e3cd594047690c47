package dev.airwave.browser;

import java.util.List;
import org.openqa.selenium.json.Json;

/** One participant's Firefox window (a BiDi browsing context); input comes from page scripts. */
final class FirefoxPage implements Page {
  private static final Json JSON = new Json();

  /** Runs a function body with the JSON-encoded arguments and answers its result as JSON. */
  private static final String CALL =
      """
      async function (json) {
        const value = await (async function () { BODY }).apply(null, JSON.parse(json));
        return JSON.stringify(value === undefined ? null : value);
      }
      """;

  private static final String TYPE =
      """
      const input = document.getElementById(arguments[0]);
      input.focus();
      input.value = arguments[1];
      input.dispatchEvent(new Event('input', {bubbles: true}));
      input.dispatchEvent(new Event('change', {bubbles: true}));
      """;

  /** Clicks as a user could: only an enabled element that is shown. */
  private static final String CLICK =
      """
      const element = document.getElementById(arguments[0]);
      if (element.disabled || element.getClientRects().length === 0) {
        throw new Error('#' + arguments[0] + ' cannot be clicked');
      }
      element.click();
      """;

  private final Firefox firefox;
  private final String context;
  private boolean closed;

  FirefoxPage(Firefox firefox, String context) {
    this.firefox = firefox;
    this.context = context;
  }

  String context() {
    return context;
  }

  void get(String url) {
    firefox.navigate(context, url);
  }

  @Override
  public void type(String id, String text) {
    run(true, TYPE, id, text);
  }

  @Override
  public void click(String id) {
    run(true, CLICK, id);
  }

  @Override
  public Object script(String script, Object... args) {
    return run(false, script, args);
  }

  private Object run(boolean byUser, String script, Object... args) {
    String json = JSON.toJson(List.of(args));
    return JSON.toType(
        firefox.call(context, CALL.replace("BODY", script), json, byUser), Json.OBJECT_TYPE);
  }

  void close() {
    if (closed) {
      return;
    }
    closed = true;
    firefox.closePage(this);
  }
}
