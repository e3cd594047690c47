package dev.airwave.http;

import dev.airwave.logging.Disconnects;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.impl.SockJSSocketBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bridge socket over a WebSocket this server accepted itself, so that whatever the client sends
 * ends in a clear close: a message over the limit (however fragmented) with 1009, text that is not
 * UTF-8 with 1007, a broken frame with its protocol code, each logged once; a dropped connection is
 * logged at DEBUG only.
 */
final class BridgeWebSocket extends SockJSSocketBase {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeWebSocket.class);
  private static final short PROTOCOL_ERROR = 1002;
  private static final short SERVER_ERROR = 1011;

  private final ServerWebSocket ws;
  private final Framing framing;
  private final MessageAssembler assembler;
  private final long heartbeatTimer;
  private final Handler<Void> connectionClosed;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Void> closeHandler;
  private boolean closing;
  private boolean closed;

  BridgeWebSocket(
      Vertx vertx,
      RoutingContext ctx,
      SockJSHandlerOptions options,
      ServerWebSocket ws,
      Framing framing,
      int maxMessageBytes,
      Handler<Void> connectionClosed) {
    super(vertx, ctx, options);
    this.ws = ws;
    this.connectionClosed = connectionClosed;
    this.framing = framing;
    this.assembler = new MessageAssembler(maxMessageBytes);
    ws.frameHandler(this::onFrame);
    ws.exceptionHandler(this::onException);
    ws.closeHandler(v -> onClosed());
    framing.open(ws);
    heartbeatTimer =
        framing.heartbeat() == null
            ? -1
            : vertx.setPeriodic(options.getHeartbeatInterval(), id -> onHeartbeat());
  }

  private void onFrame(WebSocketFrame frame) {
    if (closing) {
      return;
    }
    try {
      String message = assembler.add(frame);
      if (message != null) {
        deliver(message);
      }
    } catch (MessageAssembler.Refused refused) {
      refuse(refused.code(), refused.getMessage());
    }
  }

  private void deliver(String message) {
    try {
      for (String frame : framing.frames(message)) {
        if (handler != null && !closing) {
          handler.handle(Buffer.buffer(frame));
        }
      }
    } catch (Framing.BadEnvelope e) {
      refuse(PROTOCOL_ERROR, e.getMessage());
    }
  }

  private void onException(Throwable error) {
    if (closing || Disconnects.isDisconnect(error)) {
      LOG.debug("socket from {} dropped: {}", remoteAddress(), error.toString());
    } else if (error instanceof CorruptedWebSocketFrameException corrupted) {
      refuse((short) corrupted.closeStatus().code(), corrupted.closeStatus().reasonText());
    } else {
      LOG.warn("closing socket from {} after {}", remoteAddress(), error.getClass().getName());
      close(SERVER_ERROR, "Server error");
    }
  }

  private void refuse(short code, String reason) {
    LOG.warn("closing socket from {} with {}: {}", remoteAddress(), code, reason);
    close(code, reason);
  }

  private void onHeartbeat() {
    if (!closing) {
      ws.writeTextMessage(framing.heartbeat());
    }
  }

  private void onClosed() {
    if (closed) {
      return;
    }
    closed = true;
    closing = true;
    vertx.cancelTimer(heartbeatTimer);
    connectionClosed.handle(null);
    end();
    if (endHandler != null) {
      endHandler.handle(null);
    }
    if (closeHandler != null) {
      closeHandler.handle(null);
    }
  }

  @Override
  public void close() {
    close(1000, "Normal closure");
  }

  @Override
  public void close(int statusCode, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    vertx.cancelTimer(heartbeatTimer);
    framing.closing(ws, statusCode, reason);
    ws.close((short) statusCode, reason);
  }

  @Override
  public void closeAfterSessionExpired() {
    close(1001, "Session expired");
  }

  @Override
  public Future<Void> write(Buffer data) {
    return closing ? Future.failedFuture("the socket is closed") : framing.write(ws, data);
  }

  @Override
  public SockJSSocket handler(Handler<Buffer> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public SockJSSocket exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public SockJSSocket endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public SockJSSocket closeHandler(Handler<Void> closeHandler) {
    this.closeHandler = closeHandler;
    return this;
  }

  @Override
  public SockJSSocket pause() {
    ws.pause();
    return this;
  }

  @Override
  public SockJSSocket resume() {
    ws.resume();
    return this;
  }

  @Override
  public SockJSSocket fetch(long amount) {
    ws.fetch(amount);
    return this;
  }

  @Override
  public SockJSSocket setWriteQueueMaxSize(int maxSize) {
    ws.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return ws.writeQueueFull();
  }

  @Override
  public SockJSSocket drainHandler(Handler<Void> handler) {
    ws.drainHandler(handler);
    return this;
  }

  @Override
  public SocketAddress remoteAddress() {
    return ws.remoteAddress();
  }

  @Override
  public SocketAddress localAddress() {
    return ws.localAddress();
  }

  @Override
  public MultiMap headers() {
    return MultiMap.caseInsensitiveMultiMap().addAll(ws.headers()).remove(HttpHeaders.COOKIE);
  }

  @Override
  public String uri() {
    return ws.uri();
  }
}
