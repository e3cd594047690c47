// The broadcaster's screen: preview, devices, start/stop, share link, viewers and media controls.

import { ERROR } from '../protocol.js';
import { byId, counted, make, show } from './dom.js';

/** @typedef {import('../broadcaster.js').BroadcasterSession} BroadcasterSession */
/** @typedef {import('../media.js').LocalMedia} LocalMedia */
/** @typedef {import('../broadcaster-audience.js').TreeFigures} TreeFigures */

const ID_PATTERN = /^[A-Za-z0-9_-]{1,20}$/;
/** Where the page remembers the broadcaster's name (localStorage; not part of the protocol). */
const NAME_KEY = 'airwave.broadcasterName';
const STATE_TEXT = {
  idle: 'Not live',
  starting: 'Starting…',
  live: 'Live',
  resuming: 'Resuming…',
  stopping: 'Stopping…',
};

export class BroadcasterView {
  /**
   * @param {BroadcasterSession} session
   * @param {LocalMedia} media
   * @param {(text: string, kind?: 'error'|'info') => void} tell
   */
  constructor(session, media, tell) {
    /** @type {BroadcasterSession} */ this.session = session;
    /** @type {LocalMedia} */ this.media = media;
    /** @type {(text: string, kind?: 'error'|'info') => void} */ this.tell = tell;
    /** @type {Promise<void>|null} */ this.opening = null;
    /** @type {HTMLVideoElement} */ this.preview = byId('local-preview');
    /** @type {HTMLSelectElement} */ this.cameraSelect = byId('camera-select');
    /** @type {HTMLSelectElement} */ this.micSelect = byId('mic-select');
    byId('broadcaster-name-input').value = localStorage.getItem(NAME_KEY) ?? '';
    this.#bind();
  }

