// Whether the stream still flows through a viewer of a relaying channel: a parent that stopped
// sending (a stall), and a page too slow to pass the stream on (falling behind). The decisions
// work on numbers; RelayMonitor reads them from getStats(). No DOM here.

/** @typedef {import('./negotiation.js').Peer} Peer */
/** @typedef {{frames: number, at: number}} FrameCount video frames counted so far, at a time in ms */
/**
 * @typedef {Object} InboundSample what came in so far, at a time in ms
 * @property {number} frames video frames decoded
 * @property {number} audio audio packets received
 * @property {number} received video packets received
 * @property {number} lost video packets lost
 * @property {number} at
 */

/** How often the monitor reads the upstream's frame counter. */
export const TICK_MS = 1000;
/** How far apart the frame rates that decide falling behind are measured. */
export const SAMPLE_EVERY_MS = 2000;
/** How long without a new frame makes a playing upstream stalled. */
export const STALL_AFTER_MS = 2000;
/** How many slow samples in a row make a page fall behind. */
export const BEHIND_SAMPLES = 3;
/** Under this inbound frame rate the source itself is slow (a still screen, a camera turned off). */
export const MIN_JUDGED_FPS = 5;
/** The share of the inbound video packets lost that makes this page's own download too weak. */
export const LOSSY = 0.1;

/**
 * Decides falling behind, for BEHIND_SAMPLES samples in a row: what it sends to some child runs at
 * under half the frame rate it receives (its encoder or upload cannot keep up), or more than
 * LOSSY of the video packets meant for it are lost (its download cannot). A source that is slow
 * by itself (a camera turned off sends a frame a second, a still screen fewer) proves nothing, so
 * rates are judged only from MIN_JUDGED_FPS up.
 */
export class FallingBehind {
  #streak = 0;

  /**
   * @param {number} inbound frames per second received over the last interval
   * @param {number[]} outbound frames per second sent to each child over the same interval
   * @param {number} [loss] the share of inbound video packets lost over the same interval
   * @returns {boolean} whether this page has fallen behind
   */
  sample(inbound, outbound, loss = 0) {
    const slowOut = inbound >= MIN_JUDGED_FPS && outbound.some((fps) => fps < inbound / 2);
    this.#streak = slowOut || loss > LOSSY ? this.#streak + 1 : 0;
    return this.#streak >= BEHIND_SAMPLES;
  }

  /** The samples stopped for a while (not playing): the next slow one starts a new run. */
  interrupt() {
    this.#streak = 0;
  }
}

/**
 * Decides a stall from a counter of what came in (video frames and audio packets together, so that
 * a still picture with sound is not a stall): it moved, then did not for STALL_AFTER_MS. A
 * connection on which nothing ever came is not stalled (it may be waiting on a stalled feeder of
 * its own).
 */
export class StallWatch {
  /** @type {FrameCount|null} when the counter last moved */ #moved = null;
  #flowed = false;

  /**
   * @param {FrameCount} count
   * @returns {boolean} whether the stream has stalled
   */
  sample(count) {
    if (this.#moved?.frames !== count.frames) {
      this.#flowed ||= this.#moved !== null;
      this.#moved = count;
      return false;
    }
    return this.#flowed && count.at - this.#moved.at >= STALL_AFTER_MS;
  }

  reset() {
    this.#moved = null;
    this.#flowed = false;
  }
}

/**
 * @param {FrameCount} before
 * @param {FrameCount} after
 * @returns {number|null} frames per second between the two, null when no time passed
 */
export function frameRate(before, after) {
  const ms = after.at - before.at;
  return ms > 0 ? ((after.frames - before.frames) * 1000) / ms : null;
}

/**
 * @param {RTCPeerConnection} pc
 * @returns {Promise<InboundSample|null>} what came in on the connection so far, null before any
 *   inbound stream
 */
export async function inbound(pc) {
  return inboundSample(await pc.getStats());
}

/**
 * @param {RTCStatsReport} report a connection's getStats()
 * @returns {InboundSample|null} what came in, summed over its inbound streams; null with none
 */
export function inboundSample(report) {
  /** @type {InboundSample|null} */ let sample = null;
  report.forEach((stat) => {
    if (stat.type !== 'inbound-rtp') return;
    sample ??= { frames: 0, audio: 0, received: 0, lost: 0, at: stat.timestamp };
    if (stat.kind === 'video') {
      sample.frames += stat.framesDecoded ?? 0;
      sample.received += stat.packetsReceived ?? 0;
      sample.lost += Math.max(0, stat.packetsLost ?? 0);
    } else if (stat.kind === 'audio') {
      sample.audio += stat.packetsReceived ?? 0;
    }
  });
  return sample;
}

