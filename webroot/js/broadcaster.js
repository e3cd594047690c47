// The broadcaster's session: the channel, one Peer per viewer, keep-alives and resume. No DOM here.

import { BusError } from './bus.js';
import { Peer } from './negotiation.js';

/** @typedef {import('./bus.js').Bus} Bus */
/** @typedef {import('./bus.js').Hello} Hello */
/** @typedef {import('./media.js').LocalMedia} LocalMedia */
/** @typedef {{id: string, title: string, viewers: number, startedAt: number, live: boolean}} ChannelSummary */
/** @typedef {{peerId: string, name: string}} Viewer */
/** @typedef {'idle'|'starting'|'live'|'resuming'|'stopping'} BroadcastState */

const RESUME_KEY = 'airwave.resume';
const RESUME_ATTEMPTS = 6;
const RESUME_RETRY_MS = 1000;

export class BroadcasterSession {
  /**
   * @param {Bus} bus
   * @param {LocalMedia} media
   * @param {Storage} storage sessionStorage: where {channelId, resumeToken} survive a reload
   */
  constructor(bus, media, storage) {
    /** @type {Bus} */ this.bus = bus;
    /** @type {LocalMedia} */ this.media = media;
    /** @type {Storage} */ this.storage = storage;
    /** @type {BroadcastState} */ this.state = 'idle';
    /** @type {ChannelSummary|null} */ this.channel = null;
    /** @type {string} */ this.resumeToken = '';
    /** @type {string} */ this.name = '';
    /** @type {number} */ this.viewerCount = 0;
    /** @type {Map<string, Viewer>} */ this.viewers = new Map();
    /** @type {Map<string, Peer>} */ this.peers = new Map();
    /** @type {Set<string>} viewers whose connection waits for fresh ICE settings */
    this.connecting = new Set();
    /** @type {ReturnType<typeof setInterval>|undefined} */ this.keepaliveTimer = undefined;

    /** @type {(state: BroadcastState) => void} */ this.onstate = () => {};
    /** @type {() => void} the viewer list or count changed */ this.onviewers = () => {};
    /** @type {(chat: any) => void} */ this.onchat = () => {};
    /** @type {(text: string) => void} something the user should read */ this.onnotice = () => {};
    /** @type {(text: string) => void} something that went wrong */ this.onproblem = () => {};

    media.onvideochange = (track) => this.#replaceAll('video', track);
    media.onaudiochange = (track) => this.#replaceAll('audio', track);
  }

  /** @returns {{channelId: string, resumeToken: string}|null} a channel this tab may take back */
  savedChannel() {
    try {
      const saved = JSON.parse(this.storage.getItem(RESUME_KEY) ?? 'null');
      return saved?.channelId && saved?.resumeToken ? saved : null;
    } catch {
      return null;
    }
  }

  /**
   * Creates the channel.
   * @param {{id?: string, title?: string, name?: string}} request
   */
  async start(request) {
    this.#setState('starting');
    try {
      const body = Object.fromEntries(Object.entries(request).filter(([, v]) => v));
      this.#wentLive(await this.bus.request('airwave.channel.create', body));
    } catch (e) {
      this.#setState('idle');
      throw e;
    }
  }

  /** Takes back the channel saved in this tab, retrying while the server still sees the old socket. */
  async resume() {
    const saved = this.savedChannel();
    if (!saved) return false;
    this.#closeAllPeers();
    this.#setState('resuming');
    for (let attempt = 1; ; attempt++) {
      try {
        const body = { id: saved.channelId, resumeToken: saved.resumeToken };
        this.#wentLive(await this.bus.request('airwave.channel.resume', body));
        this.onnotice(`Resumed channel ${saved.channelId}.`);
        return true;
      } catch (e) {
        const code = e instanceof BusError ? e.code : '';
        // broadcaster_present: the server has not yet seen the old socket close; worth a few retries.
        const retry = (code === 'broadcaster_present' || code === 'timeout') && attempt < RESUME_ATTEMPTS;
        if (code === 'offline') return false; // the next connection tries again
        if (!retry) {
          this.#forget();
          this.#setState('idle');
          throw e;
        }
        await new Promise((r) => setTimeout(r, RESUME_RETRY_MS));
      }
    }
  }

  /** Ends the channel for everyone. */
  async stop() {
    if (!this.channel) return;
    const id = this.channel.id;
    this.#setState('stopping');
    try {
      await this.bus.request('airwave.channel.stop', { id });
    } finally {
      this.#ended();
    }
  }

  /** @param {string} text */
  async say(text) {
    await this.bus.request('airwave.chat.send', { text });
  }

  /**
   * The socket came back with a new peer id: the old one is in its grace period, so take it back.
   * @param {Hello} _hello
   */
  async reconnected(_hello) {
    if (this.state === 'live' || this.state === 'resuming') {
      this.#stopKeepalive();
      await this.resume();
    }
  }

