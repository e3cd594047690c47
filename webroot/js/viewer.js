// The viewer's session: joining, waiting, the Peer the stream comes by, recovering by itself. In a
// relaying channel its place in the relay tree is a ViewerRelay's (viewer-relay.js). No DOM here.

import { mayMove, transitions } from './lifecycle.js';
import { Peer } from './negotiation.js';
import { ADDRESS, END_REASON, ERROR, JOIN_STATUS, MESSAGE, PAGE_END_REASON } from './protocol.js';
import { ViewerRelay } from './viewer-relay.js';

/** @typedef {import('./bus.js').Bus} Bus */
/** @typedef {import('./bus.js').Hello} Hello */
/** @typedef {import('./broadcaster.js').ChannelSummary} ChannelSummary */

/**
 * The viewer's life cycle. In a channel (joining to recovering) the page follows what the service
 * says (channel-live, broadcaster-away, channel-ended, a lost node) whatever it was doing; out of
 * one (idle, ended) only a join moves it, so a late reply or message about a channel the user left
 * changes nothing. In a relaying channel a viewer also waits when no member has a place for it,
 * which may happen at any time (its parent left and every slot is taken).
 */
export const VIEW_TRANSITIONS = transitions({
  idle: ['joining'],
  joining: ['waiting', 'connecting', 'away', 'recovering', 'ended', 'idle'],
  waiting: ['connecting', 'away', 'recovering', 'ended', 'idle'],
  connecting: ['waiting', 'playing', 'away', 'recovering', 'ended', 'idle'],
  playing: ['waiting', 'connecting', 'away', 'recovering', 'ended', 'idle'],
  away: ['waiting', 'connecting', 'recovering', 'ended', 'idle'],
  recovering: ['waiting', 'connecting', 'playing', 'away', 'ended', 'idle'],
  ended: ['joining', 'idle'],
});

/** @typedef {keyof typeof VIEW_TRANSITIONS} ViewState */

const STUCK_AFTER_MS = 12000;
const REJOIN_ATTEMPTS = 5;
const REJOIN_RETRY_MS = 1000;
const NO_PLACE = 'Every place in the relay tree is taken; waiting for one to free up…';

export class ViewerSession {
  /**
   * @param {Bus} bus
   * @param {() => boolean} [canRelay] whether the page may pass the stream on now (asked on every
   *   join); a session that is not told never offers to
   */
  constructor(bus, canRelay = () => false) {
    /** @type {Bus} */ this.bus = bus;
    /** @type {ViewState} */ this.state = 'idle';
    /** @type {string} */ this.channelId = '';
    /** @type {string} the name asked for */ this.wantedName = '';
    /** @type {string} the name the server gave */ this.name = '';
    /** @type {ChannelSummary|null} */ this.channel = null;
    /** @type {string} */ this.broadcasterName = '';
    /** @type {number} */ this.viewerCount = 0;
    /** @type {string} */ this.broadcasterId = '';
    /** @type {Peer|null} */ this.peer = null;
    /** @type {MediaStream|null} */ this.stream = null;
    /** @type {string} why the channel ended, when state is 'ended' */ this.endReason = '';
    /** @type {ReturnType<typeof setTimeout>|undefined} */ this.watchdog = undefined;
    /** @type {Promise<void>} incoming signals, one at a time: the first waits for ICE settings */
    this.signals = Promise.resolve();
    /** @type {number} bumped whenever the peer is dropped, so a connection still starting stops */
    this.generation = 0;
    /** @type {ViewerRelay} in a relaying channel, this page's parent, children and reports */
    this.relay = new ViewerRelay(bus, {
      canRelay,
      upstream: () => (this.state === 'playing' ? this.peer : null),
      onstall: () => this.#parentStalled(),
      onchange: () => this.oninfo(),
      onproblem: (text) => this.onproblem(text),
    });

    /** @type {(state: ViewState, detail: string) => void} */ this.onstate = () => {};
    /** @type {(stream: MediaStream|null) => void} */ this.onstream = () => {};
    /** @type {() => void} channel, names or count changed */ this.oninfo = () => {};
    /** @type {(chat: any) => void} */ this.onchat = () => {};
    /** @type {(history: any[]) => void} the channel's recent chat, on joining */
    this.onhistory = () => {};
    /** @type {(text: string) => void} */ this.onnotice = () => {};
    /** @type {(text: string) => void} */ this.onproblem = () => {};
  }

