// negotiation.js without a browser: perfect negotiation against a fake RTCPeerConnection.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { Peer } from '../../../webroot/js/negotiation.js';
import { answer, deferred, FakePeerConnection, offer } from './fakes/peer-connection.js';

beforeEach(() => {
  FakePeerConnection.created = [];
  globalThis.RTCPeerConnection = FakePeerConnection;
  mock.method(console, 'error', () => {});
});

afterEach(() => {
  mock.restoreAll();
  mock.timers.reset();
});

const ICE = { iceServers: [{ urls: 'turn:turn.example:3478', username: 'u', credential: 'c' }], iceTransportPolicy: 'relay' };

/** Lets every promise chain that is ready run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A Peer on a fake connection; what it sends, its states and errors are recorded.
 * @param {{polite?: boolean}} [options]
 */
function makePeer({ polite = false } = {}) {
  const seen = { sent: [], states: [], errors: [] };
  /** @type {((signal: any) => Promise<any>)|null} replaces the next send once */
  let nextSend = null;
  const peer = new Peer('remote', {
    polite,
    ice: ICE,
    send: (signal) => {
      seen.sent.push(signal);
      const send = nextSend;
      nextSend = null;
      return send ? send(signal) : Promise.resolve({});
    },
    onstate: (state) => seen.states.push(state),
    onerror: (error) => seen.errors.push(error),
  });
  const pc = FakePeerConnection.created.at(-1);
  const holdNextSend = () => {
    const held = deferred();
    nextSend = () => held.promise;
    return held;
  };
  return { peer, pc, seen, holdNextSend };
}

/** The peer's own offer is out (have-local-offer), its send already done. */
async function offered(parts) {
  parts.pc.onnegotiationneeded();
  await settle();
  assert.equal(parts.pc.signalingState, 'have-local-offer');
}

const candidate = (n) => ({ candidate: `candidate:${n} 1 udp 1 10.0.0.${n} 5000 typ host`, sdpMid: '0', sdpMLineIndex: 0 });

describe('Peer offers', () => {
  it('opens its connection with the servers and transport policy of the hello', () => {
    const before = Peer.openCount;
    const { peer, pc } = makePeer();
    assert.deepEqual(pc.config, ICE);
    assert.equal(Peer.openCount, before + 1);
    peer.close();
    assert.equal(Peer.openCount, before);
  });

  it('sends an offer, as plain data, when negotiation is needed', async () => {
    const { peer, pc, seen } = makePeer();
    pc.onnegotiationneeded();
    await settle();
    assert.deepEqual(seen.sent, [{ type: 'offer', description: { type: 'offer', sdp: pc.localDescription.sdp } }]);
    assert.equal(peer.makingOffer, false);
  });

  it('reports an offer that could not be sent, and is no longer making one', async () => {
    const parts = makePeer();
    parts.holdNextSend().reject(new Error('timeout'));
    parts.pc.onnegotiationneeded();
    await settle();
    assert.deepEqual(parts.seen.errors.map((e) => e.message), ['timeout']);
    assert.equal(parts.peer.makingOffer, false);
  });
});

describe('Peer answers', () => {
  it('answers a remote offer', async () => {
    const { peer, pc, seen } = makePeer({ polite: true });
    await peer.handle({ type: 'offer', description: offer() });
    assert.deepEqual(pc.calls, ['setRemoteDescription offer', 'setLocalDescription answer']);
    assert.deepEqual(seen.sent, [{ type: 'answer', description: { type: 'answer', sdp: pc.localDescription.sdp } }]);
    assert.equal(pc.signalingState, 'stable');
  });

  it('applies the answer to its own offer', async () => {
    const parts = makePeer();
    await offered(parts);
    await parts.peer.handle({ type: 'answer', description: answer() });
    assert.equal(parts.pc.signalingState, 'stable');
    assert.deepEqual(parts.pc.remoteDescription, answer());
    assert.deepEqual(parts.seen.errors, []);
  });
});