  /** @param {any} message a body that arrived in the inbox */
  receive(message) {
    switch (message.type) {
      case 'viewer-joined':
        return this.#viewerJoined(message.viewer, message.viewers);
      case 'viewer-left':
        return this.#viewerLeft(message.peerId, message.viewers);
      case 'viewer-renamed':
        return this.#viewerRenamed(message.peerId, message.name);
      case 'viewers':
        this.viewerCount = message.viewers;
        return this.onviewers();
      case 'chat':
        return this.onchat(message);
      case 'channel-ended':
        this.onnotice(`The channel ended (${message.reason}).`);
        return this.#ended();
      case 'offer':
      case 'answer':
      case 'ice':
        return this.#signal(message);
      default:
        console.debug('airwave: ignored inbox message', message.type);
    }
  }

  /** @param {any} reply the reply of create or resume */
  #wentLive(reply) {
    this.channel = reply.channel;
    this.resumeToken = reply.resumeToken;
    this.name = reply.name;
    this.viewerCount = reply.channel?.viewers ?? 0;
    this.storage.setItem(
      RESUME_KEY,
      JSON.stringify({ channelId: reply.channel.id, resumeToken: reply.resumeToken }),
    );
    this.#startKeepalive();
    this.#setState('live');
    for (const viewer of reply.viewers ?? []) this.#viewerJoined(viewer, this.viewerCount);
  }

  /**
   * @param {Viewer} viewer
   * @param {number} count
   */
  #viewerJoined(viewer, count) {
    this.viewerCount = count ?? this.viewerCount;
    this.viewers.set(viewer.peerId, viewer);
    this.onviewers();
    this.#connect(viewer.peerId).catch((e) => {
      console.error('airwave: could not connect to a viewer', e);
      this.onproblem(`Could not connect to a viewer: ${e.message}`);
    });
  }

  /**
   * @param {string} peerId
   * @param {number} count
   */
  #viewerLeft(peerId, count) {
    this.viewerCount = count ?? this.viewerCount;
    this.viewers.delete(peerId);
    this.peers.get(peerId)?.close();
    this.peers.delete(peerId);
    this.onviewers();
  }

  /**
   * @param {string} peerId
   * @param {string} name
   */
  #viewerRenamed(peerId, name) {
    const viewer = this.viewers.get(peerId);
    if (viewer) viewer.name = name;
    this.onviewers();
  }

  /** @param {string} peerId */
  async #connect(peerId) {
    if (this.peers.has(peerId) || this.connecting.has(peerId)) return;
    this.connecting.add(peerId);
    let ice;
    try {
      ice = await this.bus.iceConfig();
    } finally {
      this.connecting.delete(peerId);
    }
    // The viewer may have left, or the channel ended or resumed, while the settings were fetched.
    if (this.state !== 'live' || !this.viewers.has(peerId) || this.peers.has(peerId)) return;
    const peer = new Peer(peerId, {
      polite: false,
      ice,
      send: (signal) => this.bus.request('airwave.signal', { to: peerId, ...signal }),
      onerror: (e) => this.onproblem(`Connection to a viewer had a problem: ${e.message}`),
    });
    this.peers.set(peerId, peer);
    const video = this.media.videoTrack();
    if (this.media.mic) peer.addTrack(this.media.mic, this.media.stream);
    if (video) peer.addTrack(video, this.media.stream);
  }

  /** @param {any} message */
  #signal(message) {
    const peer = this.peers.get(message.from);
    if (!peer) {
      console.debug('airwave: signal from a peer without connection', message.from);
      return;
    }
    peer.handle(message);
  }

  /**
   * @param {'audio'|'video'} kind
   * @param {MediaStreamTrack} track
   */
  #replaceAll(kind, track) {
    for (const peer of this.peers.values()) {
      peer.replaceTrack(kind, track).catch((e) => {
        console.error('airwave: replaceTrack failed', e);
        this.onproblem(`Could not switch the ${kind} for a viewer: ${e.message}`);
      });
    }
  }

  #startKeepalive() {
    this.#stopKeepalive();
    const every = this.bus.hello?.keepaliveMs ?? 60000;
    this.keepaliveTimer = setInterval(() => {
      this.bus.request('airwave.channel.keepalive', {}).catch((e) => {
        console.warn('airwave: keepalive failed', e);
        if (e.code === 'not_broadcaster') this.onproblem('The service no longer sees this broadcast.');
      });
    }, every);
  }

  #stopKeepalive() {
    clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = undefined;
  }

  #closeAllPeers() {
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
    this.viewers.clear();
  }

  #ended() {
    this.#stopKeepalive();
    this.#closeAllPeers();
    this.#forget();
    this.channel = null;
    this.viewerCount = 0;
    this.onviewers();
    this.#setState('idle');
  }

  #forget() {
    this.storage.removeItem(RESUME_KEY);
  }

  /** @param {BroadcastState} state */
  #setState(state) {
    this.state = state;
    this.onstate(state);
  }
}
