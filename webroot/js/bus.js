// The connection to the service: the event-bus bridge, requests with timeouts, hello and the inbox.
// No DOM here; the UI listens through the on* callbacks.

import { ADDRESS, ERROR, PAGE_CODE } from './protocol.js';

/** @typedef {'connecting'|'connected'|'reconnecting'|'offline'} ConnectionState */

/**
 * @typedef {Object} Hello
 * @property {string} peerId
 * @property {string} inbox
 * @property {number} keepaliveMs
 * @property {RTCIceServer[]} iceServers the TURN entry carries a credential that expires
 * @property {RTCIceTransportPolicy} iceTransportPolicy
 * @property {number} iceTtlSeconds how long the TURN credential stays valid
 * @property {Object<string, number>} limits
 * @property {boolean} [broadcastCredential] whether creating a channel needs a broadcast key
 * @property {boolean} [debug] present (true) when the service asks pages for their test hook
 */

/** @typedef {{iceServers: RTCIceServer[], iceTransportPolicy: RTCIceTransportPolicy}} IceConfig */

/** A refused or unanswered request: `status` is the HTTP-like code (0 when local). */
export class BusError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} text
   */
  constructor(status, code, text) {
    super(`${code}: ${text}`);
    /** @type {number} */ this.status = status;
    /** @type {string} */ this.code = code;
    /** @type {string} */ this.text = text;
  }

  /**
   * Parses a bridge failure `{failureCode, failureType, message: "code: sentence"}`.
   * @param {{failureCode?: number, failureType?: string, message?: string}} failure
   * @returns {BusError}
   */
  static fromFailure(failure) {
    const message = String(failure.message ?? '');
    const match = /^([a-z_]+): (.*)$/s.exec(message);
    if (match) return new BusError(failure.failureCode ?? 0, match[1], match[2]);
    return new BusError(failure.failureCode ?? 0, failure.failureType ?? PAGE_CODE.unknown, message);
  }
}

const OFFLINE_AFTER_ATTEMPTS = 3;
// The bridge counts pending requests against maxHandlersPerSocket and refuses beyond it without
// saying which request it refused, so stay well below it (a broadcaster with many viewers sends
// bursts of ICE candidates).
const MAX_IN_FLIGHT = 12;

export class Bus {
  /**
   * @param {string} url the bridge URL, e.g. "/eventbus"
   * @param {{requestTimeoutMs?: number, watchChannels?: boolean}} [options]
   */
  constructor(url, options = {}) {
    /** @type {string} */ this.url = url;
    /** @type {number} */ this.requestTimeoutMs = options.requestTimeoutMs ?? 8000;
    /** @type {boolean} */ this.watchChannels = options.watchChannels ?? false;
    /** @type {ConnectionState} */ this.state = 'connecting';
    /** @type {Hello|null} */ this.hello = null;
    /** @type {number} performance.now() when `hello` was received */ this.helloAt = 0;
    /** @type {Promise<void>|null} a hello refresh in flight, shared by its callers */
    this.refreshing = null;
    /** @type {number} hellos asked again on an open socket to renew the ICE credentials */
    this.helloRefreshes = 0;
    /** @type {EventBus|null} the vendored client */ this.eb = null;
    /** @type {number} */ this.failedAttempts = 0;
    /** @type {number} requests sent and not yet answered */ this.inFlight = 0;
    /** @type {Set<() => void>} how to fail each request in flight when the socket closes */
    this.failOnClose = new Set();
    /** @type {Array<() => void>} requests waiting for a free slot */ this.queued = [];

    /** @type {(state: ConnectionState) => void} */ this.onstate = () => {};
    /** @type {(hello: Hello) => void} called after every (re)connect, with a new peer id */
    this.onready = () => {};
    /** @type {(message: any) => void} */ this.oninbox = () => {};
    /** @type {(channels: any[], now?: number) => void} */ this.onchannels = () => {};
    /** @type {(text: string) => void} */ this.onproblem = () => {};
  }

