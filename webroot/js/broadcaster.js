// The broadcaster's session: the channel, keep-alives and resume. Who watches, and the Peer to
// each, is a BroadcastAudience's (broadcaster-audience.js). No DOM here.

import { BroadcastAudience } from './broadcaster-audience.js';
import { BusError } from './bus.js';
import { mayMove, transitions } from './lifecycle.js';
import { ADDRESS, END_REASON, ERROR, MESSAGE, PAGE_CODE } from './protocol.js';

/** @typedef {import('./bus.js').Bus} Bus */
/** @typedef {import('./bus.js').Hello} Hello */
/** @typedef {import('./media.js').LocalMedia} LocalMedia */
/** @typedef {{id: string, title: string, viewers: number, maxViewers: number, startedAt: number, live: boolean, relay?: boolean}} ChannelSummary */

/**
 * The broadcaster's life cycle. Resuming takes the channel back after a reload or a dropped socket
 * (from idle or live) or starts it again after its server was lost (from live).
 */
export const BROADCAST_TRANSITIONS = transitions({
  idle: ['starting', 'resuming'],
  starting: ['live', 'idle'],
  live: ['stopping', 'resuming', 'idle'],
  resuming: ['live', 'idle'],
  stopping: ['idle'],
});

/** @typedef {keyof typeof BROADCAST_TRANSITIONS} BroadcastState */

/** Where the page keeps its channel for a reload (localStorage; not part of the protocol). */
const RESUME_KEY = 'airwave.resume';
/**
 * Waits between attempts to take a channel back while the service has not yet seen the old socket
 * close: short at first (it is usually a matter of milliseconds), doubling to a second, about 5 s
 * in all.
 */
export const RESUME_RETRY_MS = [100, 200, 400, 800, 1000, 1000, 1000];
/** How often a live page re-dates its saved channel, so a closed page's entry goes stale. */
const SAVE_EVERY_MS = 5000;
const DEFAULT_GRACE_SECONDS = 30;

export class BroadcasterSession {
  /**
   * @param {Bus} bus
   * @param {LocalMedia} media
   * @param {Storage} storage localStorage: where {channelId, resumeToken, savedAt} survive a reload
   *   or a closed window, for as long as the server's grace period
   */
  constructor(bus, media, storage) {
    /** @type {Bus} */ this.bus = bus;
    /** @type {LocalMedia} */ this.media = media;
    /** @type {Storage} */ this.storage = storage;
    /** @type {BroadcastState} */ this.state = 'idle';
    /** @type {ChannelSummary|null} */ this.channel = null;
    /** @type {string} */ this.resumeToken = '';
    /** @type {string} */ this.name = '';
    /** @type {BroadcastAudience} who watches, and the connection to each */
    this.audience = new BroadcastAudience(bus, media, {
      live: () => this.state === 'live',
      relay: () => this.relay,
      onchange: () => this.onviewers(),
      onpresence: (text) => this.onpresence(text),
      onproblem: (text) => this.onproblem(text),
    });
    /** @type {ReturnType<typeof setInterval>|undefined} */ this.keepaliveTimer = undefined;
    /** @type {ReturnType<typeof setInterval>|undefined} */ this.saveTimer = undefined;
    /** @type {Record<string, any>} what the channel was started with, to start it again */ this.started = {};

    /** @type {(state: BroadcastState) => void} */ this.onstate = () => {};
    /** @type {() => void} the viewer list or count, or the relay tree, changed */ this.onviewers = () => {};
    /** @type {(chat: any) => void} */ this.onchat = () => {};
    /** @type {(history: any[]) => void} the channel's recent chat, on going live or resuming */
    this.onhistory = () => {};
    /** @type {(text: string) => void} who joined, left or changed name: a quiet chat line */
    this.onpresence = () => {};
    /** @type {(text: string) => void} something the user should read */ this.onnotice = () => {};
    /** @type {(text: string) => void} something that went wrong */ this.onproblem = () => {};
  }

