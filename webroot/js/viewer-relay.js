// A viewer's place in a relaying channel's tree: the member that feeds it, the viewers it feeds,
// and what it tells the server about both (a stalled parent, falling behind). No DOM here.

import { ADDRESS, ERROR } from './protocol.js';
import { Downstream } from './relay.js';
import { RelayMonitor } from './relay-health.js';

/** @typedef {import('./bus.js').Bus} Bus */
/** @typedef {import('./negotiation.js').Peer} Peer */
/** @typedef {import('./negotiation.js').Signal} Signal */

/**
 * @typedef {Object} ViewerRelayOptions
 * @property {() => boolean} canRelay whether the page may pass the stream on now
 * @property {() => Peer|null} upstream the connection the stream comes by, while it plays
 * @property {() => void} onstall the stream stopped coming from the parent
 * @property {() => void} onchange a viewer this page feeds was added or removed
 * @property {(text: string) => void} onproblem
 */

/**
 * The viewer's side of the relay tree. The session owns the life cycle and the upstream Peer; this
 * keeps who the server placed it under, feeds the children, and reports a stall once per placement
 * and falling behind once per join.
 */
export class ViewerRelay {
  /** @type {boolean} whether the current parent was reported stalled (once per placement) */
  #stallReported = false;
  /** @type {boolean} whether the last join offered to pass the stream on */
  #offeredRelay = false;

  /**
   * @param {Bus} bus
   * @param {ViewerRelayOptions} options
   */
  constructor(bus, options) {
    /** @type {Bus} */ this.bus = bus;
    /** @type {ViewerRelayOptions} */ this.options = options;
    /** @type {string|null} in a relaying channel, the member the server says feeds this page */
    this.parentId = null;
    /** @type {number} bumped by every parent message, so that an older join reply does not undo it */
    this.moves = 0;
    /** @type {number} airwave.relay.stalled requests sent, in all */ this.stalledReports = 0;
    /** @type {boolean} fell behind: a leaf until the user joins a channel again */ this.fellBehind = false;
    /** @type {Downstream} the viewers this page feeds */
    this.downstream = new Downstream({
      ice: () => this.bus.iceConfig(),
      send: (to, signal) => this.bus.request(ADDRESS.signal, { to, ...signal }),
      onchange: () => this.options.onchange(),
      onproblem: (text) => this.options.onproblem(text),
    });
    /** @type {RelayMonitor} watches the stream for a stall or for this page falling behind */
    this.monitor = new RelayMonitor({
      upstream: () => this.options.upstream(),
      downstream: () => this.downstream.peers(),
      watchBehind: () => this.able,
      onstall: () => this.options.onstall(),
      onbehind: () => this.#fallBehind(),
    });
  }

  /** @returns {boolean} whether this page offers to pass the stream on (and has not fallen behind) */
  get able() {
    return this.#offeredRelay && !this.fellBehind;
  }

  /** @returns {boolean} whether a parent is assigned and not yet reported stalled */
  get mayReportStall() {
    return Boolean(this.parentId) && !this.#stallReported;
  }

  /** The user joins a channel: having fallen behind in the last one says nothing about this one. */
  joining() {
    this.fellBehind = false;
  }

  /** @returns {boolean} whether the next join should offer to pass the stream on */
  wantsToRelay() {
    return !this.fellBehind && this.options.canRelay();
  }

  /** @param {boolean} offered whether the join the server just accepted offered to relay */
  joined(offered) {
    this.#offeredRelay = offered;
  }

  /**
   * Starts or stops watching the stream, as the channel relays or not.
   * @param {boolean} relaying
   */
  watch(relaying) {
    if (relaying) this.monitor.start();
    else this.monitor.stop();
  }

  /**
   * The join reply or channel-live named the parent: the same one keeps its stall report.
   * @param {string|null} parent
   */
  placed(parent) {
    if (parent !== this.parentId) this.#placeUnder(parent);
  }

  /**
   * A parent message: a new placement even under the same member, which opens a new connection.
   * @param {string|null} parent
   */
  moved(parent) {
    this.moves++;
    this.#placeUnder(parent);
  }

  /**
   * @param {string} from the sender of a signal meant for the upstream connection
   * @returns {boolean} whether a parent is known and it is not the sender
   */
  notFromParent(from) {
    return Boolean(this.parentId) && from !== this.parentId;
  }

  /** The member feeding this page stopped: the server is asked for another, once per placement. */
  reportStall() {
    if (!this.mayReportStall) return;
    this.#stallReported = true;
    this.stalledReports++;
    this.bus.request(ADDRESS.relayStalled, {}).catch(relayRefused);
  }

  /** @param {string} childId a viewer the server told this page to feed */
  feed(childId) {
    this.downstream.feed(childId).catch((e) => {
      console.error('airwave: could not feed a viewer', e);
      this.options.onproblem(`Could not pass the stream on: ${e.message}`);
    });
  }

  /** @param {string} childId a viewer this page no longer feeds */
  unfeed(childId) {
    this.downstream.unfeed(childId);
  }

  /**
   * @param {Signal & {from: string}} signal
   * @returns {boolean} whether it came from a viewer this page feeds (and was handled)
   */
  handle(signal) {
    return this.downstream.handle(signal);
  }

  /** @param {MediaStreamTrack} track a track from the upstream, passed on to every child */
  pass(track) {
    this.downstream.track(track);
  }

  /** Out of the channel's tree (left, ended, or forgotten by the server): no stream out, no parent. */
  leave() {
    this.downstream.closeAll();
    this.monitor.stop();
    this.#placeUnder(null);
  }

  /** @param {string|null} parent */
  #placeUnder(parent) {
    this.parentId = parent;
    this.#stallReported = false;
  }

  /** Too slow to pass the stream on: the server hands this page's viewers on, and it stays a leaf. */
  #fallBehind() {
    if (this.fellBehind) return;
    this.fellBehind = true;
    this.bus.request(ADDRESS.relayAble, { relay: false }).catch(relayRefused);
  }
}

/**
 * A relay request refused with not_relayed came after the channel stopped relaying (it was started
 * again without relay after its server was lost): there is nothing to hand on or report.
 * @param {any} e
 */
function relayRefused(e) {
  if (e?.code === ERROR.notRelayed) console.debug('airwave: the channel no longer relays', e);
  else console.warn('airwave: relay request failed', e);
}
