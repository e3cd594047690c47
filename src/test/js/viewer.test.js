// viewer.js without a browser: a fake bus, the fake RTCPeerConnection and MediaStream, mock timers.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { allowed } from '../../../webroot/js/lifecycle.js';
import { ADDRESS } from '../../../webroot/js/protocol.js';
import { VIEW_TRANSITIONS, ViewerSession } from '../../../webroot/js/viewer.js';
import { FakeBus, ICE } from './fakes/bus.js';
import { FakeMediaStream } from './fakes/media.js';
import { FakePeerConnection, offer } from './fakes/peer-connection.js';

/** @type {{from: string, to: string}[]} every move of every session in the test */
let moves;
/** @type {any} console.error, recorded */
let errors;
/** @type {number} how many moves the test expects the session to refuse */
let refusals;

beforeEach(() => {
  FakePeerConnection.created = [];
  globalThis.RTCPeerConnection = FakePeerConnection;
  globalThis.MediaStream = FakeMediaStream;
  moves = [];
  refusals = 0;
  errors = mock.method(console, 'error', () => {});
  mock.method(console, 'warn', () => {});
  mock.method(console, 'debug', () => {});
  mock.timers.enable({ apis: ['setTimeout'] });
});

afterEach(() => {
  for (const { from, to } of moves) assert.ok(allowed(VIEW_TRANSITIONS, from, to), `${from} → ${to} is in the table`);
  const refused = errors.mock.calls.filter((call) => /may not go/.test(call.arguments[0]));
  assert.equal(refused.length, refusals, `moves refused: ${refused.map((call) => call.arguments[0])}`);
});

afterEach(() => {
  mock.restoreAll();
  mock.timers.reset();
});

/** Lets every promise chain that is ready run (setImmediate is not mocked). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const CHANNEL = Object.freeze({ id: 'news', title: 'News', viewers: 1, maxViewers: 25, startedAt: 1, live: true });
const LINE = Object.freeze({ id: '1', from: { peerId: 'b1', name: 'Host', role: 'broadcaster' }, text: 'hi', at: 5 });

/** A viewer session on a fake bus; what it tells the page is recorded. */
function makeViewer() {
  const bus = new FakeBus();
  const viewer = new ViewerSession(/** @type {any} */ (bus));
  const seen = { states: [], details: [], history: [], notices: [], problems: [], streams: [], info: 0 };
  viewer.onstate = (state, detail) => {
    moves.push({ from: seen.states.at(-1) ?? 'idle', to: state });
    seen.states.push(state);
    seen.details.push(detail);
  };
  viewer.onhistory = (history) => seen.history.push(history);
  viewer.onnotice = (text) => seen.notices.push(text);
  viewer.onproblem = (text) => seen.problems.push(text);
  viewer.onstream = (stream) => seen.streams.push(stream);
  viewer.oninfo = () => seen.info++;
  return { bus, viewer, seen };
}

/**
 * A viewer who joined `news` as Ann and got this reply.
 * @param {object} reply
 */
async function joined(reply) {
  const parts = makeViewer();
  const joining = parts.viewer.join('news', 'Ann');
  parts.bus.reply(ADDRESS.join, { channel: CHANNEL, name: 'Ann', broadcaster: 'Host', history: [], ...reply });
  await joining;
  return parts;
}

/**
 * The broadcaster `from` offers; the viewer answers on a new fake connection.
 * @param {ViewerSession} viewer
 * @param {string} from
 */
async function offered(viewer, from = 'b1') {
  viewer.receive({ type: 'offer', from, channel: 'news', description: offer(`offer from ${from}`) });
  await settle();
  return FakePeerConnection.created.at(-1);
}

/** A viewer playing the broadcast of b1. */
async function playing() {
  const parts = await joined({ status: 'live' });
  const pc = await offered(parts.viewer);
  pc.changeState('connected');
  return { ...parts, pc };
}

