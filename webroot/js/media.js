// The broadcaster's local media: camera, microphone, screen share and the track that goes out.
// No DOM here; the UI shows `stream` and listens to onvideochange.

/**
 * @typedef {Object} Device
 * @property {string} id
 * @property {string} label
 */

export class LocalMedia {
  constructor() {
    /** @type {MediaStream} what the preview shows and the peers send */
    this.stream = new MediaStream();
    /** @type {MediaStreamTrack|null} */ this.camera = null;
    /** @type {MediaStreamTrack|null} */ this.mic = null;
    /** @type {MediaStreamTrack|null} a screen (or other) track replacing the camera */
    this.share = null;
    /** @type {boolean} */ this.cameraOn = true;
    /** @type {boolean} */ this.micOn = true;
    /** @type {(track: MediaStreamTrack) => void} the outgoing video track changed */
    this.onvideochange = () => {};
    /** @type {(track: MediaStreamTrack) => void} the outgoing audio track changed */
    this.onaudiochange = () => {};
    /** @type {() => void} sharing stopped from outside (e.g. the browser's own stop button) */
    this.onshareended = () => {};
  }

  /**
   * Opens camera and microphone (the given devices, or the defaults).
   * @param {{cameraId?: string, micId?: string}} [choice]
   */
  async open(choice = {}) {
    const media = await navigator.mediaDevices.getUserMedia({
      video: choice.cameraId ? { deviceId: { exact: choice.cameraId } } : true,
      audio: choice.micId ? { deviceId: { exact: choice.micId } } : true,
    });
    this.#setCamera(media.getVideoTracks()[0] ?? null);
    this.#setMic(media.getAudioTracks()[0] ?? null);
  }

  /** @returns {Promise<{cameras: Device[], mics: Device[]}>} */
  async devices() {
    const all = await navigator.mediaDevices.enumerateDevices();
    /** @param {string} kind */
    const pick = (kind) =>
      all
        .filter((d) => d.kind === kind)
        .map((d, i) => ({ id: d.deviceId, label: d.label || `${kind} ${i + 1}` }));
    return { cameras: pick('videoinput'), mics: pick('audioinput') };
  }

  /** @returns {string} the device id of the camera in use */
  cameraId() {
    return this.camera?.getSettings().deviceId ?? '';
  }

  /** @returns {string} the device id of the microphone in use */
  micId() {
    return this.mic?.getSettings().deviceId ?? '';
  }

  /** @param {string} deviceId */
  async useCamera(deviceId) {
    const media = await navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: deviceId } } });
    this.#setCamera(media.getVideoTracks()[0]);
  }

  /** @param {string} deviceId */
  async useMic(deviceId) {
    const media = await navigator.mediaDevices.getUserMedia({ audio: { deviceId: { exact: deviceId } } });
    this.#setMic(media.getAudioTracks()[0]);
  }

  /** @param {boolean} on */
  setMicOn(on) {
    this.micOn = on;
    if (this.mic) this.mic.enabled = on;
  }

  /** @param {boolean} on */
  setCameraOn(on) {
    this.cameraOn = on;
    if (this.camera) this.camera.enabled = on;
  }

  /** Replaces the camera with a screen the user picks. */
  async shareScreen() {
    const media = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    this.shareTrack(media.getVideoTracks()[0]);
  }

  /**
   * Sends this video track instead of the camera until stopSharing().
   * @param {MediaStreamTrack} track
   */
  shareTrack(track) {
    const previous = this.share;
    this.share = track;
    track.addEventListener('ended', () => {
      if (this.share === track) {
        this.stopSharing();
        this.onshareended();
      }
    });
    this.#swapVideo(previous ?? this.camera, track);
    previous?.stop();
  }

  /** Goes back to the camera. */
  stopSharing() {
    const share = this.share;
    if (!share) return;
    this.share = null;
    if (this.camera) this.#swapVideo(share, this.camera);
    share.stop();
  }

  /** @returns {MediaStreamTrack|null} the video track that goes out */
  videoTrack() {
    return this.share ?? this.camera;
  }

  /** Stops every track. */
  close() {
    for (const track of [this.camera, this.mic, this.share]) track?.stop();
    this.camera = this.mic = this.share = null;
    this.stream = new MediaStream();
  }

  /** @param {MediaStreamTrack|null} track */
  #setCamera(track) {
    const previous = this.camera;
    this.camera = track;
    if (!track) return;
    track.enabled = this.cameraOn;
    if (!this.share) this.#swapVideo(previous, track);
    previous?.stop();
  }

  /** @param {MediaStreamTrack|null} track */
  #setMic(track) {
    const previous = this.mic;
    this.mic = track;
    if (previous) this.stream.removeTrack(previous);
    previous?.stop();
    if (!track) return;
    track.enabled = this.micOn;
    this.stream.addTrack(track);
    this.onaudiochange(track);
  }

  /**
   * @param {MediaStreamTrack|null} out
   * @param {MediaStreamTrack} into
   */
  #swapVideo(out, into) {
    if (out) this.stream.removeTrack(out);
    this.stream.addTrack(into);
    this.onvideochange(into);
  }
}