  /** Opens camera and microphone once; later calls wait for the same attempt. */
  openMedia() {
    this.opening ??= this.#openMedia().catch((e) => {
      this.opening = null;
      throw e;
    });
    return this.opening;
  }

  /** @param {import('../broadcaster.js').BroadcastState} state */
  showState(state) {
    const live = state === 'live';
    const badge = byId('broadcast-state');
    badge.dataset.state = state;
    badge.textContent = STATE_TEXT[state] ?? state;
    show(byId('live-panel'), live || state === 'stopping');
    byId('start-fields').disabled = state !== 'idle';
    show(byId('start-fields'), state === 'idle' || state === 'starting');
    if (live && this.session.channel) {
      const id = this.session.channel.id;
      byId('live-channel-id').textContent = id;
      byId('live-title').textContent = this.session.channel.title;
      show(byId('live-title'), Boolean(this.session.channel.title));
      byId('share-link').value = `${location.origin}/?channel=${encodeURIComponent(id)}`;
    }
    this.showViewers();
  }

  showViewers() {
    byId('viewer-count').textContent = String(this.session.audience.viewerCount);
    const list = byId('viewer-list');
    list.replaceChildren(...[...this.session.audience.viewers.values()].map((v) => make('li', { text: v.name })));
    const tree = this.session.relay ? this.session.audience.tree : null;
    byId('relay-tree').textContent = tree ? treeText(tree) : '';
    show(byId('relay-tree-line'), Boolean(tree));
  }

  async #openMedia() {
    await this.media.open();
    this.preview.srcObject = this.media.stream;
    await this.#fillDevices();
  }

  async #fillDevices() {
    const { cameras, mics } = await this.media.devices();
    fill(this.cameraSelect, cameras, this.media.cameraId());
    fill(this.micSelect, mics, this.media.micId());
  }

  #bind() {
    byId('broadcast-form').addEventListener('submit', (/** @type {Event} */ e) => {
      e.preventDefault();
      this.#start();
    });
    this.cameraSelect.addEventListener('change', () =>
      this.#guard('switch camera', () => this.media.useCamera(this.cameraSelect.value)),
    );
    this.micSelect.addEventListener('change', () =>
      this.#guard('switch microphone', () => this.media.useMic(this.micSelect.value)),
    );
    this.media.onvideochange = chain(this.media.onvideochange, () => {
      this.preview.srcObject = this.media.stream;
    });
    this.media.onshareended = () => this.#showMediaButtons();
    byId('copy-link-button').addEventListener('click', () => this.#copyLink());
    byId('mic-button').addEventListener('click', () => {
      this.media.setMicOn(!this.media.micOn);
      this.#showMediaButtons();
    });
    byId('camera-button').addEventListener('click', () => {
      this.media.setCameraOn(!this.media.cameraOn);
      this.#showMediaButtons();
    });
    byId('screen-button').addEventListener('click', () =>
      this.#guard('share the screen', async () => {
        if (this.media.share) this.media.stopSharing();
        else await this.media.shareScreen();
        this.#showMediaButtons();
      }),
    );
    byId('stop-button').addEventListener('click', () =>
      this.#guard('stop broadcasting', () => this.session.stop()),
    );
  }

  /** Fits the start form to the server: its viewer cap, and a key field when one is needed. */
  showLimits() {
    const hello = this.session.bus.hello;
    const cap = hello?.limits?.maxViewersPerChannel;
    const input = byId('max-viewers-input');
    if (cap) {
      input.max = String(cap);
      input.placeholder = String(cap);
    }
    show(byId('credential-field'), Boolean(hello?.broadcastCredential));
  }

  async #start() {
    const id = byId('channel-id-input').value.trim();
    const title = byId('channel-title-input').value.trim();
    const name = byId('broadcaster-name-input').value.trim();
    const maxViewers = Number(byId('max-viewers-input').value) || undefined;
    const credential = byId('credential-input').value.trim();
    const relay = byId('relay-input').checked;
    if (id && !ID_PATTERN.test(id)) {
      this.tell('The channel id may only hold letters, digits, - and _ (up to 20).');
      byId('channel-id-input').focus();
      return;
    }
    localStorage.setItem(NAME_KEY, name);
    await this.#guard('start broadcasting', async () => {
      await this.openMedia();
      try {
        await this.session.start({ id, title, name, maxViewers, credential, relay });
      } catch (e) {
        if (e.code === ERROR.credentialRequired || e.code === ERROR.badCredential) {
          show(byId('credential-field'), true);
          byId('credential-input').focus();
        }
        throw e;
      }
      this.tell('You are live.', 'info');
      byId('copy-link-button').focus();
    });
  }

  async #copyLink() {
    const input = byId('share-link');
    try {
      await navigator.clipboard.writeText(input.value);
      this.tell('Link copied.', 'info');
    } catch {
      input.select();
      this.tell('Copy the selected link (Ctrl+C).', 'info');
    }
  }

  #showMediaButtons() {
    const mic = byId('mic-button');
    mic.setAttribute('aria-pressed', String(!this.media.micOn));
    mic.textContent = this.media.micOn ? 'Mute microphone' : 'Unmute microphone';
    const camera = byId('camera-button');
    camera.setAttribute('aria-pressed', String(!this.media.cameraOn));
    camera.textContent = this.media.cameraOn ? 'Turn camera off' : 'Turn camera on';
    const screen = byId('screen-button');
    screen.setAttribute('aria-pressed', String(Boolean(this.media.share)));
    screen.textContent = this.media.share ? 'Back to camera' : 'Share screen';
  }

  /**
   * Runs an action and tells the user when it fails.
   * @param {string} what
   * @param {() => Promise<any>|any} action
   */
  async #guard(what, action) {
    try {
      await action();
    } catch (e) {
      console.error(`airwave: could not ${what}`, e);
      this.tell(`Could not ${what}: ${e.text ?? e.message ?? e}`);
    }
  }

  /** Refreshes the media buttons (after a test hook or resume swaps tracks). */
  refresh() {
    this.#showMediaButtons();
  }
}

/**
 * @param {TreeFigures} tree
 * @returns {string} e.g. "Feeding 2 viewers directly · tree depth 3 · 1 waiting for a place"
 */
export function treeText(tree) {
  const parts = [`Feeding ${counted(tree.direct, 'viewer')} directly`, `tree depth ${tree.depth}`];
  if (tree.waiting > 0) parts.push(`${tree.waiting} waiting for a place`);
  return parts.join(' · ');
}

/**
 * @param {HTMLSelectElement} select
 * @param {{id: string, label: string}[]} devices
 * @param {string} current
 */
function fill(select, devices, current) {
  select.replaceChildren(
    ...devices.map((d) => {
      const option = /** @type {HTMLOptionElement} */ (make('option', { text: d.label }));
      option.value = d.id;
      option.selected = d.id === current;
      return option;
    }),
  );
}

/**
 * @param {(track: MediaStreamTrack) => void} first
 * @param {(track: MediaStreamTrack) => void} second
 * @returns {(track: MediaStreamTrack) => void}
 */
function chain(first, second) {
  return (track) => {
    first(track);
    second(track);
  };
}
