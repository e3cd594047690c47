// A reloaded broadcaster page's way back to its channel, without a browser.

import assert from 'node:assert/strict';
import { afterEach, describe, it, mock } from 'node:test';
import { BroadcasterSession, RESUME_RETRY_MS } from '../../../webroot/js/broadcaster.js';
import { BusError } from '../../../webroot/js/bus.js';

/** A bus whose resume answers are scripted, one per attempt. */
class ScriptedBus {
  /** @param {Array<BusError|object>} answers */
  constructor(answers) {
    this.answers = answers;
    /** @type {{address: string, body: any}[]} */ this.sent = [];
    this.hello = { keepaliveMs: 60000, limits: { graceSeconds: 30 } };
  }

  /** @param {string} address @param {any} body */
  async request(address, body) {
    this.sent.push({ address, body });
    if (address !== 'airwave.channel.resume') return {};
    const answer = this.answers.shift();
    if (answer instanceof BusError) throw answer;
    return answer;
  }
}

class MemoryStorage {
  constructor() {
    /** @type {Map<string, string>} */ this.items = new Map();
  }
  /** @param {string} key */
  getItem(key) {
    return this.items.get(key) ?? null;
  }
  /** @param {string} key @param {string} value */
  setItem(key, value) {
    this.items.set(key, value);
  }
  /** @param {string} key */
  removeItem(key) {
    this.items.delete(key);
  }
}

const PRESENT = new BusError(409, 'broadcaster_present', 'Channel demo still has its broadcaster connected; retry in a moment.');
const LIVE = {
  channel: { id: 'demo', title: '', viewers: 0, maxViewers: 25, startedAt: 0, live: true },
  resumeToken: 't'.repeat(32),
  name: 'Kim',
  viewers: [],
  history: [],
};

/** @param {ScriptedBus} bus */
function reloadedPage(bus) {
  const storage = new MemoryStorage();
  const saved = { channelId: 'demo', resumeToken: 't'.repeat(32), savedAt: Date.now(), open: false };
  storage.setItem('airwave.resume', JSON.stringify(saved));
  const session = new BroadcasterSession(/** @type {any} */ (bus), /** @type {any} */ ({}), storage);
  return session;
}

/** Lets the session's pending promise callbacks run. */
async function settle() {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('a reloaded broadcaster page taking its channel back', () => {
  afterEach(() => mock.timers.reset());

  it('retries after 100 ms, not a second, while the service still sees the old socket', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: Date.now() });
    const bus = new ScriptedBus([PRESENT, LIVE]);
    const session = reloadedPage(bus);
    const resumed = session.resume();
    await settle();
    assert.equal(bus.sent.filter((m) => m.address === 'airwave.channel.resume').length, 1);
    mock.timers.tick(RESUME_RETRY_MS[0] - 1);
    await settle();
    assert.equal(bus.sent.filter((m) => m.address === 'airwave.channel.resume').length, 1);
    mock.timers.tick(1);
    await settle();
    assert.equal(await resumed, true);
    assert.equal(session.state, 'live');
    assert.equal(RESUME_RETRY_MS[0], 100);
  });

  it('gives up after about five seconds of refusals and forgets the channel', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: Date.now() });
    const bus = new ScriptedBus(Array(RESUME_RETRY_MS.length + 1).fill(PRESENT));
    const session = reloadedPage(bus);
    const resumed = session.resume().catch((e) => e);
    for (const wait of RESUME_RETRY_MS) {
      await settle();
      mock.timers.tick(wait);
    }
    const error = await resumed;
    assert.equal(error.code, 'broadcaster_present');
    assert.equal(session.state, 'idle');
    assert.equal(session.storage.getItem('airwave.resume'), null);
    const total = RESUME_RETRY_MS.reduce((a, b) => a + b, 0);
    assert.ok(total >= 4000 && total <= 6000, `waited ${total} ms in all`);
  });
});
