// viewer.js without a browser: a fake bus, the fake RTCPeerConnection and MediaStream, mock timers.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { allowed } from '../../../webroot/js/lifecycle.js';
import { ADDRESS } from '../../../webroot/js/protocol.js';
import { VIEW_TRANSITIONS, ViewerSession } from '../../../webroot/js/viewer.js';
import { FakeBus, ICE } from './fakes/bus.js';
import { FakeMediaStream, FakeTrack } from './fakes/media.js';
import { answer, FakePeerConnection, offer } from './fakes/peer-connection.js';

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

/**
 * A viewer session on a fake bus; what it tells the page is recorded.
 * @param {() => boolean} [canRelay] whether the page may pass the stream on (not told: never)
 */
function makeViewer(canRelay) {
  const bus = new FakeBus();
  const viewer = new ViewerSession(/** @type {any} */ (bus), canRelay);
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

const RELAYING = Object.freeze({ ...CHANNEL, relay: true });
const NO_PLACE = 'Every place in the relay tree is taken; waiting for one to free up…';

/**
 * A viewer that joined the relaying channel `news` and was told its parent.
 * @param {string|null} parent
 * @param {boolean} canRelay
 */
async function joinedRelaying(parent = 'p1', canRelay = true) {
  const parts = makeViewer(() => canRelay);
  const joining = parts.viewer.join('news', 'Ann');
  const body = parts.bus.reply(ADDRESS.join, { status: 'live', channel: RELAYING, name: 'Ann', broadcaster: 'Host', history: [], parent });
  await joining;
  return { ...parts, body };
}

/** A relaying viewer playing what p1 feeds it, and the video track p1 sent. */
async function relayPlaying() {
  const parts = await joinedRelaying('p1');
  const upstream = await offered(parts.viewer, 'p1');
  const video = new FakeTrack('video');
  upstream.ontrack({ track: video });
  upstream.changeState('connected');
  return { ...parts, upstream, video };
}

/**
 * The viewer is told to feed a child; the connection to that child.
 * @param {ViewerSession} viewer
 * @param {string} child
 */
async function feeds(viewer, child = 'c1') {
  viewer.receive({ type: 'feed', channel: 'news', viewer: child });
  await settle();
  return FakePeerConnection.created.at(-1);
}

/**
 * One second passes and the monitor reads the upstream's video frame counter.
 * @param {FakePeerConnection} pc
 * @param {number} frames
 * @param {number} at the stats' timestamp, in ms
 */
async function second(pc, frames, at, packets = { packetsReceived: 0, packetsLost: 0 }) {
  pc.stats = [{ id: 'in', type: 'inbound-rtp', kind: 'video', framesDecoded: frames, timestamp: at, ...packets }];
  mock.timers.tick(1000);
  await settle();
  await settle();
}

/** @param {FakeBus} bus the relay requests sent so far */
const relayRequests = (bus) => bus.log.filter((address) => address.startsWith('airwave.relay.'));

describe('ViewerSession in a relaying channel joins its parent', () => {
  it('offers to relay on joining when capable, and keeps the join as before when not', async () => {
    const { body, viewer } = await joinedRelaying('p1');
    assert.deepEqual(body, { id: 'news', name: 'Ann', relay: true });
    assert.deepEqual([viewer.relayChannel, viewer.relay.parentId, viewer.relay.able, viewer.state], [true, 'p1', true, 'connecting']);
    const { body: leaf, viewer: other } = await joinedRelaying('p1', false);
    assert.deepEqual(leaf, { id: 'news', name: 'Ann' });
    assert.equal(other.relay.able, false);
  });

  it('takes the stream only from its parent: an offer from another member is ignored', async () => {
    const { bus, viewer, seen } = await joinedRelaying('p1');
    await offered(viewer, 'x9');
    assert.equal(FakePeerConnection.created.length, 0);
    assert.deepEqual(bus.signals, []);
    const pc = await offered(viewer, 'p1');
    assert.equal(bus.signals.at(-1).to, 'p1');
    pc.changeState('connected');
    assert.deepEqual(seen.states, ['joining', 'connecting', 'playing']);
  });

  it("accepts its parent's offer that came before the join reply, and keeps it", async () => {
    const { bus, viewer } = makeViewer(() => true);
    const joining = viewer.join('news', 'Ann');
    const pc = await offered(viewer, 'p1');
    bus.reply(ADDRESS.join, { status: 'live', channel: RELAYING, name: 'Ann', history: [], parent: 'p1' });
    await joining;
    assert.equal(pc.closed, false);
    assert.equal(viewer.peer?.pc, pc);
    pc.changeState('connected');
    assert.equal(viewer.state, 'playing');
  });

  it('waits with a clear message when every place is taken, then connects when told its parent', async () => {
    const { viewer, seen } = await joinedRelaying(null);
    assert.deepEqual([viewer.state, seen.details.at(-1), viewer.relay.parentId], ['waiting', NO_PLACE, null]);
    mock.timers.tick(60000);
    assert.equal(viewer.state, 'waiting', 'no watchdog while no one is to offer');
    viewer.receive({ type: 'parent', channel: 'news', parent: 'p2' });
    assert.deepEqual([viewer.state, viewer.relay.parentId], ['connecting', 'p2']);
    const pc = await offered(viewer, 'p2');
    pc.changeState('connected');
    assert.equal(viewer.state, 'playing');
  });
});

describe('ViewerSession passes the stream on', () => {
  it('feed: a connection to the child, offering the tracks from upstream; its answer goes to it', async () => {
    const { bus, viewer, upstream, video, seen } = await relayPlaying();
    const info = seen.info;
    const child = await feeds(viewer, 'c1');
    assert.notEqual(child, upstream);
    assert.deepEqual(child.calls, ['addTrack video']);
    assert.equal(child.senders[0].track, video);
    child.onnegotiationneeded();
    await settle();
    assert.deepEqual(bus.signals.at(-1), { to: 'c1', type: 'offer', description: { type: 'offer', sdp: child.localDescription.sdp } });
    viewer.receive({ type: 'answer', from: 'c1', channel: 'news', description: answer() });
    await settle();
    assert.equal(child.signalingState, 'stable');
    assert.equal(viewer.peer?.pc, upstream, 'the upstream connection is untouched');
    assert.deepEqual(viewer.relay.downstream.ids(), ['c1']);
    assert.ok(seen.info > info, 'the page is told it now feeds someone');
  });

  it('a new parent: only the upstream connection goes; the child keeps its own and gets the new track', async () => {
    const { viewer, upstream, seen } = await relayPlaying();
    const child = await feeds(viewer, 'c1');
    viewer.receive({ type: 'parent', channel: 'news', parent: 'p2' });
    assert.equal(upstream.closed, true);
    assert.equal(child.closed, false);
    assert.deepEqual([viewer.state, viewer.relay.parentId], ['connecting', 'p2']);
    const next = await offered(viewer, 'p2');
    const fresh = new FakeTrack('video');
    next.ontrack({ track: fresh });
    next.changeState('connected');
    await settle();
    assert.equal(child.senders[0].track, fresh, 'replaceTrack');
    assert.deepEqual(child.calls, ['addTrack video'], 'no new sender: no renegotiation with the child');
    assert.deepEqual(seen.states, ['joining', 'connecting', 'playing', 'connecting', 'playing']);
  });

  it('unfeed closes that child; leaving closes every one', async () => {
    const { bus, viewer } = await relayPlaying();
    const one = await feeds(viewer, 'c1');
    const two = await feeds(viewer, 'c2');
    viewer.receive({ type: 'unfeed', channel: 'news', viewer: 'c1' });
    assert.deepEqual([one.closed, two.closed], [true, false]);
    assert.deepEqual(viewer.relay.downstream.ids(), ['c2']);
    const leaving = viewer.leave();
    bus.reply(ADDRESS.leave);
    await leaving;
    assert.equal(two.closed, true);
    assert.equal(viewer.relay.downstream.size, 0);
  });

  it('parent null: the picture goes and the viewer waits for a place, still feeding its children', async () => {
    const { viewer, upstream, seen } = await relayPlaying();
    const child = await feeds(viewer);
    viewer.receive({ type: 'parent', channel: 'news', parent: null });
    assert.deepEqual([viewer.state, seen.details.at(-1)], ['waiting', NO_PLACE]);
    assert.equal(upstream.closed, true);
    assert.equal(seen.streams.at(-1), null);
    assert.equal(child.closed, false);
  });

  it('a resumed broadcast with the same parent plays on without a new connection', async () => {
    const { viewer, upstream, seen } = await relayPlaying();
    viewer.receive({ type: 'broadcaster-away', channel: 'news', graceSeconds: 30 });
    viewer.receive({ type: 'channel-live', channel: RELAYING, broadcaster: 'Host', name: 'Ann', parent: 'p1' });
    assert.equal(viewer.state, 'playing');
    assert.equal(upstream.closed, false);
    assert.equal(FakePeerConnection.created.length, 1);
    assert.deepEqual(seen.states, ['joining', 'connecting', 'playing', 'away', 'connecting', 'playing']);
  });

  it('a resumed broadcast with no place for it: the old connection goes and the viewer waits', async () => {
    const { viewer, upstream, seen } = await relayPlaying();
    viewer.receive({ type: 'broadcaster-away', channel: 'news', graceSeconds: 30 });
    viewer.receive({ type: 'channel-live', channel: RELAYING, broadcaster: 'Host', name: 'Ann', parent: null });
    assert.deepEqual([viewer.state, seen.details.at(-1), viewer.relay.parentId], ['waiting', NO_PLACE, null]);
    assert.equal(upstream.closed, true);
  });

  it('a resumed broadcast with a new parent (the new broadcaster connection) connects to it', async () => {
    const { viewer, upstream } = await relayPlaying();
    viewer.receive({ type: 'broadcaster-away', channel: 'news', graceSeconds: 30 });
    viewer.receive({ type: 'channel-live', channel: RELAYING, broadcaster: 'Host', name: 'Ann', parent: 'b2' });
    assert.equal(upstream.closed, true);
    assert.deepEqual([viewer.state, viewer.relay.parentId], ['connecting', 'b2']);
  });
});

describe('ViewerSession reports a stalled parent', () => {
  it('a failed upstream: one airwave.relay.stalled, not a rejoin; a new parent may be reported again', async () => {
    const { bus, viewer, upstream } = await relayPlaying();
    upstream.changeState('failed');
    assert.equal(viewer.state, 'recovering');
    assert.deepEqual(bus.reply(ADDRESS.relayStalled), {});
    upstream.changeState('disconnected');
    mock.timers.tick(12000);
    await settle();
    assert.deepEqual(relayRequests(bus), [ADDRESS.relayStalled], 'once per parent');
    assert.deepEqual(bus.addresses(), [ADDRESS.leave], 'only after a reported stall brings nothing does it join again');
    bus.reply(ADDRESS.leave);
    await settle();
    bus.reply(ADDRESS.join, { status: 'live', channel: RELAYING, name: 'Ann', history: [], parent: 'p2' });
    await settle();
    const next = await offered(viewer, 'p2');
    next.changeState('failed');
    assert.deepEqual(relayRequests(bus), [ADDRESS.relayStalled, ADDRESS.relayStalled]);
    assert.equal(viewer.relay.stalledReports, 2);
  });

  it('no offer from the parent within 12 s: the parent is reported, no leave and no join', async () => {
    const { bus, viewer } = await joinedRelaying('p1');
    mock.timers.tick(12000);
    await settle();
    assert.deepEqual(bus.addresses(), [ADDRESS.relayStalled]);
    assert.equal(viewer.state, 'recovering');
  });

  it('no new frame for 2 s while playing: stalled, once', async () => {
    const { bus, viewer, upstream } = await relayPlaying();
    await second(upstream, 0, 1000);
    await second(upstream, 30, 2000);
    await second(upstream, 60, 3000);
    await second(upstream, 60, 4000);
    assert.deepEqual(relayRequests(bus), []);
    await second(upstream, 60, 5000);
    assert.deepEqual(relayRequests(bus), [ADDRESS.relayStalled]);
    assert.equal(viewer.state, 'recovering');
    await second(upstream, 60, 7000);
    await second(upstream, 60, 8000);
    assert.deepEqual(relayRequests(bus), [ADDRESS.relayStalled]);
  });

  it('no frames while the broadcaster is away is not a stall', async () => {
    const { bus, viewer, upstream } = await relayPlaying();
    await second(upstream, 0, 1000);
    await second(upstream, 30, 2000);
    viewer.receive({ type: 'broadcaster-away', channel: 'news', graceSeconds: 30 });
    for (let at = 3000; at <= 10000; at += 1000) await second(upstream, 30, at);
    assert.deepEqual(relayRequests(bus), []);
  });
});

describe('ViewerSession falls behind', () => {
  /**
   * The upstream's packets: 100 video packets a second arrive and none are lost for the first 5 s,
   * then 20 more a second are lost (17 %).
   * @param {number} at ms
   */
  const packetsAt = (at) => ({
    packetsReceived: 100 * (at / 1000),
    packetsLost: at <= 5000 ? 0 : 20 * (at / 1000 - 5),
  });

  /**
   * The monitor reads the counters every second from `from` to `to`: 30 frames a second throughout.
   * @param {FakePeerConnection} upstream
   * @param {number} from
   * @param {number} to
   */
  async function seconds(upstream, from, to) {
    for (let at = from; at <= to; at += 1000) await second(upstream, 30 * (at / 1000), at, packetsAt(at));
  }

  it('three lossy samples in a row (every 2 s): airwave.relay.able {relay: false} once, then a leaf', async () => {
    const { bus, viewer, upstream } = await relayPlaying();
    await seconds(upstream, 1000, 10000);
    assert.deepEqual(relayRequests(bus), [], 'two slow samples are not enough');
    await seconds(upstream, 11000, 11000);
    assert.deepEqual(relayRequests(bus), [ADDRESS.relayAble]);
    assert.deepEqual(bus.reply(ADDRESS.relayAble), { relay: false });
    await seconds(upstream, 12000, 20000);
    assert.deepEqual(relayRequests(bus), [ADDRESS.relayAble], 'once');
    assert.deepEqual([viewer.relay.fellBehind, viewer.relay.able], [true, false]);
    viewer.receive({ type: 'channel-ended', channel: 'news', reason: 'node-lost' });
    assert.deepEqual(bus.reply(ADDRESS.join, { status: 'waiting', channel: null, name: 'Ann', history: [] }), { id: 'news', name: 'Ann' });
    await settle();
  });

  it('a page that did not offer to relay never says it fell behind', async () => {
    const { bus, viewer } = await joinedRelaying('p1', false);
    const upstream = await offered(viewer, 'p1');
    upstream.changeState('connected');
    await seconds(upstream, 1000, 20000);
    assert.deepEqual(relayRequests(bus), []);
  });
});