  /** @returns {boolean} whether the user wants to be in a channel */
  inChannel() {
    return this.state !== 'idle' && this.state !== 'ended';
  }

  /** @returns {boolean} whether the channel's viewers pass the stream on */
  get relayChannel() {
    return this.channel?.relay === true;
  }

  /**
   * Joins a channel, live or not yet live.
   * @param {string} channelId
   * @param {string} name
   */
  async join(channelId, name) {
    this.channelId = channelId;
    this.wantedName = name;
    this.relay.joining();
    this.#setState('joining', `Joining ${channelId}…`);
    try {
      await this.#join();
    } catch (e) {
      this.#setState('idle', '');
      throw e;
    }
  }

  /** Leaves the channel (or stops waiting). */
  async leave() {
    const wasIn = this.inChannel();
    this.#leaveTree();
    this.#setState('idle', '');
    if (wasIn) await this.bus.request(ADDRESS.leave, {}).catch(ignoreNotMember);
  }

  /** @param {string} name */
  async rename(name) {
    const reply = await this.bus.request(ADDRESS.rename, { name });
    this.name = this.wantedName = reply.name;
    this.oninfo();
  }

  /** @param {string} text */
  async say(text) {
    await this.bus.request(ADDRESS.chat, { text });
  }

  /**
   * The socket came back with a new peer id: the server forgot us, so join again.
   * @param {Hello} _hello
   */
  async reconnected(_hello) {
    if (!this.inChannel()) return;
    this.#leaveTree();
    this.#setState('recovering', 'Connection to the service came back; joining again…');
    await this.#rejoin();
  }

  /** @param {any} message a body that arrived in the inbox */
  receive(message) {
    switch (message.type) {
      case MESSAGE.offer:
      case MESSAGE.answer:
      case MESSAGE.ice:
        return this.#signal(message);
      case MESSAGE.channelLive:
        this.channel = message.channel;
        this.broadcasterName = message.broadcaster ?? this.broadcasterName;
        if (message.name && message.name !== this.name) {
          this.name = message.name;
          this.onnotice(`The broadcaster is called ${this.broadcasterName}; you are ${this.name} here.`);
        }
        this.oninfo();
        this.relay.watch(this.relayChannel);
        if (this.relayChannel) return this.#placed(message.parent ?? null, 'The broadcast started; connecting…');
        return this.#expectOffer('The broadcast started; connecting…');
      case MESSAGE.broadcasterAway:
        return this.#setState('away', 'The broadcaster lost the connection; waiting for them…');
      case MESSAGE.channelEnded:
        if (message.reason === END_REASON.nodeLost) return this.#ownerLost();
        return this.#ended(message.reason);
      case MESSAGE.channelFull:
        return this.#ended(PAGE_END_REASON.full);
      case MESSAGE.viewers:
        this.viewerCount = message.viewers;
        return this.oninfo();
      case MESSAGE.chat:
        return this.onchat(message);
      case MESSAGE.feed:
        if (this.inChannel()) this.relay.feed(message.viewer);
        return;
      case MESSAGE.unfeed:
        return this.relay.unfeed(message.viewer);
      case MESSAGE.parent:
        return this.#moved(message.parent ?? null);
      default:
        console.debug('airwave: ignored inbox message', message.type);
    }
  }