describe('ViewerSession joins', () => {
  it('joins a live channel, answers the offer and plays once connected', async () => {
    const { bus, viewer, seen } = makeViewer();
    const joining = viewer.join('news', 'Ann');
    assert.equal(viewer.state, 'joining');
    assert.deepEqual(bus.reply(ADDRESS.join, { status: 'live', channel: CHANNEL, name: 'Ann', broadcaster: 'Host', history: [LINE] }), {
      id: 'news',
      name: 'Ann',
    });
    await joining;
    assert.equal(viewer.state, 'connecting');
    assert.deepEqual([viewer.name, viewer.broadcasterName, viewer.viewerCount], ['Ann', 'Host', 1]);
    assert.deepEqual(seen.history, [[LINE]], "the join reply's history goes to onhistory");

    const pc = await offered(viewer);
    assert.deepEqual(pc.config, ICE);
    assert.deepEqual(pc.calls, ['setRemoteDescription offer', 'setLocalDescription answer']);
    assert.deepEqual(bus.signals, [{ to: 'b1', type: 'answer', description: { type: 'answer', sdp: pc.localDescription.sdp } }]);
    assert.equal(viewer.broadcasterId, 'b1');

    pc.changeState('connected');
    assert.deepEqual(seen.states, ['joining', 'connecting', 'playing']);
    assert.equal(seen.details.at(-1), '');
  });

  it('joins without a name when none is typed', async () => {
    const { bus, viewer } = makeViewer();
    const joining = viewer.join('news', '');
    assert.deepEqual(bus.reply(ADDRESS.join, { status: 'waiting', channel: null, name: 'Viewer 1', history: [] }), { id: 'news' });
    await joining;
    assert.equal(viewer.name, 'Viewer 1');
  });

  it('waits for a channel not yet live, then connects on channel-live with the name the service gave', async () => {
    const { viewer, seen } = await joined({ status: 'waiting', channel: null, broadcaster: null });
    assert.equal(viewer.state, 'waiting');
    assert.equal(seen.details.at(-1), 'Waiting for the broadcaster to start…');
    viewer.receive({ type: 'channel-live', channel: CHANNEL, broadcaster: 'Ann', name: 'Guest 2' });
    assert.equal(viewer.state, 'connecting');
    assert.equal(viewer.name, 'Guest 2');
    assert.deepEqual(seen.notices, ['The broadcaster is called Ann; you are Guest 2 here.']);
    assert.deepEqual(seen.states, ['joining', 'waiting', 'connecting']);
  });

  it('goes back to idle and rethrows when the join is refused', async () => {
    const { bus, viewer, seen } = makeViewer();
    const joining = viewer.join('news', 'Ann');
    bus.fail(ADDRESS.join, 'name_taken');
    await assert.rejects(joining, { code: 'name_taken' });
    assert.deepEqual(seen.states, ['joining', 'idle']);
  });
});

describe('ViewerSession follows the broadcaster', () => {
  it('waits while the broadcaster is away, and a new broadcaster id drops the old peer', async () => {
    const { bus, viewer, seen, pc } = await playing();
    viewer.receive({ type: 'broadcaster-away', channel: 'news', graceSeconds: 30 });
    assert.equal(viewer.state, 'away');
    assert.equal(seen.details.at(-1), 'The broadcaster lost the connection; waiting for them…');
    pc.changeState('disconnected');
    assert.equal(viewer.state, 'away', 'the old connection dropping changes nothing while away');

    const next = await offered(viewer, 'b2');
    assert.notEqual(next, pc);
    assert.equal(pc.closed, true, 'the old peer is closed');
    assert.equal(viewer.broadcasterId, 'b2');
    assert.equal(bus.signals.at(-1).to, 'b2');
    assert.equal(seen.streams.includes(null), true, 'the old stream was taken off the page');

    viewer.receive({ type: 'channel-live', channel: CHANNEL, broadcaster: 'Host', name: 'Ann' });
    next.changeState('connected');
    assert.deepEqual(seen.states, ['joining', 'connecting', 'playing', 'away', 'connecting', 'playing']);
    assert.deepEqual(seen.notices, [], 'the same name is not announced');
  });

  it('restarts when the connection drops, and plays again when it comes back', async () => {
    const { viewer, seen, pc } = await playing();
    pc.changeState('failed');
    assert.equal(viewer.state, 'recovering');
    assert.equal(seen.details.at(-1), 'The connection dropped; restarting it…');
    pc.changeState('connected');
    assert.equal(viewer.state, 'playing');
  });

  it('counts viewers and passes chat lines on', async () => {
    const { viewer, seen } = await playing();
    const chat = [];
    viewer.onchat = (line) => chat.push(line);
    viewer.receive({ type: 'viewers', channel: 'news', viewers: 7 });
    viewer.receive({ type: 'chat', ...LINE });
    assert.equal(viewer.viewerCount, 7);
    assert.ok(seen.info >= 2);
    assert.deepEqual(chat, [{ type: 'chat', ...LINE }]);
  });
});

