// One RTCPeerConnection with perfect negotiation, candidate buffering and ICE restarts. No DOM here.

import { MESSAGE } from './protocol.js';

/**
 * @typedef {Object} Signal
 * @property {'offer'|'answer'|'ice'} type
 * @property {RTCSessionDescriptionInit} [description]
 * @property {RTCIceCandidateInit|null} [candidate]
 */

/**
 * @typedef {Object} PeerOptions
 * @property {boolean} polite the side that yields on an offer collision (the viewer)
 * @property {import('./bus.js').IceConfig} ice servers and transport policy from the latest hello
 * @property {(signal: Signal) => Promise<any>} send delivers a signal to the remote side
 * @property {(event: RTCTrackEvent) => void} [ontrack]
 * @property {(state: RTCPeerConnectionState) => void} [onstate]
 * @property {(error: Error) => void} [onerror]
 */

const RESTART_AFTER_DISCONNECTED_MS = 4000;

let serial = 0;

export class Peer {
  /** @type {number} connections opened and not yet closed in this page */
  static openCount = 0;

  /**
   * @param {string} remoteId the remote peer id
   * @param {PeerOptions} options
   */
  constructor(remoteId, options) {
    /** @type {string} */ this.remoteId = remoteId;
    /** @type {number} a number unique in this page, to tell connections apart */
    this.serial = ++serial;
    /** @type {PeerOptions} */ this.options = options;
    /** @type {RTCPeerConnection} */
    this.pc = new RTCPeerConnection({
      iceServers: options.ice.iceServers,
      iceTransportPolicy: options.ice.iceTransportPolicy,
    });
    /** @type {boolean} */ this.makingOffer = false;
    /** @type {boolean} */ this.ignoreOffer = false;
    /** @type {boolean} */ this.settingRemoteAnswer = false;
    /** @type {RTCIceCandidateInit[]} candidates that arrived before the remote description */
    this.pendingCandidates = [];
    /** @type {Promise<void>} incoming signals, handled one at a time in order */
    this.queue = Promise.resolve();
    /** @type {ReturnType<typeof setTimeout>|undefined} */ this.restartTimer = undefined;
    /** @type {number} */ this.restarts = 0;
    /** @type {boolean} */ this.closed = false;
    /** @type {Map<'audio'|'video', RTCRtpSender>} */ this.senders = new Map();
    Peer.openCount++;

    this.pc.onnegotiationneeded = () => this.#offer();
    this.pc.onicecandidate = (e) => this.#sendCandidate(e.candidate);
    this.pc.ontrack = (e) => options.ontrack?.(e);
    this.pc.onconnectionstatechange = () => this.#connectionChanged();
  }

  /**
   * Adds a local track; negotiation follows by itself.
   * @param {MediaStreamTrack} track
   * @param {MediaStream} stream
   */
  addTrack(track, stream) {
    this.senders.set(/** @type {'audio'|'video'} */ (track.kind), this.pc.addTrack(track, stream));
  }

  /**
   * Swaps what a sender transmits without renegotiating.
   * @param {'audio'|'video'} kind
   * @param {MediaStreamTrack|null} track
   * @returns {Promise<void>}
   */
  async replaceTrack(kind, track) {
    const sender = this.senders.get(kind);
    if (sender && !this.closed) await sender.replaceTrack(track);
  }

  /**
   * Handles an offer, answer or candidate from the remote side, in arrival order.
   * @param {Signal} signal
   * @returns {Promise<void>}
   */
  handle(signal) {
    this.queue = this.queue
      .then(() => this.#handle(signal))
      .catch((e) => this.#fail(e));
    return this.queue;
  }

  /** Asks for new ICE credentials (an offer with iceRestart follows through negotiationneeded). */
  restartIce() {
    if (this.closed) return;
    this.restarts++;
    this.pc.restartIce();
  }

  /** Closes the connection and drops every handler; safe to call twice. */
  close() {
    if (this.closed) return;
    this.closed = true;
    Peer.openCount--;
    clearTimeout(this.restartTimer);
    this.pc.onnegotiationneeded = null;
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
    this.pendingCandidates = [];
    this.options.onstate?.('closed');
  }

  /** @param {Signal} signal */
  async #handle(signal) {
    if (this.closed) return;
    if (signal.type === MESSAGE.ice) {
      await this.#addCandidate(signal.candidate ?? null);
      return;
    }
    const description = /** @type {RTCSessionDescriptionInit} */ (signal.description);
    const readyForOffer =
      !this.makingOffer && (this.pc.signalingState === 'stable' || this.settingRemoteAnswer);
    const collision = description.type === 'offer' && !readyForOffer;
    this.ignoreOffer = !this.options.polite && collision;
    if (this.ignoreOffer) return;
    this.settingRemoteAnswer = description.type === 'answer';
    try {
      await this.pc.setRemoteDescription(description);
    } finally {
      // A refused answer must not leave the flag set: the next colliding offer would look welcome.
      this.settingRemoteAnswer = false;
    }
    await this.#flushCandidates();
    if (description.type === 'offer') {
      await this.pc.setLocalDescription();
      await this.options.send({ type: MESSAGE.answer, description: plain(this.pc.localDescription) });
    }
  }

  /** @param {RTCIceCandidateInit|null} candidate */
  async #addCandidate(candidate) {
    if (!candidate || !candidate.candidate) return;
    if (!this.pc.remoteDescription) {
      this.pendingCandidates.push(candidate);
      return;
    }
    try {
      await this.pc.addIceCandidate(candidate);
    } catch (e) {
      if (!this.ignoreOffer) throw e;
    }
  }

  async #flushCandidates() {
    const waiting = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const candidate of waiting) await this.#addCandidate(candidate);
  }

  async #offer() {
    if (this.closed) return;
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      await this.options.send({ type: MESSAGE.offer, description: plain(this.pc.localDescription) });
    } catch (e) {
      this.#fail(e);
    } finally {
      this.makingOffer = false;
    }
  }

  /** @param {RTCIceCandidate|null} candidate */
  #sendCandidate(candidate) {
    const init = candidate ? withoutNulls(candidate.toJSON()) : null;
    this.options.send({ type: MESSAGE.ice, candidate: init }).catch((e) => this.#fail(e));
  }

  #connectionChanged() {
    const state = this.pc.connectionState;
    this.options.onstate?.(state);
    clearTimeout(this.restartTimer);
    if (state === 'failed') this.restartIce();
    if (state === 'disconnected') {
      this.restartTimer = setTimeout(() => {
        if (this.pc.connectionState === 'disconnected') this.restartIce();
      }, RESTART_AFTER_DISCONNECTED_MS);
    }
  }

  /** @param {any} e */
  #fail(e) {
    if (this.closed) return;
    console.error(`airwave: peer ${this.remoteId}`, e);
    this.options.onerror?.(e instanceof Error ? e : new Error(String(e)));
  }
}

/**
 * @param {RTCSessionDescription|null} description
 * @returns {RTCSessionDescriptionInit}
 */
function plain(description) {
  return { type: /** @type {RTCSdpType} */ (description?.type), sdp: description?.sdp ?? '' };
}

/**
 * @param {Object} object
 * @returns {Object} the same fields without null or undefined values (the server is strict)
 */
function withoutNulls(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== null && v !== undefined));
}
