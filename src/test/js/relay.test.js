// relay.js and relay-health.js without a browser: capability, the connections to the children, and
// the stall and falling-behind decisions on plain numbers.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { Downstream, relayCapable } from '../../../webroot/js/relay.js';
import {
  FallingBehind,
  frameRate,
  inbound,
  lossBetween,
  outboundFrames,
  StallWatch,
} from '../../../webroot/js/relay-health.js';
import { ICE } from './fakes/bus.js';
import { FakeMediaStream, FakeTrack } from './fakes/media.js';
import { answer, deferred, FakePeerConnection } from './fakes/peer-connection.js';

beforeEach(() => {
  FakePeerConnection.created = [];
  globalThis.RTCPeerConnection = FakePeerConnection;
  globalThis.MediaStream = FakeMediaStream;
  mock.method(console, 'error', () => {});
});

afterEach(() => mock.restoreAll());

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('relayCapable', () => {
  it('is capable where the browser says nothing about the connection (Firefox, Safari)', () => {
    assert.equal(relayCapable({}), true);
  });

  it('is capable on a fast connection that is not metered', () => {
    assert.equal(relayCapable({ connection: { type: 'wifi', effectiveType: '4g', saveData: false } }), true);
    assert.equal(relayCapable({ connection: { effectiveType: '4g' } }), true);
  });

  it('is not when the user saves data', () => {
    assert.equal(relayCapable({ connection: { saveData: true, effectiveType: '4g' } }), false);
  });

  it('is not on a cellular connection', () => {
    assert.equal(relayCapable({ connection: { type: 'cellular', effectiveType: '4g' } }), false);
  });

  for (const effectiveType of ['slow-2g', '2g', '3g']) {
    it(`is not on an effective ${effectiveType} connection`, () => {
      assert.equal(relayCapable({ connection: { type: 'wifi', effectiveType } }), false);
    });
  }
});

describe('FallingBehind', () => {
  it('falls behind on the third sample in a row sending a child under half the inbound rate', () => {
    const behind = new FallingBehind();
    assert.equal(behind.sample(30, [30, 14]), false);
    assert.equal(behind.sample(30, [29, 14]), false);
    assert.equal(behind.sample(30, [30, 12]), true);
  });

  it('does not count exactly half as slow', () => {
    const behind = new FallingBehind();
    for (let i = 0; i < 5; i++) assert.equal(behind.sample(15, [7.5]), false);
  });

  it('is not behind when the source itself slows down (camera off, still screen)', () => {
    const behind = new FallingBehind();
    behind.sample(30, [30]);
    for (let i = 0; i < 5; i++) assert.equal(behind.sample(1, [0]), false);
    for (let i = 0; i < 5; i++) assert.equal(behind.sample(4.9, [1]), false);
  });

  it('falls behind when more than a tenth of its inbound video packets are lost', () => {
    const behind = new FallingBehind();
    assert.equal(behind.sample(30, [], 0.1), false, 'exactly a tenth is not too many');
    assert.equal(behind.sample(30, [], 0.2), false);
    assert.equal(behind.sample(30, [], 0.2), false);
    assert.equal(behind.sample(30, [], 0.2), true);
  });

  it('starts counting again after a good sample', () => {
    const behind = new FallingBehind();
    behind.sample(30, [10]);
    behind.sample(30, [10]);
    assert.equal(behind.sample(30, [25]), false);
    behind.sample(30, [10]);
    assert.equal(behind.sample(30, [10]), false);
    assert.equal(behind.sample(30, [10]), true);
  });

  it('starts counting again after an interruption (not playing for a while)', () => {
    const behind = new FallingBehind();
    behind.sample(30, [10]);
    behind.sample(30, [10]);
    behind.interrupt();
    assert.equal(behind.sample(30, [10]), false);
    assert.equal(behind.sample(30, [10]), false);
    assert.equal(behind.sample(30, [10]), true);
  });
});

describe('lossBetween', () => {
  it('is the share of the video packets sent in between that were lost', () => {
    const before = { frames: 0, audio: 0, received: 100, lost: 0, at: 0 };
    assert.equal(lossBetween(before, { ...before, received: 190, lost: 10 }), 0.1);
    assert.equal(lossBetween(before, before), 0);
    assert.equal(lossBetween({ ...before, lost: 5 }, { ...before, lost: 3 }), 0, 'late packets count negative');
  });
});

describe('StallWatch', () => {
  it('stalls once frames came and then none for 2 s', () => {
    const watch = new StallWatch();
    assert.equal(watch.sample({ frames: 0, at: 0 }), false);
    assert.equal(watch.sample({ frames: 10, at: 1000 }), false);
    assert.equal(watch.sample({ frames: 20, at: 2000 }), false);
    assert.equal(watch.sample({ frames: 20, at: 3000 }), false);
    assert.equal(watch.sample({ frames: 20, at: 3999 }), false);
    assert.equal(watch.sample({ frames: 20, at: 4000 }), true);
  });

  it('does not stall a connection on which no frame ever came', () => {
    const watch = new StallWatch();
    assert.equal(watch.sample({ frames: 0, at: 0 }), false);
    assert.equal(watch.sample({ frames: 0, at: 10000 }), false);
  });

  it('forgets the counter on reset', () => {
    const watch = new StallWatch();
    watch.sample({ frames: 0, at: 0 });
    watch.sample({ frames: 10, at: 1000 });
    watch.reset();
    assert.equal(watch.sample({ frames: 10, at: 9000 }), false);
    assert.equal(watch.sample({ frames: 10, at: 20000 }), false);
  });
});

