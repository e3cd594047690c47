// A relaying viewer's side of the relay tree: whether this page may pass the stream on, and the
// connections to the viewers it feeds. No DOM here.

import { Peer } from './negotiation.js';

/** @typedef {import('./negotiation.js').Signal} Signal */
/** @typedef {import('./bus.js').IceConfig} IceConfig */
/** @typedef {{saveData?: boolean, type?: string, effectiveType?: string}} ConnectionInfo */

/** Effective connection types too slow to feed anyone else. */
const WEAK = Object.freeze(['slow-2g', '2g', '3g']);

/**
 * Whether this page may offer to pass the stream on: not when its user saves data, pays by the
 * byte (cellular) or has a weak link. Browsers without navigator.connection (Firefox, Safari) say
 * nothing, and nothing said counts as capable.
 * @param {object} navigatorLike `navigator`, or a stand-in with the same `connection`
 * @returns {boolean}
 */
export function relayCapable(navigatorLike) {
  const connection = /** @type {{connection?: ConnectionInfo}} */ (navigatorLike).connection;
  if (!connection) return true;
  if (connection.saveData || connection.type === 'cellular') return false;
  return !WEAK.includes(connection.effectiveType ?? '');
}

/**
 * @typedef {Object} DownstreamOptions
 * @property {() => Promise<IceConfig>} ice the settings for a new connection
 * @property {(to: string, signal: Signal) => Promise<any>} send delivers a signal to a child
 * @property {() => void} [onchange] a child was added or removed
 * @property {(text: string) => void} [onproblem]
 */

/**
 * The connections from this viewer to the viewers the server told it to feed: each offers (the
 * feeder is the impolite side) whatever the upstream last gave, and keeps its senders when the
 * upstream changes, so a new parent costs the children no renegotiation.
 */
export class Downstream {
  /** @type {Map<string, {peer: Peer|null}>} the children; peer is null while its settings load */
  #children = new Map();
  /** @type {Map<'audio'|'video', MediaStreamTrack>} the upstream's latest track of each kind */
  #tracks = new Map();
  /** @type {MediaStream|null} one stream for all, so that children keep audio and video in sync */
  #stream = null;

  /** @param {DownstreamOptions} options */
  constructor(options) {
    /** @type {DownstreamOptions} */ this.options = options;
  }

  /** @returns {number} how many viewers this page feeds (connected or not yet) */
  get size() {
    return this.#children.size;
  }

  /** @returns {string[]} the peer ids of the viewers this page feeds */
  ids() {
    return [...this.#children.keys()];
  }

  /** @returns {Peer[]} the connections made so far */
  peers() {
    return [...this.#children.values()].flatMap((child) => (child.peer ? [child.peer] : []));
  }

  /** @param {string} id */
  has(id) {
    return this.#children.has(id);
  }

  /**
   * Starts sending to a child: a connection with the upstream's tracks, offered at once.
   * @param {string} childId
   * @returns {Promise<void>}
   */
  async feed(childId) {
    if (this.#children.has(childId)) return;
    const child = { peer: /** @type {Peer|null} */ (null) };
    this.#children.set(childId, child);
    this.options.onchange?.();
    const ice = await this.options.ice();
    // Unfed, or fed again, while the settings were on their way: this attempt is over.
    if (this.#children.get(childId) !== child) return;
    child.peer = new Peer(childId, {
      polite: false,
      ice,
      send: (signal) => this.options.send(childId, signal),
      onerror: (e) => this.options.onproblem?.(`Passing the stream on had a problem: ${e.message}`),
    });
    for (const track of this.#tracks.values()) child.peer.addTrack(track, this.#sharedStream());
  }

  /**
   * Stops sending to a child and closes its connection.
   * @param {string} childId
   */
  unfeed(childId) {
    const child = this.#children.get(childId);
    if (!child) return;
    this.#children.delete(childId);
    child.peer?.close();
    this.options.onchange?.();
  }

  /**
   * Passes a signal from a child to its connection.
   * @param {Signal & {from: string}} signal
   * @returns {boolean} whether it came from a child
   */
  handle(signal) {
    const child = this.#children.get(signal.from);
    child?.peer?.handle(signal);
    return Boolean(child);
  }

  /**
   * The upstream gave a track: every child sends it, in place of the one of the same kind it sent.
   * @param {MediaStreamTrack} track
   */
  track(track) {
    const kind = /** @type {'audio'|'video'} */ (track.kind);
    const stream = this.#sharedStream();
    const old = this.#tracks.get(kind);
    if (old) stream.removeTrack(old);
    stream.addTrack(track);
    this.#tracks.set(kind, track);
    for (const peer of this.peers()) {
      if (!peer.senders.has(kind)) {
        peer.addTrack(track, stream);
        continue;
      }
      peer.replaceTrack(kind, track).catch((e) => {
        console.error('airwave: relay replaceTrack failed', e);
        this.options.onproblem?.(`Could not pass the new ${kind} on: ${e.message}`);
      });
    }
  }

  /** Closes every child's connection and forgets the upstream's tracks (leaving, or the end). */
  closeAll() {
    this.#tracks.clear();
    this.#stream = null;
    if (this.#children.size === 0) return;
    for (const child of this.#children.values()) child.peer?.close();
    this.#children.clear();
    this.options.onchange?.();
  }

  #sharedStream() {
    this.#stream ??= new MediaStream();
    return this.#stream;
  }
}
