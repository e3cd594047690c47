// broadcaster.js without a browser: a fake bus, storage, media and RTCPeerConnection, mock timers.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { BROADCAST_TRANSITIONS, BroadcasterSession } from '../../../webroot/js/broadcaster.js';
import { allowed } from '../../../webroot/js/lifecycle.js';
import { ADDRESS } from '../../../webroot/js/protocol.js';
import { FakeBus, FakeStorage, ICE } from './fakes/bus.js';
import { FakeMediaStream, FakeTrack } from './fakes/media.js';
import { answer, FakePeerConnection } from './fakes/peer-connection.js';

/** @type {{from: string, to: string}[]} every move of every session in the test */
let moves;
/** @type {any} console.error, recorded */
let errors;

beforeEach(() => {
  FakePeerConnection.created = [];
  globalThis.RTCPeerConnection = FakePeerConnection;
  moves = [];
  errors = mock.method(console, 'error', () => {});
  mock.method(console, 'debug', () => {});
  mock.method(console, 'warn', () => {});
  mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
});

afterEach(() => {
  for (const { from, to } of moves) assert.ok(allowed(BROADCAST_TRANSITIONS, from, to), `${from} → ${to} is in the table`);
  const refused = errors.mock.calls.filter((call) => /may not go/.test(call.arguments[0]));
  assert.deepEqual(refused, [], 'no move was refused');
});