/**
 * @param {InboundSample} before
 * @param {InboundSample} after
 * @returns {number} the share of the video packets sent in between that were lost
 */
export function lossBetween(before, after) {
  const lost = after.lost - before.lost;
  const sent = lost + after.received - before.received;
  return sent > 0 ? Math.max(0, lost) / sent : 0;
}

/**
 * @param {RTCPeerConnection} pc
 * @returns {Promise<FrameCount|null>} the video frames encoded, else sent, null while the
 *   connection sends no video
 */
export async function outboundFrames(pc) {
  const report = await pc.getStats();
  /** @type {FrameCount|null} */ let count = null;
  report.forEach((stat) => {
    if (stat.type !== 'outbound-rtp' || stat.kind !== 'video') return;
    const frames = stat.framesEncoded ?? stat.framesSent;
    if (typeof frames === 'number') count = { frames: (count?.frames ?? 0) + frames, at: stat.timestamp };
  });
  return count;
}

/**
 * @typedef {Object} MonitorOptions
 * @property {() => Peer|null} upstream the connection the stream comes in by, while it plays
 * @property {() => Peer[]} downstream the connections it goes out by
 * @property {() => boolean} watchBehind whether falling behind still matters
 * @property {() => void} onstall
 * @property {() => void} onbehind
 */

/** Reads the frame counters every TICK_MS and feeds them to a StallWatch and a FallingBehind. */
export class RelayMonitor {
  #stall = new StallWatch();
  #behind = new FallingBehind();
  /** @type {{inbound: InboundSample, outbound: Map<number, FrameCount>}|null} the last rate sample */
  #last = null;
  /** @type {number} the serial of the upstream Peer the counters belong to */ #serial = 0;
  /** @type {number} bumped by start and stop, so a reading still under way is dropped */ #run = 0;
  /** @type {ReturnType<typeof setTimeout>|undefined} */ #timer = undefined;

  /** @param {MonitorOptions} options */
  constructor(options) {
    /** @type {MonitorOptions} */ this.options = options;
  }

  start() {
    if (this.#timer !== undefined) return;
    const run = ++this.#run;
    const next = () => {
      this.#timer = setTimeout(async () => {
        await this.#tick(run).catch((e) => console.warn('airwave: relay statistics failed', e));
        if (run === this.#run) next();
      }, TICK_MS);
    };
    next();
  }

  stop() {
    this.#run++;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#forget();
  }

  /** @param {number} run */
  async #tick(run) {
    const upstream = this.options.upstream();
    if (upstream?.serial !== this.#serial) {
      this.#forget();
      this.#serial = upstream?.serial ?? 0;
    }
    if (!upstream) return;
    const came = await inbound(upstream.pc);
    if (run !== this.#run || !came) return;
    if (this.#stall.sample({ frames: came.frames + came.audio, at: came.at })) this.options.onstall();
    if (this.options.watchBehind()) await this.#sampleRates(came, run);
  }

  /**
   * @param {InboundSample} inbound
   * @param {number} run
   */
  async #sampleRates(inbound, run) {
    const last = this.#last;
    if (last && inbound.at - last.inbound.at < SAMPLE_EVERY_MS) return;
    const sending = this.options.downstream().filter((peer) => peer.pc.connectionState === 'connected');
    const counts = await Promise.all(sending.map((peer) => outboundFrames(peer.pc)));
    if (run !== this.#run) return;
    /** @type {Map<number, FrameCount>} */ const outbound = new Map();
    sending.forEach((peer, i) => counts[i] && outbound.set(peer.serial, /** @type {FrameCount} */ (counts[i])));
    this.#last = { inbound, outbound };
    if (!last) return;
    const received = frameRate(last.inbound, inbound);
    const sent = [...outbound].flatMap(([serial, count]) => {
      const before = last.outbound.get(serial);
      const fps = before ? frameRate(before, count) : null;
      return fps === null ? [] : [fps];
    });
    if (received !== null && this.#behind.sample(received, sent, lossBetween(last.inbound, inbound))) {
      this.options.onbehind();
    }
  }

  #forget() {
    this.#stall.reset();
    this.#behind.interrupt();
    this.#last = null;
  }
}