describe('Peer offer collisions (perfect negotiation)', () => {
  it('impolite: ignores an offer that arrives while it is still making its own', async () => {
    const parts = makePeer({ polite: false });
    const held = parts.holdNextSend();
    parts.pc.onnegotiationneeded();
    await settle();
    assert.equal(parts.peer.makingOffer, true);
    await parts.peer.handle({ type: 'offer', description: offer() });
    assert.equal(parts.peer.ignoreOffer, true);
    assert.deepEqual(parts.pc.calls, ['setLocalDescription offer']);
    held.resolve({});
    await settle();
    await parts.peer.handle({ type: 'answer', description: answer() });
    assert.equal(parts.pc.signalingState, 'stable');
    assert.deepEqual(parts.seen.sent.map((s) => s.type), ['offer']);
    assert.deepEqual(parts.seen.errors, []);
  });

  it('impolite: ignores an offer that arrives while its own waits for an answer', async () => {
    const parts = makePeer({ polite: false });
    await offered(parts);
    await parts.peer.handle({ type: 'offer', description: offer() });
    assert.equal(parts.peer.ignoreOffer, true);
    assert.equal(parts.pc.signalingState, 'have-local-offer');
    assert.deepEqual(parts.seen.sent.map((s) => s.type), ['offer']);
  });

  it('polite: yields, rolls its own offer back and answers the remote one', async () => {
    const parts = makePeer({ polite: true });
    const held = parts.holdNextSend();
    parts.pc.onnegotiationneeded();
    await settle();
    await parts.peer.handle({ type: 'offer', description: offer() });
    held.resolve({});
    await settle();
    assert.equal(parts.peer.ignoreOffer, false);
    assert.deepEqual(parts.pc.calls, [
      'setLocalDescription offer',
      'setRemoteDescription offer',
      'rollback',
      'setLocalDescription answer',
    ]);
    assert.deepEqual(parts.seen.sent.map((s) => s.type), ['offer', 'answer']);
    assert.equal(parts.pc.signalingState, 'stable');
  });

  it('impolite: still ignores a colliding offer after an answer failed to apply', async () => {
    const parts = makePeer({ polite: false });
    await offered(parts);
    parts.pc.remoteError = new DOMException('bad answer', 'OperationError');
    await parts.peer.handle({ type: 'answer', description: answer() });
    assert.deepEqual(parts.seen.errors.map((e) => e.message), ['bad answer']);
    await parts.peer.handle({ type: 'offer', description: offer() });
    assert.equal(parts.peer.ignoreOffer, true);
    assert.equal(parts.pc.signalingState, 'have-local-offer');
    assert.deepEqual(parts.seen.sent.map((s) => s.type), ['offer']);
  });
});

describe('Peer ICE candidates', () => {
  it('buffers candidates that come before the remote description, then adds them in order', async () => {
    const { peer, pc } = makePeer({ polite: true });
    await peer.handle({ type: 'ice', candidate: candidate(1) });
    await peer.handle({ type: 'ice', candidate: candidate(2) });
    assert.deepEqual(pc.candidates, []);
    assert.equal(peer.pendingCandidates.length, 2);
    await peer.handle({ type: 'offer', description: offer() });
    assert.deepEqual(pc.candidates, [candidate(1), candidate(2)]);
    assert.deepEqual(peer.pendingCandidates, []);
  });

  it('adds a candidate at once when the remote description is set', async () => {
    const { peer, pc } = makePeer({ polite: true });
    await peer.handle({ type: 'offer', description: offer() });
    await peer.handle({ type: 'ice', candidate: candidate(3) });
    assert.deepEqual(pc.candidates, [candidate(3)]);
  });

  it('passes over the end of candidates (null or an empty candidate)', async () => {
    const { peer, pc, seen } = makePeer({ polite: true });
    await peer.handle({ type: 'offer', description: offer() });
    await peer.handle({ type: 'ice', candidate: null });
    await peer.handle({ type: 'ice' });
    await peer.handle({ type: 'ice', candidate: { candidate: '', sdpMid: '0' } });
    assert.deepEqual(pc.candidates, []);
    assert.deepEqual(seen.errors, []);
  });

  it('swallows a failing candidate of an ignored offer, and reports one otherwise', async () => {
    const parts = makePeer({ polite: false });
    await parts.peer.handle({ type: 'offer', description: offer('first') });
    await offered(parts);
    await parts.peer.handle({ type: 'offer', description: offer('colliding') });
    parts.pc.candidateError = new DOMException('unknown ufrag', 'OperationError');
    await parts.peer.handle({ type: 'ice', candidate: candidate(4) });
    assert.deepEqual(parts.seen.errors, []);
    await parts.peer.handle({ type: 'answer', description: answer() });
    parts.pc.candidateError = new DOMException('broken candidate', 'OperationError');
    await parts.peer.handle({ type: 'ice', candidate: candidate(5) });
    assert.deepEqual(parts.seen.errors.map((e) => e.message), ['broken candidate']);
  });

  it('sends its own candidates without null fields, and the end of candidates as null', async () => {
    const { pc, seen } = makePeer();
    pc.gather({ candidate: 'candidate:9', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null });
    pc.gather(null);
    assert.deepEqual(seen.sent, [
      { type: 'ice', candidate: { candidate: 'candidate:9', sdpMid: '0', sdpMLineIndex: 0 } },
      { type: 'ice', candidate: null },
    ]);
  });

  it('reports a candidate that could not be sent', async () => {
    const parts = makePeer();
    parts.holdNextSend().reject(new Error('offline'));
    parts.pc.gather({ candidate: 'candidate:9', sdpMid: '0', sdpMLineIndex: 0 });
    await settle();
    assert.deepEqual(parts.seen.errors.map((e) => e.message), ['offline']);
  });
});

