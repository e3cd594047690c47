// A stand-in for bus.js's Bus as the sessions use it: each request waits for the test to answer or
// refuse it (signals are answered at once), iceConfig() gives fixed settings, hello is what the
// service said.

import { BusError } from '../../../../webroot/js/bus.js';
import { ADDRESS } from '../../../../webroot/js/protocol.js';

export const ICE = Object.freeze({ iceServers: [{ urls: 'stun:stun.example:3478' }], iceTransportPolicy: 'all' });

export class FakeBus {
  constructor() {
    this.hello = { peerId: 'me', inbox: 'airwave.peer.me', keepaliveMs: 60000, limits: { graceSeconds: 30 } };
    /** @type {{address: string, body: any, resolve: Function, reject: Function}[]} requests not yet answered */
    this.pending = [];
    /** @type {any[]} the bodies sent to airwave.signal, in order */
    this.signals = [];
    /** @type {string[]} every address a request went to, in order */
    this.log = [];
  }

  request(address, body = {}) {
    this.log.push(address);
    if (address === ADDRESS.signal) {
      this.signals.push(body);
      return Promise.resolve({});
    }
    return new Promise((resolve, reject) => this.pending.push({ address, body, resolve, reject }));
  }

  async iceConfig() {
    return ICE;
  }

  /**
   * Removes and returns the oldest unanswered request to an address.
   * @param {string} address
   */
  take(address) {
    const index = this.pending.findIndex((request) => request.address === address);
    if (index < 0) throw new Error(`nothing waits on ${address}; pending: ${this.addresses()}`);
    return this.pending.splice(index, 1)[0];
  }

  /**
   * Answers the oldest request to an address, and returns its body.
   * @param {string} address
   * @param {any} [reply]
   */
  reply(address, reply = {}) {
    const request = this.take(address);
    request.resolve(reply);
    return request.body;
  }

  /**
   * Refuses the oldest request to an address as the service would.
   * @param {string} address
   * @param {string} code
   * @param {number} [status]
   */
  fail(address, code, status = 409) {
    const request = this.take(address);
    request.reject(new BusError(status, code, `refused with ${code}`));
    return request.body;
  }

  /** @returns {string[]} the addresses of the requests not yet answered, oldest first */
  addresses() {
    return this.pending.map((request) => request.address);
  }
}

/** localStorage, in memory. */
export class FakeStorage {
  constructor() {
    /** @type {Map<string, string>} */ this.items = new Map();
  }

  getItem(key) {
    return this.items.get(key) ?? null;
  }

  setItem(key, value) {
    this.items.set(key, String(value));
  }

  removeItem(key) {
    this.items.delete(key);
  }
}
