// Stand-ins for MediaStream, MediaStreamTrack and navigator.mediaDevices: tracks that can be
// stopped or ended from outside, and devices that hand out a new track per request.

let trackSerial = 0;

export class FakeTrack extends EventTarget {
  /**
   * @param {'audio'|'video'} kind
   * @param {string} [deviceId]
   */
  constructor(kind, deviceId = `default-${kind}`) {
    super();
    this.kind = kind;
    this.id = `track-${++trackSerial}`;
    this.label = `${kind} ${deviceId}`;
    this.deviceId = deviceId;
    this.enabled = true;
    /** @type {'live'|'ended'} */ this.readyState = 'live';
  }

  getSettings() {
    return { deviceId: this.deviceId };
  }

  /** Stopped by the page: no 'ended' event, as in browsers. */
  stop() {
    this.readyState = 'ended';
  }

  /** Ended from outside (the browser's own "Stop sharing" button, a device unplugged). */
  end() {
    this.readyState = 'ended';
    this.dispatchEvent(new Event('ended'));
  }
}

export class FakeMediaStream {
  /** @param {FakeTrack[]} [tracks] */
  constructor(tracks = []) {
    this.tracks = [...tracks];
  }

  addTrack(track) {
    if (!this.tracks.includes(track)) this.tracks.push(track);
  }

  removeTrack(track) {
    this.tracks = this.tracks.filter((t) => t !== track);
  }

  getTracks() {
    return [...this.tracks];
  }

  getVideoTracks() {
    return this.tracks.filter((t) => t.kind === 'video');
  }

  getAudioTracks() {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
}

/** navigator.mediaDevices with a record of every request. */
export class FakeMediaDevices {
  constructor() {
    /** @type {{kind: string, deviceId: string, label: string}[]} */
    this.devices = [];
    /** @type {any[]} constraints of every getUserMedia call */
    this.requests = [];
    /** @type {FakeTrack[]} every track handed out */
    this.handedOut = [];
  }

  async getUserMedia(constraints) {
    this.requests.push(constraints);
    const tracks = [];
    if (constraints.video) tracks.push(this.#track('video', constraints.video));
    if (constraints.audio) tracks.push(this.#track('audio', constraints.audio));
    return new FakeMediaStream(tracks);
  }

  async getDisplayMedia() {
    return new FakeMediaStream([this.#track('video', { deviceId: { exact: 'screen' } })]);
  }

  async enumerateDevices() {
    return this.devices;
  }

  #track(kind, constraint) {
    const track = new FakeTrack(kind, constraint === true ? undefined : constraint.deviceId.exact);
    this.handedOut.push(track);
    return track;
  }
}