describe('Peer signal order', () => {
  it('handles signals one at a time, in the order they came', async () => {
    const { peer, pc } = makePeer({ polite: true });
    const gate = deferred();
    pc.remoteGate = gate.promise;
    peer.handle({ type: 'offer', description: offer() });
    const last = peer.handle({ type: 'ice', candidate: candidate(1) });
    await settle();
    assert.deepEqual(pc.calls, ['setRemoteDescription offer']);
    pc.remoteGate = null;
    gate.resolve();
    await last;
    assert.deepEqual(pc.calls, [
      'setRemoteDescription offer',
      'setLocalDescription answer',
      `addIceCandidate ${candidate(1).candidate}`,
    ]);
    assert.deepEqual(peer.pendingCandidates, []);
  });

  it('reports a signal that fails and goes on with the next one', async () => {
    const { peer, pc, seen } = makePeer({ polite: true });
    pc.remoteError = new Error('malformed sdp');
    await peer.handle({ type: 'offer', description: offer('bad') });
    await peer.handle({ type: 'offer', description: offer('good') });
    assert.deepEqual(seen.errors.map((e) => e.message), ['malformed sdp']);
    assert.deepEqual(seen.sent.map((s) => s.type), ['answer']);
  });

  it('turns a thrown non-Error into an Error for onerror', async () => {
    const { peer, pc, seen } = makePeer({ polite: true });
    pc.remoteError = 'plain string';
    await peer.handle({ type: 'offer', description: offer() });
    assert.ok(seen.errors[0] instanceof Error);
    assert.equal(seen.errors[0].message, 'plain string');
  });
});

describe('Peer connection state and ICE restarts', () => {
  it('passes connection states on', () => {
    const { pc, seen } = makePeer();
    pc.changeState('connecting');
    pc.changeState('connected');
    assert.deepEqual(seen.states, ['connecting', 'connected']);
  });

  it('restarts ICE at once when the connection fails', () => {
    const { peer, pc } = makePeer();
    pc.changeState('failed');
    assert.deepEqual([pc.restarts, peer.restarts], [1, 1]);
  });

  it('restarts ICE after four seconds of disconnection', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { pc } = makePeer();
    pc.changeState('disconnected');
    mock.timers.tick(3999);
    assert.equal(pc.restarts, 0);
    mock.timers.tick(1);
    assert.equal(pc.restarts, 1);
  });

  it('does not restart when the connection comes back within four seconds', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { pc } = makePeer();
    pc.changeState('disconnected');
    mock.timers.tick(2000);
    pc.changeState('connected');
    mock.timers.tick(10000);
    assert.equal(pc.restarts, 0);
  });
});

describe('Peer tracks', () => {
  it('keeps one sender per kind, and replaceTrack swaps what it sends', async () => {
    const { peer, pc } = makePeer();
    const stream = {};
    const camera = { kind: 'video', label: 'camera' };
    const screen = { kind: 'video', label: 'screen' };
    peer.addTrack({ kind: 'audio', label: 'mic' }, stream);
    peer.addTrack(camera, stream);
    await peer.replaceTrack('video', screen);
    assert.equal(peer.senders.get('video').track, screen);
    assert.equal(peer.senders.get('audio').track.label, 'mic');
    assert.deepEqual(pc.calls, ['addTrack audio', 'addTrack video']);
  });

  it('replaceTrack of a kind it does not send does nothing', async () => {
    const { peer } = makePeer();
    await peer.replaceTrack('audio', { kind: 'audio' });
    assert.equal(peer.senders.size, 0);
  });
});

describe('Peer close', () => {
  it('closes the connection, drops its handlers and buffered candidates, and says closed once', async () => {
    const before = Peer.openCount;
    const { peer, pc, seen } = makePeer({ polite: true });
    await peer.handle({ type: 'ice', candidate: candidate(1) });
    peer.close();
    peer.close();
    assert.equal(pc.closed, true);
    assert.deepEqual(
      [pc.onnegotiationneeded, pc.onicecandidate, pc.ontrack, pc.onconnectionstatechange],
      [null, null, null, null],
    );
    assert.deepEqual(peer.pendingCandidates, []);
    assert.deepEqual(seen.states, ['closed']);
    assert.equal(Peer.openCount, before);
  });

  it('ignores signals, ICE restarts and track swaps after close', async () => {
    const { peer, pc, seen } = makePeer({ polite: true });
    const camera = { kind: 'video' };
    peer.addTrack(camera, {});
    peer.close();
    await peer.handle({ type: 'offer', description: offer() });
    peer.restartIce();
    await peer.replaceTrack('video', { kind: 'video' });
    assert.deepEqual(pc.calls, ['addTrack video']);
    assert.equal(pc.restarts, 0);
    assert.equal(peer.senders.get('video').track, camera);
    assert.deepEqual(seen.sent, []);
  });

  it('does not report a failure that completes after close', async () => {
    const parts = makePeer();
    const held = parts.holdNextSend();
    parts.pc.onnegotiationneeded();
    await settle();
    parts.peer.close();
    held.reject(new Error('late'));
    await settle();
    assert.deepEqual(parts.seen.errors, []);
  });

  it('stops a pending restart when it closes', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { peer, pc } = makePeer();
    pc.changeState('disconnected');
    peer.close();
    mock.timers.tick(5000);
    assert.equal(pc.restarts, 0);
  });
});