describe('ViewerSession ends', () => {
  const REASONS = {
    stopped: 'The broadcaster ended the broadcast.',
    'broadcaster-gone': 'The broadcaster did not come back; the broadcast has ended.',
    idle: 'The channel was closed after a long silence.',
    shutdown: 'The service is restarting; the broadcast has ended.',
    'something-new': 'The broadcast has ended.',
  };
  for (const [reason, text] of Object.entries(REASONS)) {
    it(`channel-ended ${reason}: ended, "${text}", peer closed`, async () => {
      const { viewer, seen, pc } = await playing();
      viewer.receive({ type: 'channel-ended', channel: 'news', reason });
      assert.equal(viewer.state, 'ended');
      assert.equal(viewer.endReason, reason);
      assert.equal(seen.details.at(-1), text);
      assert.equal(pc.closed, true);
      assert.equal(viewer.peer, null);
      assert.equal(viewer.inChannel(), false);
    });
  }

  it('channel-full: a waiting viewer past the cap is told it has no place', async () => {
    const { viewer, seen } = await joined({ status: 'waiting', channel: null });
    viewer.receive({ type: 'channel-full', channel: 'news', maxViewers: 1, text: 'full' });
    assert.equal(viewer.state, 'ended');
    assert.equal(viewer.endReason, 'full');
    assert.equal(seen.details.at(-1), 'The broadcast started with fewer places than there were people waiting; it has no place for you.');
  });

  it('leave: idle, airwave.channel.leave sent, peer closed and the stream taken off', async () => {
    const { bus, viewer, seen, pc } = await playing();
    const leaving = viewer.leave();
    assert.equal(viewer.state, 'idle');
    assert.equal(pc.closed, true);
    assert.equal(seen.streams.at(-1), null);
    bus.reply(ADDRESS.leave);
    await leaving;
    assert.deepEqual(bus.addresses(), []);
    assert.deepEqual(seen.states, ['joining', 'connecting', 'playing', 'idle']);
  });

  it('leaving when not in a channel sends nothing; a not_member answer is not a problem', async () => {
    const { bus, viewer } = makeViewer();
    await viewer.leave();
    assert.deepEqual(bus.log, []);
    const { bus: other, viewer: ended } = await joined({ status: 'live' });
    const leaving = ended.leave();
    other.fail(ADDRESS.leave, 'not_member', 403);
    await leaving;
    assert.equal(console.warn.mock.callCount(), 0);
  });
});