afterEach(() => {
  mock.restoreAll();
  mock.timers.reset();
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

const CHANNEL = Object.freeze({ id: 'news', title: 'News', viewers: 0, maxViewers: 25, startedAt: 1, live: true });
const LINE = Object.freeze({ id: '1', from: { peerId: 'v1', name: 'Ann', role: 'viewer' }, text: 'hi', at: 5 });
const RESUME_KEY = 'airwave.resume';

/** What BroadcasterSession uses of LocalMedia: a camera and a microphone in one stream. */
function fakeMedia() {
  const camera = new FakeTrack('video');
  const mic = new FakeTrack('audio');
  return {
    camera,
    mic,
    stream: new FakeMediaStream([camera, mic]),
    videoTrack: () => camera,
    onvideochange: () => {},
    onaudiochange: () => {},
  };
}

/** A broadcaster session on fakes; what it tells the page is recorded. */
function makeBroadcaster() {
  const bus = new FakeBus();
  const storage = new FakeStorage();
  const media = fakeMedia();
  const session = new BroadcasterSession(/** @type {any} */ (bus), /** @type {any} */ (media), /** @type {any} */ (storage));
  const seen = { states: [], history: [], presence: [], notices: [], problems: [], viewers: 0 };
  session.onstate = (state) => {
    moves.push({ from: seen.states.at(-1) ?? 'idle', to: state });
    seen.states.push(state);
  };
  session.onhistory = (history) => seen.history.push(history);
  session.onpresence = (text) => seen.presence.push(text);
  session.onnotice = (text) => seen.notices.push(text);
  session.onproblem = (text) => seen.problems.push(text);
  session.onviewers = () => seen.viewers++;
  return { bus, storage, media, session, seen };
}

/**
 * The reply of create or resume.
 * @param {object} [more]
 */
const live = (more) => ({ channel: CHANNEL, resumeToken: 'token-1', name: 'Host', viewers: [], history: [], ...more });

/** A broadcaster live on `news`. */
async function broadcasting() {
  const parts = makeBroadcaster();
  const starting = parts.session.start({ id: 'news', title: 'News', name: 'Host', credential: '' });
  parts.bus.reply(ADDRESS.create, live());
  await starting;
  return parts;
}

/**
 * A viewer joins; the broadcaster's connection to it is made.
 * @param {BroadcasterSession} session
 * @param {string} peerId
 * @param {string} name
 */
async function viewerJoins(session, peerId = 'v1', name = 'Ann') {
  session.receive({ type: 'viewer-joined', channel: 'news', viewer: { peerId, name }, viewers: session.audience.viewers.size + 1 });
  await settle();
  return FakePeerConnection.created.at(-1);
}

describe('BroadcasterSession goes live', () => {
  it('start: starting, then live with the channel, the history, and the channel saved for a reload', async () => {
    const { bus, storage, session, seen } = makeBroadcaster();
    const starting = session.start({ id: 'news', title: 'News', name: 'Host', credential: '', maxViewers: undefined });
    assert.equal(session.state, 'starting');
    assert.deepEqual(bus.reply(ADDRESS.create, live({ history: [LINE] })), { id: 'news', title: 'News', name: 'Host' });
    await starting;
    assert.equal(session.state, 'live');
    assert.deepEqual(seen.states, ['starting', 'live']);
    assert.deepEqual(seen.history, [[LINE]]);
    const saved = JSON.parse(storage.getItem(RESUME_KEY));
    assert.deepEqual([saved.channelId, saved.resumeToken, saved.open], ['news', 'token-1', true]);
  });

  it('a refused start goes back to idle and rethrows', async () => {
    const { bus, session, seen } = makeBroadcaster();
    const starting = session.start({ id: 'news' });
    bus.fail(ADDRESS.create, 'channel_taken');
    await assert.rejects(starting, { code: 'channel_taken' });
    assert.deepEqual(seen.states, ['starting', 'idle']);
  });

  it('sends a keep-alive every keepaliveMs while live, and none once stopped', async () => {
    const { bus, session } = await broadcasting();
    mock.timers.tick(60000);
    assert.deepEqual(bus.addresses(), [ADDRESS.keepalive]);
    bus.reply(ADDRESS.keepalive);
    const stopping = session.stop();
    bus.reply(ADDRESS.stop);
    await stopping;
    mock.timers.tick(600000);
    assert.deepEqual(bus.addresses(), []);
  });
});

describe('BroadcasterSession and its viewers', () => {
  it('viewer-joined: a peer with camera and microphone, and an offer to that viewer', async () => {
    const { bus, session, seen } = await broadcasting();
    const pc = await viewerJoins(session);
    assert.deepEqual(pc.config, ICE);
    assert.deepEqual(pc.calls, ['addTrack audio', 'addTrack video']);
    assert.deepEqual(seen.presence, ['Ann joined']);
    assert.equal(session.audience.viewerCount, 1);
    pc.onnegotiationneeded();
    await settle();
    assert.deepEqual(bus.signals, [{ to: 'v1', type: 'offer', description: { type: 'offer', sdp: pc.localDescription.sdp } }]);
    session.receive({ type: 'answer', from: 'v1', channel: 'news', description: answer() });
    await settle();
    assert.equal(pc.signalingState, 'stable');
  });

  it('viewers listed in the reply are not announced again when their viewer-joined comes', async () => {
    const { bus, session, seen } = makeBroadcaster();
    const starting = session.start({ id: 'news' });
    bus.reply(ADDRESS.create, live({ viewers: [{ peerId: 'v1', name: 'Ann' }] }));
    await starting;
    await viewerJoins(session);
    assert.deepEqual(seen.presence, []);
    assert.equal(session.audience.peers.size, 1);
  });

  it('viewer-left: its peer is closed and "Ann left" is said', async () => {
    const { session, seen } = await broadcasting();
    const pc = await viewerJoins(session);
    session.receive({ type: 'viewer-left', channel: 'news', peerId: 'v1', name: 'Ann', viewers: 0, reason: 'left' });
    assert.equal(pc.closed, true);
    assert.equal(session.audience.peers.size, 0);
    assert.equal(session.audience.viewers.size, 0);
    assert.equal(session.audience.viewerCount, 0);
    assert.deepEqual(seen.presence, ['Ann joined', 'Ann left']);
  });

  it('viewer-renamed: says who is now whom', async () => {
    const { session, seen } = await broadcasting();
    await viewerJoins(session);
    session.receive({ type: 'viewer-renamed', channel: 'news', peerId: 'v1', name: 'Anna' });
    assert.equal(session.audience.viewers.get('v1').name, 'Anna');
    assert.deepEqual(seen.presence, ['Ann joined', 'Ann is now Anna']);
  });
});

describe('BroadcasterSession resumes', () => {
  /** A channel a page of this browser closed a moment ago. */
  function saved(storage) {
    storage.setItem(RESUME_KEY, JSON.stringify({ channelId: 'news', resumeToken: 'token-1', savedAt: Date.now() - 1000, open: false }));
  }

  it('retries while the service still sees the old socket (broadcaster_present), then is live again', async () => {
    const { bus, storage, session, seen } = makeBroadcaster();
    saved(storage);
    const resuming = session.resume();
    assert.equal(session.state, 'resuming');
    assert.deepEqual(bus.fail(ADDRESS.resume, 'broadcaster_present'), { id: 'news', resumeToken: 'token-1' });
    await settle();
    assert.deepEqual(bus.addresses(), [], 'no retry before a second has passed');
    mock.timers.tick(1000);
    await settle();
    bus.reply(ADDRESS.resume, live({ history: [LINE] }));
    assert.equal(await resuming, true);
    assert.deepEqual(seen.states, ['resuming', 'live']);
    assert.deepEqual(seen.notices, ['Resumed channel news.']);
    assert.deepEqual(seen.history, [[LINE]]);
  });

  it('a refused resume forgets the saved channel, goes idle and rethrows', async () => {
    const { bus, storage, session, seen } = makeBroadcaster();
    saved(storage);
    const resuming = session.resume();
    bus.fail(ADDRESS.resume, 'bad_token', 403);
    await assert.rejects(resuming, { code: 'bad_token' });
    assert.equal(storage.getItem(RESUME_KEY), null);
    assert.deepEqual(seen.states, ['resuming', 'idle']);
  });

  it('a new socket while live: peers closed, the same channel taken back with its token', async () => {
    const { bus, session, seen } = await broadcasting();
    const pc = await viewerJoins(session);
    const back = session.reconnected(/** @type {any} */ ({}));
    assert.equal(pc.closed, true);
    assert.deepEqual(bus.reply(ADDRESS.resume, live()), { id: 'news', resumeToken: 'token-1' });
    await back;
    assert.deepEqual(seen.states, ['starting', 'live', 'resuming', 'live']);
  });

  it('node-lost: starts the same channel again with what it was started with', async () => {
    const { bus, session, seen } = await broadcasting();
    session.receive({ type: 'channel-ended', channel: 'news', reason: 'node-lost' });
    assert.equal(session.state, 'resuming');
    assert.deepEqual(bus.reply(ADDRESS.create, live()), { id: 'news', title: 'News', name: 'Host' });
    await settle();
    assert.equal(session.state, 'live');
    assert.deepEqual(seen.notices, ['The server carrying channel news was lost; it is live again.']);
  });
});

describe('BroadcasterSession ends', () => {
  it('stop: stopping, airwave.channel.stop with the id, then idle and the saved channel forgotten', async () => {
    const { bus, storage, session, seen } = await broadcasting();
    const pc = await viewerJoins(session);
    const stopping = session.stop();
    assert.equal(session.state, 'stopping');
    assert.deepEqual(bus.reply(ADDRESS.stop), { id: 'news' });
    await stopping;
    assert.equal(pc.closed, true);
    assert.equal(storage.getItem(RESUME_KEY), null);
    assert.equal(session.channel, null);
    assert.deepEqual(seen.states, ['starting', 'live', 'stopping', 'idle']);
  });

  const ENDED = {
    idle: 'Your channel “News” was closed after a long time without activity.',
    'broadcaster-gone': 'Your channel “News” ended: this page did not come back in time.',
    shutdown: 'The service restarted; your channel “News” has ended.',
    'something-new': 'Your channel “News” has ended (something-new).',
  };
  for (const [reason, text] of Object.entries(ENDED)) {
    it(`channel-ended ${reason}: the reason as a problem, idle, the saved channel forgotten`, async () => {
      const { storage, session, seen } = await broadcasting();
      session.receive({ type: 'channel-ended', channel: 'news', reason });
      assert.equal(session.state, 'idle');
      assert.deepEqual(seen.problems, [text]);
      assert.equal(storage.getItem(RESUME_KEY), null);
    });
  }

  it('channel-ended stopped (by another page of this broadcaster) is news, not a problem', async () => {
    const { session, seen } = await broadcasting();
    session.receive({ type: 'channel-ended', channel: 'news', reason: 'stopped' });
    assert.deepEqual([seen.notices, seen.problems], [['Your channel “News” has ended.'], []]);
    assert.equal(session.state, 'idle');
  });
});

describe('BroadcasterSession in a relaying channel', () => {
  const RELAYING = Object.freeze({ ...CHANNEL, relay: true });

  /** A broadcaster live on `news`, started with "Let viewers pass the stream on". */
  async function relaying() {
    const parts = makeBroadcaster();
    const starting = parts.session.start({ id: 'news', name: 'Host', relay: true });
    parts.body = parts.bus.reply(ADDRESS.create, live({ channel: RELAYING }));
    await starting;
    return parts;
  }

  /**
   * The server tells the broadcaster to feed a viewer; the connection made for it, if any.
   * @param {BroadcasterSession} session
   * @param {string} peerId
   */
  async function feeds(session, peerId = 'v1') {
    const before = FakePeerConnection.created.length;
    session.receive({ type: 'feed', channel: 'news', viewer: peerId });
    await settle();
    return FakePeerConnection.created.slice(before).at(-1);
  }

  it('start with relay: create says so, and the create after a lost server says it again', async () => {
    const { bus, session, body } = await relaying();
    assert.deepEqual(body, { id: 'news', name: 'Host', relay: true });
    assert.equal(session.relay, true);
    session.receive({ type: 'channel-ended', channel: 'news', reason: 'node-lost' });
    assert.deepEqual(bus.reply(ADDRESS.create, live({ channel: RELAYING })), { id: 'news', title: 'News', name: 'Host', relay: true });
    await settle();
    assert.equal(session.state, 'live');
  });

  it('viewer-joined is presence only; feed makes the connection, with camera and microphone, and offers', async () => {
    const { bus, session, seen } = await relaying();
    assert.equal(await viewerJoins(session), undefined, 'no connection on viewer-joined');
    assert.deepEqual(seen.presence, ['Ann joined']);
    const pc = await feeds(session, 'v1');
    assert.deepEqual(pc.calls, ['addTrack audio', 'addTrack video']);
    pc.onnegotiationneeded();
    await settle();
    assert.deepEqual(bus.signals, [{ to: 'v1', type: 'offer', description: { type: 'offer', sdp: pc.localDescription.sdp } }]);
    assert.deepEqual([...session.audience.peers.keys()], ['v1']);
  });

  it('feeds a viewer whose viewer-joined has not come yet', async () => {
    const { session } = await relaying();
    assert.ok(await feeds(session, 'v9'));
  });

  it('unfeed closes that connection; viewer-left closes a fed viewer', async () => {
    const { session } = await relaying();
    await viewerJoins(session, 'v1', 'Ann');
    await viewerJoins(session, 'v2', 'Bob');
    const one = await feeds(session, 'v1');
    const two = await feeds(session, 'v2');
    session.receive({ type: 'unfeed', channel: 'news', viewer: 'v1' });
    assert.deepEqual([one.closed, two.closed], [true, false]);
    assert.equal(session.audience.viewers.has('v1'), true, 'an unfed viewer is still in the channel');
    session.receive({ type: 'viewer-left', channel: 'news', peerId: 'v2', name: 'Bob', viewers: 1, reason: 'left' });
    assert.equal(two.closed, true);
    assert.equal(session.audience.peers.size, 0);
  });

  it('a viewer unfed while the ICE settings load gets no connection', async () => {
    const { session } = await relaying();
    await viewerJoins(session, 'v1', 'Ann');
    session.receive({ type: 'feed', channel: 'news', viewer: 'v1' });
    session.receive({ type: 'unfeed', channel: 'news', viewer: 'v1' });
    await settle();
    assert.equal(FakePeerConnection.created.length, 0);
  });

  it('keeps the figures of the latest tree message for the page, and forgets them on resuming', async () => {
    const { bus, session, seen } = await relaying();
    const before = seen.viewers;
    session.receive({ type: 'tree', channel: 'news', direct: 2, depth: 3, viewers: 7, waiting: 1 });
    assert.deepEqual(session.audience.tree, { direct: 2, depth: 3, viewers: 7, waiting: 1 });
    assert.equal(seen.viewers, before + 1);
    const back = session.reconnected(/** @type {any} */ ({}));
    assert.equal(session.audience.tree, null);
    bus.reply(ADDRESS.resume, live({ channel: RELAYING }));
    await back;
  });

  it('a feed that came while resuming is connected once live', async () => {
    const { bus, session } = await relaying();
    const back = session.reconnected(/** @type {any} */ ({}));
    session.receive({ type: 'feed', channel: 'news', viewer: 'v1' });
    await settle();
    assert.equal(FakePeerConnection.created.length, 0);
    bus.reply(ADDRESS.resume, live({ channel: RELAYING }));
    await back;
    await settle();
    assert.deepEqual([...session.audience.peers.keys()], ['v1']);
  });

  it('a channel taken back after a reload is started again with relay after a lost server', async () => {
    const { bus, storage, session } = makeBroadcaster();
    storage.setItem(RESUME_KEY, JSON.stringify({ channelId: 'news', resumeToken: 'token-1', savedAt: Date.now() - 1000, open: false }));
    const resuming = session.resume();
    bus.reply(ADDRESS.resume, live({ channel: RELAYING }));
    await resuming;
    session.receive({ type: 'channel-ended', channel: 'news', reason: 'node-lost' });
    assert.deepEqual(bus.reply(ADDRESS.create, live({ channel: RELAYING })), { id: 'news', title: 'News', relay: true });
    await settle();
  });

  it('a channel that does not relay still connects on viewer-joined, and has no tree', async () => {
    const { session } = await broadcasting();
    assert.equal(session.relay, false);
    assert.ok(await viewerJoins(session));
    assert.equal(session.audience.tree, null);
  });
});
