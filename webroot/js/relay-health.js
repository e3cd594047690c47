// Whether the stream still flows through a viewer of a relaying channel: a parent that stopped
// sending (a stall), and a page too slow to pass the stream on (falling behind). The decisions
// work on numbers; RelayMonitor reads them from getStats(). No DOM here.

/** @typedef {import('./negotiation.js').Peer} Peer */
/** @typedef {{frames: number, at: number}} FrameCount video frames counted so far, at a time in ms */

/** How often the monitor reads the upstream's frame counter. */
export const TICK_MS = 1000;
/** How far apart the frame rates that decide falling behind are measured. */
export const SAMPLE_EVERY_MS = 2000;
/** How long without a new frame makes a playing upstream stalled. */
export const STALL_AFTER_MS = 3000;
/** How many slow samples in a row make a page fall behind. */
export const BEHIND_SAMPLES = 3;

/**
 * Decides falling behind from frame rates: the inbound rate under half the best seen, or the rate
 * sent to some child under half the inbound one, for BEHIND_SAMPLES samples in a row.
 */
export class FallingBehind {
  #best = 0;
  #streak = 0;

  /**
   * @param {number} inbound frames per second received over the last interval
   * @param {number[]} outbound frames per second sent to each child over the same interval
   * @returns {boolean} whether this page has fallen behind
   */
  sample(inbound, outbound) {
    this.#best = Math.max(this.#best, inbound);
    const slowIn = inbound < this.#best / 2;
    const slowOut = outbound.some((fps) => fps < inbound / 2);
    this.#streak = slowIn || slowOut ? this.#streak + 1 : 0;
    return this.#streak >= BEHIND_SAMPLES;
  }

  /** The samples stopped for a while (not playing): the next slow one starts a new run. */
  interrupt() {
    this.#streak = 0;
  }
}

/**
 * Decides a stall from a frame counter: frames came, then none for STALL_AFTER_MS. A connection
 * that never had a frame is not stalled (it may be waiting on a stalled feeder of its own).
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
 * @param {'inbound-rtp'|'outbound-rtp'} type
 * @returns {Promise<FrameCount|null>} the video frames decoded (inbound) or encoded, else sent
 *   (outbound), null while the connection has no such stream
 */
export async function videoFrames(pc, type) {
  const report = await pc.getStats();
  /** @type {FrameCount|null} */ let count = null;
  report.forEach((stat) => {
    if (stat.type !== type || stat.kind !== 'video') return;
    const frames = type === 'inbound-rtp' ? stat.framesDecoded : (stat.framesEncoded ?? stat.framesSent);
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
  /** @type {{inbound: FrameCount, outbound: Map<number, FrameCount>}|null} the last rate sample */
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
    const inbound = await videoFrames(upstream.pc, 'inbound-rtp');
    if (run !== this.#run || !inbound) return;
    if (this.#stall.sample(inbound)) this.options.onstall();
    if (this.options.watchBehind()) await this.#sampleRates(inbound, run);
  }

  /**
   * @param {FrameCount} inbound
   * @param {number} run
   */
  async #sampleRates(inbound, run) {
    const last = this.#last;
    if (last && inbound.at - last.inbound.at < SAMPLE_EVERY_MS) return;
    const sending = this.options.downstream().filter((peer) => peer.pc.connectionState === 'connected');
    const counts = await Promise.all(sending.map((peer) => videoFrames(peer.pc, 'outbound-rtp')));
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
    if (received !== null && this.#behind.sample(received, sent)) this.options.onbehind();
  }

  #forget() {
    this.#stall.reset();
    this.#behind.interrupt();
    this.#last = null;
  }
}
