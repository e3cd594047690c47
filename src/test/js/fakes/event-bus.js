// A stand-in for the vendored vertx-eventbus.js client: records what bus.js sends and registers,
// and lets a test open, drop, answer and publish as the bridge would.

export class FakeEventBus {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;

  /** @type {FakeEventBus[]} every client constructed, newest last */
  static created = [];

  /**
   * @param {string} url
   * @param {object} options
   */
  constructor(url, options) {
    this.url = url;
    this.options = options;
    this.state = FakeEventBus.CONNECTING;
    this.reconnectEnabled = false;
    this.sockJSConn = this.#socket();
    /** @type {{address: string, body: any, headers: object, callback: Function}[]} */
    this.sent = [];
    /** @type {Map<string, Function[]>} */
    this.handlers = new Map();
    /** @type {Error|null} what the next send throws, as the real client does on a dead socket */
    this.failNextSend = null;
    this.onopen = null;
    this.onclose = null;
    this.onerror = null;
    FakeEventBus.created.push(this);
  }

  enableReconnect(enable) {
    this.reconnectEnabled = enable;
  }

  send(address, body, headers, callback) {
    if (this.state !== FakeEventBus.OPEN) throw new Error('INVALID_STATE_ERR');
    if (this.failNextSend) {
      const error = this.failNextSend;
      this.failNextSend = null;
      throw error;
    }
    this.sent.push({ address, body, headers, callback });
  }

  registerHandler(address, callback) {
    if (this.state !== FakeEventBus.OPEN) throw new Error('INVALID_STATE_ERR');
    this.handlers.set(address, [...(this.handlers.get(address) ?? []), callback]);
  }

  close() {
    this.state = FakeEventBus.CLOSING;
    this.reconnectEnabled = false;
    this.sockJSConn?.close();
  }

  // What the bridge does, driven by the test.

  /** The socket opens (first time or after a reconnect): handlers start empty, as in the client. */
  open() {
    this.sockJSConn ??= this.#socket();
    this.handlers = new Map();
    this.state = FakeEventBus.OPEN;
    this.onopen?.();
  }

  /** The socket closes; pending reply callbacks are never called, as in the client. */
  drop() {
    this.sockJSConn?.close();
  }

  /** A reconnect attempt whose socket closes without ever opening. */
  failAttempt() {
    this.sockJSConn = this.#socket();
    this.sockJSConn.close();
  }

  /**
   * Removes and returns the oldest request to an address that has not been answered yet.
   * @param {string} address
   */
  take(address) {
    const index = this.sent.findIndex((request) => request.address === address);
    if (index < 0) throw new Error(`nothing was sent to ${address}; sent: ${this.addresses()}`);
    return this.sent.splice(index, 1)[0];
  }

  /**
   * Answers the oldest request to an address.
   * @param {string} address
   * @param {any} body
   */
  reply(address, body) {
    this.take(address).callback(null, { body });
  }

  /**
   * Fails the oldest request to an address as the bridge reports a failure.
   * @param {string} address
   * @param {{failureCode?: number, failureType?: string, message?: string}} failure
   */
  fail(address, failure) {
    this.take(address).callback(failure, undefined);
  }

  /**
   * Delivers a message to the handlers registered on an address.
   * @param {string} address
   * @param {any} body
   */
  publish(address, body) {
    for (const handler of this.handlers.get(address) ?? []) handler(null, { address, body });
  }

  /** @returns {string[]} the addresses of the requests not yet answered, oldest first */
  addresses() {
    return this.sent.map((request) => request.address);
  }

  #socket() {
    const socket = {
      closed: false,
      close: () => {
        if (socket.closed) return;
        socket.closed = true;
        this.state = FakeEventBus.CLOSED;
        if (this.reconnectEnabled) this.sockJSConn = null;
        this.onclose?.({});
      },
    };
    return socket;
  }
}
