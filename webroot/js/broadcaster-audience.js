// The broadcaster's audience: who watches, and the Peer that sends the stream to each. No DOM here.

import { Peer } from './negotiation.js';
import { ADDRESS } from './protocol.js';

/** @typedef {import('./bus.js').Bus} Bus */
/** @typedef {import('./media.js').LocalMedia} LocalMedia */
/** @typedef {{peerId: string, name: string}} Viewer */
/**
 * A relaying channel's tree as the server last described it: viewers fed directly, the depth of the
 * deepest (1 = fed by the broadcaster), viewers placed, and viewers waiting for a place.
 * @typedef {{direct: number, depth: number, viewers: number, waiting: number}} TreeFigures
 */

/**
 * @typedef {Object} AudienceOptions
 * @property {() => boolean} live whether the channel is live, so that a connection may start
 * @property {() => boolean} relay whether the channel's viewers pass the stream on
 * @property {() => void} onchange the viewer list or count, or the relay tree, changed
 * @property {(text: string) => void} onpresence who joined, left or changed name
 * @property {(text: string) => void} onproblem
 */

/**
 * The viewers of the broadcaster's channel and its connections to them: to every viewer in a flat
 * channel, to those the server said feed in a relaying one. The session owns the channel's life
 * cycle; this follows the messages about who watches, and sends whatever the media gives.
 */
export class BroadcastAudience {
  /**
   * @param {Bus} bus
   * @param {LocalMedia} media
   * @param {AudienceOptions} options
   */
  constructor(bus, media, options) {
    /** @type {Bus} */ this.bus = bus;
    /** @type {LocalMedia} */ this.media = media;
    /** @type {AudienceOptions} */ this.options = options;
    /** @type {number} */ this.viewerCount = 0;
    /** @type {Map<string, Viewer>} */ this.viewers = new Map();
    /** @type {Map<string, Peer>} */ this.peers = new Map();
    /** @type {Set<string>} in a relaying channel, the viewers the server told this page to feed */
    this.feeding = new Set();
    /** @type {TreeFigures|null} in a relaying channel, the latest tree message */ this.tree = null;

    media.onvideochange = (track) => this.#replaceAll('video', track);
    media.onaudiochange = (track) => this.#replaceAll('audio', track);
  }

  /** @param {number} count how many watch, as the create or resume reply or the end says */
  recount(count) {
    this.viewerCount = count;
  }

  /** @param {number} count how many watch, as a viewers message says */
  counted(count) {
    this.viewerCount = count;
    this.options.onchange();
  }

  /**
   * The channel went live (again): the reply lists who is already here; each of them also arrives
   * as viewer-joined, and that message alone starts the connection.
   * @param {Viewer[]} viewers
   */
  wentLive(viewers) {
    for (const viewer of viewers) this.viewers.set(viewer.peerId, viewer);
    // A feed that came before the reply (while resuming) found the page not yet live.
    for (const peerId of this.feeding) this.#connectTo(peerId);
  }

  /**
   * @param {Viewer} viewer
   * @param {number} count
   */
  joined(viewer, count) {
    this.viewerCount = count ?? this.viewerCount;
    // Viewers the create or resume reply listed were here before: only newcomers are announced.
    const known = this.viewers.has(viewer.peerId);
    this.viewers.set(viewer.peerId, viewer);
    this.options.onchange();
    if (!known) this.options.onpresence(`${viewer.name} joined`);
    // In a relaying channel viewer-joined is presence only: the server says whom to feed.
    if (!this.options.relay()) this.#connectTo(viewer.peerId);
  }

  /**
   * @param {string} peerId
   * @param {number} count
   * @param {string} [name] the name it had
   */
  left(peerId, count, name) {
    this.viewerCount = count ?? this.viewerCount;
    const left = this.viewers.get(peerId)?.name ?? name;
    if (left) this.options.onpresence(`${left} left`);
    this.viewers.delete(peerId);
    this.unfeed(peerId);
    this.options.onchange();
  }

  /**
   * @param {string} peerId
   * @param {string} name
   */
  renamed(peerId, name) {
    const viewer = this.viewers.get(peerId);
    if (viewer && viewer.name !== name) this.options.onpresence(`${viewer.name} is now ${name}`);
    if (viewer) viewer.name = name;
    this.options.onchange();
  }

  /** @param {string} peerId a viewer the server told this page to feed */
  feed(peerId) {
    this.feeding.add(peerId);
    this.#connectTo(peerId);
  }

  /** @param {string} peerId a viewer this page no longer sends to */
  unfeed(peerId) {
    this.feeding.delete(peerId);
    this.peers.get(peerId)?.close();
    this.peers.delete(peerId);
  }

  /** @param {TreeFigures} tree the relay tree as a tree message describes it */
  described(tree) {
    this.tree = tree;
    this.options.onchange();
  }

  /** @param {any} message a signal from a viewer */
  signal(message) {
    const peer = this.peers.get(message.from);
    if (!peer) {
      console.debug('airwave: signal from a peer without connection', message.from);
      return;
    }
    peer.handle(message);
  }

  /** The channel ended or is taken back: no connection, and nobody known to watch. */
  closeAll() {
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
    this.viewers.clear();
    this.feeding.clear();
    this.tree = null;
  }

  /** @param {string} peerId */
  #connectTo(peerId) {
    this.#connect(peerId).catch((e) => {
      console.error('airwave: could not connect to a viewer', e);
      this.options.onproblem(`Could not connect to a viewer: ${e.message}`);
    });
  }

  /**
   * @param {string} peerId
   * @returns {boolean} whether this page should send to the viewer: in a relaying channel when the
   *   server said feed, else while the viewer is in the channel
   */
  #wants(peerId) {
    return this.options.relay() ? this.feeding.has(peerId) : this.viewers.has(peerId);
  }

  /** @param {string} peerId */
  async #connect(peerId) {
    if (this.peers.has(peerId)) return;
    const ice = await this.bus.iceConfig();
    // The viewer may have left or been unfed, or the channel ended or resumed, while the settings
    // were fetched.
    if (!this.options.live() || !this.#wants(peerId) || this.peers.has(peerId)) return;
    const peer = new Peer(peerId, {
      polite: false,
      ice,
      send: (signal) => this.bus.request(ADDRESS.signal, { to: peerId, ...signal }),
      onerror: (e) => this.options.onproblem(`Connection to a viewer had a problem: ${e.message}`),
    });
    this.peers.set(peerId, peer);
    const video = this.media.videoTrack();
    if (this.media.mic) peer.addTrack(this.media.mic, this.media.stream);
    if (video) peer.addTrack(video, this.media.stream);
  }

  /**
   * @param {'audio'|'video'} kind
   * @param {MediaStreamTrack} track
   */
  #replaceAll(kind, track) {
    for (const peer of this.peers.values()) {
      peer.replaceTrack(kind, track).catch((e) => {
        console.error('airwave: replaceTrack failed', e);
        this.options.onproblem(`Could not switch the ${kind} for a viewer: ${e.message}`);
      });
    }
  }
}
