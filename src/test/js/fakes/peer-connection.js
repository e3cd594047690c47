// A stand-in for RTCPeerConnection with the signaling-state rules perfect negotiation relies on
// (implicit rollback of a local offer by a remote one, answers only in have-local-offer), and gates
// that hold an operation open so that a test can interleave signals with it.

let sdpSerial = 0;

export class FakePeerConnection {
  /** @type {FakePeerConnection[]} every connection constructed, newest last */
  static created = [];

  /** @param {RTCConfiguration} config */
  constructor(config) {
    this.config = config;
    /** @type {RTCSignalingState} */ this.signalingState = 'stable';
    /** @type {RTCPeerConnectionState} */ this.connectionState = 'new';
    this.localDescription = null;
    this.remoteDescription = null;
    /** @type {RTCIceCandidateInit[]} candidates added, in order */ this.candidates = [];
    /** @type {string[]} the operations called, in order */ this.calls = [];
    this.senders = [];
    this.restarts = 0;
    this.closed = false;
    /** @type {Error|null} what the next addIceCandidate throws */ this.candidateError = null;
    /** @type {Error|null} what the next setRemoteDescription throws */ this.remoteError = null;
    /** @type {Promise<void>|null} while set, setRemoteDescription waits for it */ this.remoteGate = null;
    /** @type {any[]} what getStats reports: RTCStats-like objects, each with an id */ this.stats = [];
    this.onnegotiationneeded = null;
    this.onicecandidate = null;
    this.ontrack = null;
    this.onconnectionstatechange = null;
    FakePeerConnection.created.push(this);
  }

  addTrack(track, stream) {
    this.calls.push(`addTrack ${track.kind}`);
    const sender = {
      track,
      stream,
      replaceTrack: async (next) => {
        sender.track = next;
      },
    };
    this.senders.push(sender);
    return sender;
  }

  /** With no argument: an offer in stable, an answer in have-remote-offer, as browsers do. */
  async setLocalDescription(description) {
    await Promise.resolve();
    const type = description?.type ?? (this.signalingState === 'have-remote-offer' ? 'answer' : 'offer');
    this.calls.push(`setLocalDescription ${type}`);
    this.localDescription = { type, sdp: `${type} ${++sdpSerial}`, toJSON: () => ({}) };
    this.signalingState = type === 'offer' ? 'have-local-offer' : 'stable';
  }

  async setRemoteDescription(description) {
    this.calls.push(`setRemoteDescription ${description.type}`);
    if (this.remoteGate) await this.remoteGate;
    await Promise.resolve();
    if (this.remoteError) {
      const error = this.remoteError;
      this.remoteError = null;
      throw error;
    }
    if (description.type === 'answer' && this.signalingState !== 'have-local-offer') {
      throw new DOMException(`answer in state ${this.signalingState}`, 'InvalidStateError');
    }
    if (description.type === 'offer' && this.signalingState === 'have-local-offer') {
      this.calls.push('rollback');
    }
    this.remoteDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
  }

  async addIceCandidate(candidate) {
    this.calls.push(`addIceCandidate ${candidate.candidate}`);
    await Promise.resolve();
    if (!this.remoteDescription) throw new DOMException('no remote description', 'InvalidStateError');
    if (this.candidateError) {
      const error = this.candidateError;
      this.candidateError = null;
      throw error;
    }
    this.candidates.push(candidate);
  }

  restartIce() {
    this.restarts++;
  }

  async getStats() {
    return new Map(this.stats.map((stat) => [stat.id, stat]));
  }

  close() {
    this.closed = true;
    this.signalingState = 'closed';
    this.connectionState = 'closed';
  }

  // What the browser does, driven by the test.

  /** @param {RTCPeerConnectionState} state */
  changeState(state) {
    this.connectionState = state;
    this.onconnectionstatechange?.();
  }

  /** @param {{candidate: string, sdpMid?: string|null, sdpMLineIndex?: number|null, usernameFragment?: string|null}|null} init */
  gather(init) {
    this.onicecandidate?.({ candidate: init && { toJSON: () => ({ ...init }) } });
  }
}

/**
 * @param {string} sdp
 * @returns {RTCSessionDescriptionInit}
 */
export const offer = (sdp = 'remote offer') => ({ type: 'offer', sdp });

/**
 * @param {string} sdp
 * @returns {RTCSessionDescriptionInit}
 */
export const answer = (sdp = 'remote answer') => ({ type: 'answer', sdp });

/** @returns {{promise: Promise<any>, resolve: (value?: any) => void, reject: (e: any) => void}} */
export function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}