describe('frame counters', () => {
  it('frameRate: frames per second between two counts, null when no time passed', () => {
    assert.equal(frameRate({ frames: 100, at: 1000 }, { frames: 160, at: 3000 }), 30);
    assert.equal(frameRate({ frames: 100, at: 1000 }, { frames: 160, at: 1000 }), null);
  });

  it('inbound reads video framesDecoded and packets and audio packets; outboundFrames framesEncoded or else framesSent', async () => {
    const pc = new FakePeerConnection({});
    pc.stats = [
      { id: 'in-a', type: 'inbound-rtp', kind: 'audio', packetsReceived: 7, timestamp: 5000 },
      { id: 'in-v', type: 'inbound-rtp', kind: 'video', framesDecoded: 42, packetsReceived: 90, packetsLost: 3, timestamp: 5000 },
      { id: 'out-v', type: 'outbound-rtp', kind: 'video', framesSent: 40, timestamp: 5001 },
    ];
    assert.deepEqual(await inbound(/** @type {any} */ (pc)), { frames: 42, audio: 7, received: 90, lost: 3, at: 5000 });
    assert.deepEqual(await outboundFrames(/** @type {any} */ (pc)), { frames: 40, at: 5001 });
    pc.stats[2].framesEncoded = 41;
    assert.deepEqual(await outboundFrames(/** @type {any} */ (pc)), { frames: 41, at: 5001 });
    pc.stats = [];
    assert.equal(await inbound(/** @type {any} */ (pc)), null);
    assert.equal(await outboundFrames(/** @type {any} */ (pc)), null);
  });
});

describe('Downstream', () => {
  /** A Downstream whose signals and changes are recorded; `ice` may be held by the test. */
  function makeDownstream(ice = async () => ICE) {
    const seen = { sent: [], changes: 0, problems: [] };
    const downstream = new Downstream({
      ice,
      send: async (to, signal) => seen.sent.push({ to, ...signal }),
      onchange: () => seen.changes++,
      onproblem: (text) => seen.problems.push(text),
    });
    return { downstream, seen };
  }

  it('feeds a child: an impolite connection that offers the upstream tracks it has', async () => {
    const { downstream, seen } = makeDownstream();
    const audio = new FakeTrack('audio');
    const video = new FakeTrack('video');
    downstream.track(audio);
    downstream.track(video);
    await downstream.feed('c1');
    const pc = FakePeerConnection.created.at(-1);
    assert.deepEqual(pc.config, ICE);
    assert.deepEqual(pc.calls, ['addTrack audio', 'addTrack video']);
    assert.deepEqual(pc.senders.map((s) => s.track), [audio, video]);
    assert.equal(pc.senders[0].stream, pc.senders[1].stream, 'audio and video go in one stream');
    assert.equal(downstream.peers()[0].options.polite, false);
    pc.onnegotiationneeded();
    await settle();
    assert.deepEqual(seen.sent, [{ to: 'c1', type: 'offer', description: { type: 'offer', sdp: pc.localDescription.sdp } }]);
    assert.deepEqual([downstream.size, downstream.ids(), downstream.has('c1'), seen.changes], [1, ['c1'], true, 1]);
  });

  it('adds tracks that arrive after the child, and swaps later ones in without a new sender', async () => {
    const { downstream } = makeDownstream();
    await downstream.feed('c1');
    const pc = FakePeerConnection.created.at(-1);
    assert.deepEqual(pc.calls, []);
    const first = new FakeTrack('video');
    downstream.track(first);
    assert.deepEqual(pc.calls, ['addTrack video']);
    const second = new FakeTrack('video');
    downstream.track(second);
    await settle();
    assert.deepEqual(pc.calls, ['addTrack video'], 'no second sender, so no renegotiation');
    assert.equal(pc.senders[0].track, second);
    assert.deepEqual(pc.senders[0].stream.getTracks(), [second], 'the shared stream holds the new track only');
  });

  it('routes a signal by its sender: a child gets it, anyone else is not its business', async () => {
    const { downstream } = makeDownstream();
    await downstream.feed('c1');
    const pc = FakePeerConnection.created.at(-1);
    pc.onnegotiationneeded();
    await settle();
    assert.equal(downstream.handle({ type: 'answer', from: 'c1', description: answer() }), true);
    await settle();
    assert.equal(pc.signalingState, 'stable');
    assert.equal(downstream.handle({ type: 'answer', from: 'parent', description: answer() }), false);
  });

  it('unfeed closes that child only', async () => {
    const { downstream, seen } = makeDownstream();
    await downstream.feed('c1');
    await downstream.feed('c2');
    const [one, two] = FakePeerConnection.created;
    downstream.unfeed('c1');
    assert.deepEqual([one.closed, two.closed], [true, false]);
    assert.deepEqual(downstream.ids(), ['c2']);
    assert.equal(seen.changes, 3);
    downstream.unfeed('nobody');
    assert.equal(seen.changes, 3, 'an unknown child changes nothing');
  });

  it('a child unfed while the ICE settings load gets no connection', async () => {
    const held = deferred();
    const { downstream } = makeDownstream(() => held.promise);
    const feeding = downstream.feed('c1');
    assert.equal(downstream.has('c1'), true, 'counted from the feed on');
    downstream.unfeed('c1');
    held.resolve(ICE);
    await feeding;
    assert.equal(FakePeerConnection.created.length, 0);
    assert.equal(downstream.size, 0);
  });

  it('closeAll closes every child and says so once', async () => {
    const { downstream, seen } = makeDownstream();
    await downstream.feed('c1');
    await downstream.feed('c2');
    downstream.closeAll();
    assert.ok(FakePeerConnection.created.every((pc) => pc.closed));
    assert.deepEqual([downstream.size, seen.changes], [0, 3]);
    downstream.closeAll();
    assert.equal(seen.changes, 3);
  });
});