describe('ViewerSession recovers', () => {
  it('node-lost: recovering, then joins the same id again with the same name', async () => {
    const { bus, viewer, seen, pc } = await playing();
    viewer.receive({ type: 'channel-ended', channel: 'news', reason: 'node-lost' });
    assert.equal(viewer.state, 'recovering');
    assert.equal(seen.details.at(-1), 'The server carrying this broadcast was lost; joining again…');
    assert.equal(pc.closed, true);
    assert.deepEqual(bus.reply(ADDRESS.join, { status: 'waiting', channel: null, name: 'Ann', history: [LINE] }), { id: 'news', name: 'Ann' });
    await settle();
    assert.equal(viewer.state, 'waiting');
    assert.deepEqual(seen.history.at(-1), [LINE]);
  });

  it('a new socket: joins again; a refused rejoin is retried after 1 s, then 2 s, and leaves a taken name', async () => {
    const { bus, viewer, seen } = await playing();
    const back = viewer.reconnected(/** @type {any} */ ({}));
    assert.equal(viewer.state, 'recovering');
    bus.fail(ADDRESS.join, 'name_taken');
    await settle();
    assert.deepEqual(bus.addresses(), [], 'nothing is sent before the pause');
    mock.timers.tick(1000);
    await settle();
    assert.deepEqual(bus.fail(ADDRESS.join, 'name_taken'), { id: 'news', name: 'Ann' });
    await settle();
    mock.timers.tick(2000);
    await settle();
    assert.deepEqual(bus.reply(ADDRESS.join, { status: 'live', channel: CHANNEL, name: 'Viewer 3', history: [] }), { id: 'news' });
    await back;
    assert.equal(viewer.state, 'connecting');
    assert.equal(seen.notices.length, 2);
  });

  it('an already_in_channel rejoin leaves first, then joins again', async () => {
    const { bus, viewer } = await playing();
    const back = viewer.reconnected(/** @type {any} */ ({}));
    bus.fail(ADDRESS.join, 'already_in_channel');
    await settle();
    bus.reply(ADDRESS.leave);
    await settle();
    mock.timers.tick(1000);
    await settle();
    bus.reply(ADDRESS.join, { status: 'live', channel: CHANNEL, name: 'Ann', history: [] });
    await back;
    assert.equal(viewer.state, 'connecting');
  });

  it('gives up after five refused rejoins: idle, and the user is told', async () => {
    const { bus, viewer, seen } = await playing();
    const back = viewer.reconnected(/** @type {any} */ ({}));
    for (let attempt = 1; attempt <= 5; attempt++) {
      bus.fail(ADDRESS.join, 'unavailable', 503);
      await settle();
      mock.timers.tick(1000 * attempt);
      await settle();
    }
    await back;
    assert.equal(viewer.state, 'idle');
    assert.deepEqual(seen.problems, ['Could not join the channel again. Pick it from the list to retry.']);
  });

  it('no offer within 12 s: asks for a fresh connection by leaving and joining again', async () => {
    const { bus, viewer, seen } = await joined({ status: 'live' });
    mock.timers.tick(11999);
    assert.equal(viewer.state, 'connecting');
    mock.timers.tick(1);
    assert.equal(viewer.state, 'recovering');
    assert.equal(seen.details.at(-1), 'Still no picture; asking the broadcaster for a fresh connection…');
    bus.reply(ADDRESS.leave);
    await settle();
    bus.reply(ADDRESS.join, { status: 'live', channel: CHANNEL, name: 'Ann', history: [] });
    await settle();
    assert.equal(viewer.state, 'connecting');
  });

  it('a connection that plays in time disarms the watchdog', async () => {
    const { bus, viewer } = await playing();
    mock.timers.tick(60000);
    assert.equal(viewer.state, 'playing');
    assert.deepEqual(bus.addresses(), []);
  });
});

describe('ViewerSession refuses moves its table lacks', () => {
  it('a join answered after the user left leaves the viewer idle, and nothing joins again later', async () => {
    refusals = 1;
    const { bus, viewer, seen } = makeViewer();
    const joining = viewer.join('news', 'Ann');
    const leaving = viewer.leave();
    bus.reply(ADDRESS.join, { status: 'live', channel: CHANNEL, name: 'Ann', history: [] });
    await joining;
    bus.reply(ADDRESS.leave);
    await leaving;
    assert.equal(viewer.state, 'idle');
    assert.match(errors.mock.calls[0].arguments[0], /viewer may not go from idle to connecting/);
    mock.timers.tick(60000);
    await settle();
    assert.deepEqual(bus.addresses(), [], 'no watchdog joins the channel the user left');
    assert.deepEqual(seen.states, ['joining', 'idle']);
  });

  it('a channel-ended that arrives after leaving does not bring the ended screen back', async () => {
    refusals = 2;
    const { bus, viewer } = await playing();
    const leaving = viewer.leave();
    bus.reply(ADDRESS.leave);
    await leaving;
    viewer.receive({ type: 'channel-ended', channel: 'news', reason: 'stopped' });
    viewer.receive({ type: 'channel-live', channel: CHANNEL, broadcaster: 'Host', name: 'Ann' });
    assert.equal(viewer.state, 'idle');
  });

  it('a rejoin waiting to retry stops when the user leaves', async () => {
    const { bus, viewer, seen } = await playing();
    const back = viewer.reconnected(/** @type {any} */ ({}));
    bus.fail(ADDRESS.join, 'unavailable', 503);
    await settle();
    const leaving = viewer.leave();
    bus.reply(ADDRESS.leave);
    await leaving;
    mock.timers.tick(60000);
    await back;
    assert.deepEqual(bus.addresses(), [], 'no join after the leave');
    assert.equal(viewer.state, 'idle');
    assert.deepEqual(seen.problems, []);
  });
});
