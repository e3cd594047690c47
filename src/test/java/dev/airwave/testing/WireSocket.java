package dev.airwave.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written at the byte level on a plain TCP socket, so a test can send what no
 * library would (fragments over the limit, broken UTF-8), never answer a close frame, and see
 * whether the server really drops the TCP connection.
 */
public final class WireSocket implements AutoCloseable {
  public static final int TEXT = 1;
  public static final int BINARY = 2;
  public static final int CONTINUATION = 0;
  private static final int CLOSE = 8;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private WireSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Opens {@code path} on 127.0.0.1 and completes the WebSocket handshake. */
  public static WireSocket open(int port, String path) {
    try {
      WireSocket wire = new WireSocket(new Socket(InetAddress.getLoopbackAddress(), port));
      wire.handshake(port, path);
      return wire;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handshake(int port, String path) throws IOException {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String request =
        "GET "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(nonce)
            + "\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String head = readHead();
    if (!head.startsWith("HTTP/1.1 101")) {
      throw new IOException("no upgrade: " + head);
    }
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      head.write(in.readUnsignedByte());
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** Sends one masked frame, as a browser does. False if the server already dropped TCP. */
  public boolean send(int opcode, boolean fin, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    try {
      out.write(frame.toByteArray());
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public boolean sendText(String text) {
    return send(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads frames (answering none) until the server's close frame, and returns its status code, or
   * -1 if TCP ended first or nothing came within {@code wait}.
   */
  public int awaitCloseFrame(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        int opcode = in.readUnsignedByte() & 0x0f;
        byte[] payload = readPayload();
        if (opcode == CLOSE) {
          return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
      }
    } catch (SocketTimeoutException | EOFException e) {
      return -1;
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  private byte[] readPayload() throws IOException {
    int length = in.readUnsignedByte() & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = (int) in.readLong();
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    return payload;
  }

  /**
   * True if the server closes the TCP connection within {@code wait} (without this side ever
   * answering its close frame); whatever else it sends is skipped.
   */
  public boolean awaitTcpClosed(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        if (in.read() < 0) {
          return true;
        }
      }
      return false;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Drops the connection with a TCP reset, as a client that vanishes mid-session. */
  public void reset() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }
}