  /**
   * The channel a page of this browser broadcast until moments ago: within the grace period, and
   * either closed (its page said so when it was hidden) or silent for two heartbeats (crashed).
   * A channel that another open window still broadcasts is not offered.
   * @returns {{channelId: string, resumeToken: string, savedAt: number, open: boolean}|null}
   */
  savedChannel() {
    try {
      const saved = JSON.parse(this.storage.getItem(RESUME_KEY) ?? 'null');
      if (!saved?.channelId || !saved?.resumeToken || typeof saved.savedAt !== 'number') return null;
      const age = Date.now() - saved.savedAt;
      const graceMs = (this.bus.hello?.limits?.graceSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
      const gone = saved.open === false || age > 2 * SAVE_EVERY_MS;
      return age < graceMs && gone ? saved : null;
    } catch {
      return null;
    }
  }

  /**
   * Saves the live channel with the time; a live page does it every few seconds (open), and when
   * it is hidden or unloaded (closed), so that the next page of this browser may take it back.
   * @param {boolean} [open] whether this page goes on broadcasting it
   */
  persist(open = true) {
    if (!this.channel || !this.resumeToken) return;
    const saved = { channelId: this.channel.id, resumeToken: this.resumeToken, savedAt: Date.now(), open };
    this.storage.setItem(RESUME_KEY, JSON.stringify(saved));
  }

  /** @returns {boolean} whether the channel's viewers pass the stream on (connections follow feed) */
  get relay() {
    return this.channel?.relay === true;
  }

  /**
   * Creates the channel; `relay` lets its viewers pass the stream on.
   * @param {{id?: string, title?: string, name?: string, maxViewers?: number, credential?: string, relay?: boolean}} request
   */
  async start(request) {
    this.#setState('starting');
    try {
      const body = Object.fromEntries(Object.entries(request).filter(([, v]) => v));
      this.started = body;
      this.#wentLive(await this.bus.request(ADDRESS.create, body));
    } catch (e) {
      this.#setState('idle');
      throw e;
    }
  }

  /**
   * Takes back this page's channel after its socket came back, or the one a closed page of this
   * browser saved; retries while the server still sees the old socket.
   */
  async resume() {
    const own = this.channel && this.resumeToken;
    const saved = own
      ? { channelId: /** @type {ChannelSummary} */ (this.channel).id, resumeToken: this.resumeToken }
      : this.savedChannel();
    if (!saved) return false;
    this.audience.closeAll();
    this.#setState('resuming');
    for (let attempt = 1; ; attempt++) {
      try {
        const body = { id: saved.channelId, resumeToken: saved.resumeToken };
        this.#wentLive(await this.bus.request(ADDRESS.resume, body));
        this.onnotice(`Resumed channel ${saved.channelId}.`);
        return true;
      } catch (e) {
        const code = e instanceof BusError ? e.code : '';
        // broadcaster_present: the server has not yet seen the old socket close; worth a few retries.
        const retry =
          (code === ERROR.broadcasterPresent || code === PAGE_CODE.timeout) &&
          attempt <= RESUME_RETRY_MS.length;
        if (code === PAGE_CODE.offline) return false; // the next connection tries again
        if (!retry) {
          this.#forget();
          this.#setState('idle');
          throw e;
        }
        await new Promise((r) => setTimeout(r, RESUME_RETRY_MS[attempt - 1]));
      }
    }
  }

  /** Ends the channel for everyone. */
  async stop() {
    if (!this.channel) return;
    const id = this.channel.id;
    this.#setState('stopping');
    try {
      await this.bus.request(ADDRESS.stop, { id });
    } finally {
      this.#ended();
    }
  }

  /** @param {string} text */
  async say(text) {
    await this.bus.request(ADDRESS.chat, { text });
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
      case MESSAGE.viewerJoined:
        return this.audience.joined(message.viewer, message.viewers);
      case MESSAGE.viewerLeft:
        return this.audience.left(message.peerId, message.viewers, message.name);
      case MESSAGE.feed:
        return this.audience.feed(message.viewer);
      case MESSAGE.unfeed:
        return this.audience.unfeed(message.viewer);
      case MESSAGE.tree:
        return this.audience.described({ direct: message.direct, depth: message.depth, viewers: message.viewers, waiting: message.waiting });
      case MESSAGE.viewerRenamed:
        return this.audience.renamed(message.peerId, message.name);
      case MESSAGE.viewers:
        return this.audience.counted(message.viewers);
      case MESSAGE.chat:
        return this.onchat(message);
      case MESSAGE.channelEnded:
        if (message.reason === END_REASON.nodeLost && this.channel) return this.#startAgain(this.channel);
        if (this.channel) this.#tellEnded(this.channel, message.reason);
        return this.#ended();
      case MESSAGE.offer:
      case MESSAGE.answer:
      case MESSAGE.ice:
        return this.audience.signal(message);
      default:
        console.debug('airwave: ignored inbox message', message.type);
    }
  }

