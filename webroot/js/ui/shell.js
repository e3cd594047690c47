// The page frame: connection status, mode switch and the notice line.

import { byId, sentence, show } from './dom.js';

/** @typedef {'broadcaster'|'viewer'} Mode */

const STATUS_TEXT = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

export class Shell {
  constructor() {
    /** @type {HTMLElement} */ this.status = byId('connection-status');
    /** @type {HTMLElement} */ this.notice = byId('notice');
    /** @type {HTMLButtonElement} */ this.broadcasterButton = byId('mode-broadcaster');
    /** @type {HTMLButtonElement} */ this.viewerButton = byId('mode-viewer');
    /** @type {ReturnType<typeof setTimeout>|undefined} */ this.noticeTimer = undefined;
    /** @type {string[]} the error notices shown so far (read by tests) */ this.errors = [];
    /** @type {(mode: Mode) => void} */ this.onmode = () => {};
    this.broadcasterButton.addEventListener('click', () => this.onmode('broadcaster'));
    this.viewerButton.addEventListener('click', () => this.onmode('viewer'));
  }

  /** @param {import('../bus.js').ConnectionState} state */
  setConnection(state) {
    this.status.dataset.state = state;
    this.status.textContent = STATUS_TEXT[state] ?? state;
  }

  /** @param {Mode} mode */
  setMode(mode) {
    this.broadcasterButton.setAttribute('aria-pressed', String(mode === 'broadcaster'));
    this.viewerButton.setAttribute('aria-pressed', String(mode === 'viewer'));
    show(byId('broadcaster-view'), mode === 'broadcaster');
    show(byId('viewer-view'), mode === 'viewer');
    document.title = mode === 'broadcaster' ? 'Airwave · Broadcast' : 'Airwave · Watch';
  }

  /**
   * Tells the user something; errors stay until replaced, information fades.
   * @param {string} text
   * @param {'error'|'info'} [kind]
   */
  tell(text, kind = 'error') {
    clearTimeout(this.noticeTimer);
    text = sentence(text);
    if (kind === 'error' && text) this.errors.push(text);
    this.notice.textContent = text;
    this.notice.dataset.kind = kind;
    show(this.notice, Boolean(text));
    if (kind === 'info') this.noticeTimer = setTimeout(() => show(this.notice, false), 6000);
  }
}