  /** Opens the socket; it reconnects by itself until close(). */
  start() {
    const eb = new EventBus(this.url, {
      vertxbus_reconnect_delay_min: 500,
      vertxbus_reconnect_delay_max: 4000,
    });
    eb.enableReconnect(true);
    eb.onopen = () => this.#opened(eb);
    eb.onclose = () => this.#closed(eb);
    eb.onerror = (err) => this.#bridgeError(err);
    this.eb = eb;
    addEventListener('online', () => this.state === 'offline' && this.#setState('reconnecting'));
  }

  /** Closes the socket for good. */
  close() {
    if (this.eb) this.eb.close();
    this.#setState('offline');
  }

  /**
   * Sends a request and resolves with the reply body, or rejects with a BusError
   * (including `timeout`: bridge-level refusals never answer the request).
   * @param {string} address
   * @param {Object} [body]
   * @param {number} [timeoutMs]
   * @returns {Promise<any>}
   */
  request(address, body = {}, timeoutMs = this.requestTimeoutMs) {
    return new Promise((resolve, reject) => {
      const send = () => this.#send(address, body, timeoutMs, resolve, reject);
      if (this.inFlight < MAX_IN_FLIGHT) send();
      else this.queued.push(send);
    });
  }

  /**
   * @param {string} address
   * @param {Object} body
   * @param {number} timeoutMs
   * @param {(body: any) => void} resolve
   * @param {(error: BusError) => void} reject
   */
  #send(address, body, timeoutMs, resolve, reject) {
    if (!this.eb || this.eb.state !== EventBus.OPEN) {
      reject(new BusError(0, PAGE_CODE.offline, 'not connected to the service'));
      this.#next();
      return;
    }
    this.inFlight++;
    let settled = false;
    /** @param {() => void} outcome */
    const settle = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.failOnClose.delete(lost);
      this.inFlight--;
      outcome();
      this.#next();
    };
    const lost = () => settle(() => reject(new BusError(0, PAGE_CODE.offline, `connection lost during ${address}`)));
    this.failOnClose.add(lost);
    const timer = setTimeout(() => {
      settle(() => reject(new BusError(0, PAGE_CODE.timeout, `no reply to ${address} within ${timeoutMs} ms`)));
    }, timeoutMs);
    try {
      this.eb.send(address, body, {}, (/** @type {any} */ err, /** @type {any} */ message) =>
        settle(() => (err ? reject(BusError.fromFailure(err)) : resolve(message.body ?? {}))),
      );
    } catch (e) {
      settle(() => reject(new BusError(0, PAGE_CODE.offline, String(e.message ?? e))));
    }
  }

  #next() {
    const send = this.queued.shift();
    if (send) send();
  }

  /** @param {EventBus} eb */
  async #opened(eb) {
    this.failedAttempts = 0;
    try {
      const hello = /** @type {Hello} */ (await this.request(ADDRESS.hello, {}));
      eb.registerHandler(hello.inbox, (err, msg) => this.#deliver(err, msg, this.oninbox));
      if (this.watchChannels) this.#registerChannelList(eb);
      this.hello = hello;
      this.helloAt = performance.now();
      this.#setState('connected');
      this.onready(hello);
    } catch (e) {
      console.error('airwave: hello failed', e);
      this.onproblem(`Could not greet the service (${e.message}); retrying.`);
      eb.sockJSConn?.close();
    }
  }

  /**
   * The ICE settings for a new peer connection. TURN credentials expire, so once the hello is older
   * than half their lifetime it is asked again on this socket (same peer id, fresh credentials).
   * A failed refresh keeps the old settings: they may still work, and the failure is logged.
   * @returns {Promise<IceConfig>}
   */
  async iceConfig() {
    if (this.hello && this.#helloAgeMs() > (this.hello.iceTtlSeconds ?? Infinity) * 500) {
      this.refreshing ??= this.#refreshHello().finally(() => (this.refreshing = null));
      await this.refreshing;
    }
    return {
      iceServers: this.hello?.iceServers ?? [],
      iceTransportPolicy: this.hello?.iceTransportPolicy ?? 'all',
    };
  }

  /** Makes the next iceConfig() ask hello again, as if half the credential lifetime had passed. */
  expireIceConfig() {
    this.helloAt = -Infinity;
  }

  #helloAgeMs() {
    return performance.now() - this.helloAt;
  }

  async #refreshHello() {
    const before = this.hello;
    try {
      const hello = /** @type {Hello} */ (await this.request(ADDRESS.hello, {}));
      // The socket closed or reconnected meanwhile: its own hello is the one to keep.
      if (this.hello !== before || hello.peerId !== before?.peerId) return;
      this.hello = hello;
      this.helloAt = performance.now();
      this.helloRefreshes++;
    } catch (e) {
      console.warn('airwave: could not refresh the ICE credentials; using the old ones', e);
    }
  }

  /** Registers the public channel list after start (the viewer page turns it on). */
  watchChannelList() {
    if (this.watchChannels) return;
    this.watchChannels = true;
    if (this.state === 'connected' && this.eb) this.#registerChannelList(this.eb);
  }

  /** @param {EventBus} eb */
  #registerChannelList(eb) {
    eb.registerHandler(ADDRESS.channels, (err, msg) =>
      this.#deliver(err, msg, (body) => this.onchannels(body.channels ?? [], body.now)),
    );
  }

  /** @param {EventBus} eb */
  #closed(eb) {
    this.hello = null;
    [...this.failOnClose].forEach((fail) => fail());
    this.failedAttempts++;
    const offline = !navigator.onLine || this.failedAttempts > OFFLINE_AFTER_ATTEMPTS;
    this.#setState(eb.reconnectEnabled && !offline ? 'reconnecting' : 'offline');
  }

  /** @param {any} err */
  #bridgeError(err) {
    const code = typeof err?.body === 'string' ? err.body : (err?.message ?? PAGE_CODE.unknown);
    console.warn('airwave: bridge refused a frame:', code, err);
    if (code === ERROR.tooManySockets) {
      this.onproblem('Too many connections from your network are open; close other Airwave tabs.');
      return;
    }
    this.onproblem(`The service refused a message (${code}).`);
  }

  /**
   * @param {any} err
   * @param {any} msg
   * @param {(body: any) => void} handler
   */
  #deliver(err, msg, handler) {
    if (err) {
      console.warn('airwave: failure on a handler', err);
      return;
    }
    try {
      handler(msg.body);
    } catch (e) {
      console.error('airwave: handler failed', e);
      this.onproblem(`Something went wrong: ${e.message}`);
    }
  }

  /** @param {ConnectionState} state */
  #setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.onstate(state);
  }
}