  /** @param {any} reply the reply of create or resume */
  #wentLive(reply) {
    this.channel = reply.channel;
    this.resumeToken = reply.resumeToken;
    this.name = reply.name;
    this.audience.recount(reply.channel?.viewers ?? 0);
    this.persist();
    this.#startKeepalive();
    this.#setState('live');
    this.audience.wentLive(reply.viewers ?? []);
    this.onviewers();
    this.onhistory(reply.history ?? []);
  }

  /**
   * Says why the channel ended when the broadcaster did not end it here.
   * @param {ChannelSummary} channel
   * @param {string} reason
   */
  #tellEnded(channel, reason) {
    const name = channel.title ? `“${channel.title}”` : channel.id;
    const why = {
      [END_REASON.idle]: `Your channel ${name} was closed after a long time without activity.`,
      [END_REASON.broadcasterGone]: `Your channel ${name} ended: this page did not come back in time.`,
      [END_REASON.shutdown]: `The service restarted; your channel ${name} has ended.`,
    }[reason];
    if (reason === END_REASON.stopped) this.onnotice(`Your channel ${name} has ended.`);
    else this.onproblem(why ?? `Your channel ${name} has ended (${reason}).`);
  }

  #startKeepalive() {
    this.#stopKeepalive();
    this.saveTimer = setInterval(() => this.persist(), SAVE_EVERY_MS);
    const every = this.bus.hello?.keepaliveMs ?? 60000;
    this.keepaliveTimer = setInterval(() => {
      this.bus.request(ADDRESS.keepalive, {}).catch((e) => {
        console.warn('airwave: keepalive failed', e);
        if (e.code === ERROR.notBroadcaster) this.onproblem('The service no longer sees this broadcast.');
      });
    }, every);
  }

  #stopKeepalive() {
    clearInterval(this.keepaliveTimer);
    clearInterval(this.saveTimer);
    this.keepaliveTimer = undefined;
    this.saveTimer = undefined;
  }

  /**
   * The server that carried the channel was lost (its viewers are told too, and join it again):
   * start the same channel again, on whichever server now takes it.
   * @param {ChannelSummary} channel
   */
  async #startAgain(channel) {
    this.#stopKeepalive();
    this.audience.closeAll();
    this.#setState('resuming');
    try {
      /** @type {Record<string, any>} */
      const body = { ...this.started, id: channel.id, title: channel.title || undefined };
      // A page that took the channel back after a reload was not started with the form.
      if (channel.relay) body.relay = true;
      this.#wentLive(await this.bus.request(ADDRESS.create, body));
      this.onnotice(`The server carrying channel ${channel.id} was lost; it is live again.`);
    } catch (e) {
      this.onproblem(`Channel ${channel.id} was lost with its server and could not start again (${e.code ?? e.message}).`);
      this.#ended();
    }
  }

  #ended() {
    this.#stopKeepalive();
    this.audience.closeAll();
    this.#forget();
    this.channel = null;
    this.audience.counted(0);
    this.#setState('idle');
  }

  #forget() {
    this.storage.removeItem(RESUME_KEY);
  }

  /** @param {BroadcastState} state */
  #setState(state) {
    if (!mayMove('broadcaster', BROADCAST_TRANSITIONS, this.state, state)) return;
    this.state = state;
    this.onstate(state);
  }
}