  async #join() {
    /** @type {{id: string, name?: string, relay?: boolean}} */
    const body = this.wantedName ? { id: this.channelId, name: this.wantedName } : { id: this.channelId };
    const offer = this.relay.wantsToRelay();
    if (offer) body.relay = true;
    const moves = this.relay.moves;
    const reply = await this.bus.request(ADDRESS.join, body);
    this.relay.joined(offer);
    this.name = reply.name;
    this.channel = reply.channel;
    this.broadcasterName = reply.broadcaster ?? '';
    this.viewerCount = reply.channel?.viewers ?? 0;
    this.oninfo();
    this.onhistory(reply.history ?? []);
    this.relay.watch(this.relayChannel);
    const connecting = 'Connecting to the broadcast…';
    if (reply.status !== JOIN_STATUS.live) this.#setState('waiting', 'Waiting for the broadcaster to start…');
    else if (!this.relayChannel) this.#expectOffer(connecting);
    // A parent message that came while the join was under way is newer than the reply's parent.
    else if (moves === this.relay.moves) this.#placed(reply.parent ?? null, connecting);
  }

  async #rejoin() {
    // The user leaving, joining elsewhere or a newer recovery drops the peer: this one is then over.
    const generation = this.generation;
    const current = () => generation === this.generation;
    for (let attempt = 1; attempt <= REJOIN_ATTEMPTS && current(); attempt++) {
      try {
        await this.#join();
        return;
      } catch (e) {
        console.warn('airwave: rejoin failed', e);
        if (e.code === ERROR.alreadyInChannel) {
          await this.bus.request(ADDRESS.leave, {}).catch(ignoreNotMember);
        }
        if (e.code === ERROR.nameTaken && attempt >= 2) this.wantedName = '';
        this.onnotice(`Joining again failed (${e.code}); retrying…`);
        await new Promise((r) => setTimeout(r, REJOIN_RETRY_MS * attempt));
      }
    }
    if (!current()) return;
    this.#setState('idle', '');
    this.onproblem('Could not join the channel again. Pick it from the list to retry.');
  }

  /** @param {string} detail */
  #expectOffer(detail) {
    if (this.#setState('connecting', detail)) this.#arm();
  }

  /** @param {any} message */
  #signal(message) {
    this.signals = this.signals
      .then(() => this.#handleSignal(message))
      .catch((e) => {
        console.error('airwave: signal failed', e);
        this.onproblem(`Connection problem: ${e.message}`);
      });
  }

  /** @param {any} message */
  async #handleSignal(message) {
    if (!this.inChannel() || this.relay.handle(message)) return;
    if (this.relayChannel && this.relay.notFromParent(message.from)) {
      console.debug('airwave: ignored a signal from a member that does not feed this page', message.from);
      return;
    }
    if (this.peer && this.peer.remoteId !== message.from) this.#dropPeer();
    if (!this.peer) await this.#connect(message.from);
    this.peer?.handle(message);
  }

  /** @param {string} broadcasterId */
  async #connect(broadcasterId) {
    const generation = this.generation;
    const ice = await this.bus.iceConfig();
    if (generation !== this.generation || !this.inChannel()) return;
    this.broadcasterId = broadcasterId;
    const stream = new MediaStream();
    const peer = new Peer(broadcasterId, {
      polite: true,
      ice,
      send: (signal) => this.bus.request(ADDRESS.signal, { to: broadcasterId, ...signal }),
      ontrack: (e) => {
        stream.addTrack(e.track);
        this.onstream(stream);
        // Tracks may come before the join reply says whether the channel relays: pass them on anyway.
        this.relay.pass(e.track);
      },
      onstate: (state) => this.#peerState(peer, state),
      onerror: (e) => this.onproblem(`Connection problem: ${e.message}`),
    });
    this.peer = peer;
    this.stream = stream;
    this.#arm();
  }

  /**
   * @param {Peer} peer
   * @param {RTCPeerConnectionState} state
   */
  #peerState(peer, state) {
    if (peer !== this.peer || this.state === 'away') return;
    if (state === 'connected') {
      clearTimeout(this.watchdog);
      this.#setState('playing', '');
    } else if (state === 'failed' || state === 'disconnected') {
      if (this.relayChannel) return this.#parentStalled();
      this.#setState('recovering', 'The connection dropped; restarting it…');
      this.#arm();
    }
  }

  /**
   * If no connection comes within a while, ask for a fresh offer by rejoining. In a relaying
   * channel the feeder is reported stalled first: rejoining is the last resort, as it hands away
   * the viewers this page feeds.
   */
  #arm() {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.#stuck().catch((e) => this.onproblem(e.message)), STUCK_AFTER_MS);
  }

  async #stuck() {
    if (!['connecting', 'recovering'].includes(this.state)) return;
    if (this.relayChannel && this.relay.mayReportStall) return this.#parentStalled();
    await this.#fresh();
  }

  async #fresh() {
    this.#leaveTree();
    this.#setState('recovering', 'Still no picture; asking the broadcaster for a fresh connection…');
    await this.bus.request(ADDRESS.leave, {}).catch(ignoreNotMember);
    await this.#rejoin();
  }

  /** The server that carried the channel was lost: join the same id again, waiting if need be. */
  async #ownerLost() {
    this.#leaveTree();
    this.#setState('recovering', 'The server carrying this broadcast was lost; joining again…');
    await this.#rejoin();
  }

  /** @param {string} reason */
  #ended(reason) {
    this.#leaveTree();
    this.endReason = reason;
    /** @type {Record<string, string>} */
    const why = {
      [END_REASON.stopped]: 'The broadcaster ended the broadcast.',
      [END_REASON.broadcasterGone]: 'The broadcaster did not come back; the broadcast has ended.',
      [END_REASON.idle]: 'The channel was closed after a long silence.',
      [END_REASON.shutdown]: 'The service is restarting; the broadcast has ended.',
      [PAGE_END_REASON.full]:
        'The broadcast started with fewer places than there were people waiting; it has no place for you.',
    };
    this.#setState('ended', why[reason] ?? 'The broadcast has ended.');
  }

  /**
   * The join reply or channel-live said who feeds this page: a connection from it is kept (a
   * resumed broadcast plays on at once), any other is dropped and its offer awaited.
   * @param {string|null} parent null when no member has a place for this page
   * @param {string} detail
   */
  #placed(parent, detail) {
    this.relay.placed(parent);
    if (!parent) {
      this.#dropPeer();
      this.#setState('waiting', NO_PLACE);
      return;
    }
    if (this.peer && this.peer.remoteId !== parent) this.#dropPeer();
    if (!this.#setState('connecting', detail)) return;
    if (this.peer?.pc.connectionState !== 'connected') return this.#arm();
    clearTimeout(this.watchdog);
    this.#setState('playing', '');
  }

  /**
   * A parent message: the server moved this page. Its feeder was told feed, and opens a new
   * connection even when it is the same member (unfeed came first), so the old one goes.
   * @param {string|null} parent
   */
  #moved(parent) {
    if (!this.inChannel()) return;
    this.relay.moved(parent);
    this.#dropPeer();
    // While the broadcaster is away, channel-live says when to expect a picture again.
    if (this.state === 'away') return;
    if (parent) this.#expectOffer('Switching to another source of the stream…');
    else this.#setState('waiting', NO_PLACE);
  }

  /** The member feeding this page stopped: recover, and ask the server for another feeder. */
  #parentStalled() {
    this.#setState('recovering', 'The stream stopped coming; asking for another way to get it…');
    this.#arm();
    this.relay.reportStall();
  }

  /** Out of the channel's tree (left, ended, or forgotten by the server): no stream in or out. */
  #leaveTree() {
    this.#dropPeer();
    this.relay.leave();
  }

  #dropPeer() {
    this.generation++;
    clearTimeout(this.watchdog);
    this.peer?.close();
    this.peer = null;
    this.broadcasterId = '';
    if (this.stream) {
      this.stream = null;
      this.onstream(null);
    }
  }

  /**
   * @param {ViewState} state
   * @param {string} detail
   * @returns {boolean} whether the table allowed the move
   */
  #setState(state, detail) {
    if (!mayMove('viewer', VIEW_TRANSITIONS, this.state, state)) return false;
    this.state = state;
    this.onstate(state, detail);
    return true;
  }
}

/** @param {any} e */
function ignoreNotMember(e) {
  if (e?.code !== ERROR.notMember) console.warn('airwave: leave failed', e);
}
