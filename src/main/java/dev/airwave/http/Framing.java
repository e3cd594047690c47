package dev.airwave.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/**
 * How bridge frames travel in WebSocket messages: one frame per message on the raw endpoint ({@code
 * /eventbus/websocket}), or in SockJS's envelope ({@code o}, {@code h}, {@code a[...]}, {@code
 * c[code,reason]}) on the endpoint sockjs-client uses.
 */
enum Framing {
  RAW {
    @Override
    void open(ServerWebSocket ws) {}

    @Override
    String heartbeat() {
      return null;
    }

    @Override
    Future<Void> write(ServerWebSocket ws, Buffer frame) {
      return ws.writeBinaryMessage(frame);
    }

    @Override
    List<String> frames(String message) {
      return List.of(message);
    }

    @Override
    void closing(ServerWebSocket ws, int code, String reason) {}
  },

  SOCKJS {
    @Override
    void open(ServerWebSocket ws) {
      ws.writeTextMessage("o");
    }

    @Override
    String heartbeat() {
      return "h";
    }

    @Override
    Future<Void> write(ServerWebSocket ws, Buffer frame) {
      return ws.writeTextMessage("a" + new JsonArray().add(frame.toString()).encode());
    }

    @Override
    List<String> frames(String message) throws BadEnvelope {
      if (message.isEmpty()) {
        return List.of();
      }
      Object decoded;
      try {
        decoded = Json.decodeValue(message);
      } catch (DecodeException e) {
        throw new BadEnvelope();
      }
      if (decoded instanceof String single) {
        return List.of(single);
      }
      if (!(decoded instanceof JsonArray array)) {
        throw new BadEnvelope();
      }
      List<String> frames = new ArrayList<>(array.size());
      for (Object item : array) {
        if (!(item instanceof String frame)) {
          throw new BadEnvelope();
        }
        frames.add(frame);
      }
      return frames;
    }

    @Override
    void closing(ServerWebSocket ws, int code, String reason) {
      ws.writeTextMessage("c" + new JsonArray().add(code).add(reason).encode());
    }
  };

  /** Announces the open socket to the client. */
  abstract void open(ServerWebSocket ws);

  /** The keep-alive message to send every heartbeat interval, or null for none. */
  abstract String heartbeat();

  abstract Future<Void> write(ServerWebSocket ws, Buffer frame);

  /** The bridge frames one WebSocket message holds. */
  abstract List<String> frames(String message) throws BadEnvelope;

  /** Tells the client why the server closes, before the WebSocket close frame. */
  abstract void closing(ServerWebSocket ws, int code, String reason);

  /** A SockJS message that is not a JSON string or array of strings. */
  static final class BadEnvelope extends Exception {
    private static final long serialVersionUID = 1L;

    BadEnvelope() {
      super("Not a SockJS message", null, false, false);
    }
  }
}
