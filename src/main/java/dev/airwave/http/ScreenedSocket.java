package dev.airwave.http;

import dev.airwave.logging.Blame;
import dev.airwave.logging.Disconnects;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.impl.SockJSSocketBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's socket as the bridge sees it: every frame passes {@link FrameScreen} first, whatever
 * the bridge logs or throws while handling it is charged to this socket's {@link Faults}, and a
 * transport error closes the socket instead of reaching the bridge (which would log it and forget
 * the socket without closing it).
 */
final class ScreenedSocket extends SockJSSocketBase {
  private static final Logger LOG = LoggerFactory.getLogger(ScreenedSocket.class);
  private static final SockJSHandlerOptions NO_WRITE_HANDLER =
      new SockJSHandlerOptions().setRegisterWriteHandler(false);

  private final SockJSSocket socket;
  private final Faults faults = new Faults();
  private final EdgeMetrics refusals;

  ScreenedSocket(Vertx vertx, SockJSSocket socket, EdgeMetrics refusals) {
    super(vertx, socket.routingContext(), NO_WRITE_HANDLER);
    this.socket = socket;
    this.refusals = refusals;
  }

  @Override
  public SockJSSocket handler(Handler<Buffer> bridge) {
    socket.handler(bridge == null ? null : data -> onFrame(data, bridge));
    return this;
  }

  private void onFrame(Buffer data, Handler<Buffer> bridge) {
    String refusal = FrameScreen.refusal(data);
    if (refusal != null) {
      faults.count(refusal);
      refusals.refused(refusal);
      socket.write(new JsonObject().put("type", "err").put("body", refusal).toBuffer());
      return;
    }
    Blame.during(faults::count, () -> pass(data, bridge));
  }

  private void pass(Buffer data, Handler<Buffer> bridge) {
    try {
      bridge.handle(data);
    } catch (RuntimeException e) {
      faults.count("bridge_failure");
    }
  }

  @Override
  public SockJSSocket exceptionHandler(Handler<Throwable> bridge) {
    socket.exceptionHandler(bridge == null ? null : this::onException);
    return this;
  }

  private void onException(Throwable error) {
    if (Disconnects.isDisconnect(error)) {
      LOG.debug("socket from {} dropped: {}", remoteAddress(), error.toString());
    } else {
      LOG.warn("closing socket from {} after {}", remoteAddress(), error.getClass().getName());
    }
    socket.close();
  }

  @Override
  public SockJSSocket closeHandler(Handler<Void> bridge) {
    socket.closeHandler(bridge == null ? null : v -> onClosed(bridge));
    return this;
  }

  private void onClosed(Handler<Void> bridge) {
    faults.report(remoteAddress());
    bridge.handle(null);
  }

  @Override
  public SockJSSocket endHandler(Handler<Void> endHandler) {
    socket.endHandler(endHandler);
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    return socket.write(data);
  }

  @Override
  public Future<Void> end() {
    return socket.end();
  }

  @Override
  public void close() {
    socket.close();
  }

  @Override
  public void close(int statusCode, String reason) {
    socket.close(statusCode, reason);
  }

  @Override
  public void closeAfterSessionExpired() {
    if (socket instanceof SockJSSocketBase base) {
      base.closeAfterSessionExpired();
    } else {
      socket.close();
    }
  }

  @Override
  public SockJSSocket pause() {
    socket.pause();
    return this;
  }

  @Override
  public SockJSSocket resume() {
    socket.resume();
    return this;
  }

  @Override
  public SockJSSocket fetch(long amount) {
    socket.fetch(amount);
    return this;
  }

  @Override
  public SockJSSocket setWriteQueueMaxSize(int maxSize) {
    socket.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public SockJSSocket drainHandler(Handler<Void> handler) {
    socket.drainHandler(handler);
    return this;
  }

  @Override
  public String writeHandlerID() {
    return socket.writeHandlerID();
  }

  @Override
  public SocketAddress remoteAddress() {
    return socket.remoteAddress();
  }

  @Override
  public SocketAddress localAddress() {
    return socket.localAddress();
  }

  @Override
  public MultiMap headers() {
    return socket.headers();
  }

  @Override
  public String uri() {
    return socket.uri();
  }
}
