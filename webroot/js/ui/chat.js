// The chat box, shared by both modes: messages are rendered with textContent only.

import { ROLE } from '../protocol.js';
import { byId, make, show } from './dom.js';

/** @typedef {{id?: string, from: {name: string, role: string}, text: string, at: number}} ChatMessage */

const MAX_MESSAGES = 200;

export class ChatView {
  /** @param {(text: string) => Promise<void>} send */
  constructor(send) {
    /** @type {HTMLElement} */ this.panel = byId('chat-panel');
    /** @type {HTMLOListElement} */ this.log = byId('chat-log');
    /** @type {HTMLFormElement} */ this.form = byId('chat-form');
    /** @type {HTMLInputElement} */ this.input = byId('chat-input');
    /** @type {(text: string) => Promise<void>} */ this.send = send;
    /** @type {(text: string) => void} */ this.onerror = () => {};
    /** @type {boolean} the channel ended: its conversation is shown, nothing can be sent */
    this.readOnly = false;
    /** @type {boolean} whether the log shows its latest line, and so keeps showing it */
    this.pinned = true;
    this.log.addEventListener('scroll', () => {
      this.pinned = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 40;
    });
    // A log that showed its latest line keeps showing it when the page changes size (a phone
    // turned, a keyboard opened).
    new ResizeObserver(() => {
      if (this.pinned) this.log.scrollTop = this.log.scrollHeight;
    }).observe(this.log);
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#submit();
    });
  }

  /** @param {boolean} visible */
  setVisible(visible) {
    show(this.panel, visible);
  }

  clear() {
    this.log.replaceChildren();
  }

  /**
   * Reading only: the conversation stays on screen after the channel ended, with nothing to send.
   * @param {boolean} readOnly
   */
  setReadOnly(readOnly) {
    this.readOnly = readOnly;
    this.input.disabled = readOnly;
    byId('chat-send').disabled = readOnly;
    this.input.placeholder = readOnly ? 'The chat has ended' : 'Say something';
  }

  /**
   * Shows the channel's recent conversation (the server's history, on joining or resuming), then
   * the lines that arrived meanwhile; quiet notes and lines already shown are not repeated.
   * @param {ChatMessage[]} history
   */
  replace(history) {
    if (history.length === 0) return; // nothing kept (or a new channel): what is shown stays
    const keys = new Set(history.map(keyOf));
    const items = /** @type {HTMLElement[]} */ ([...this.log.children]);
    const last = items.findIndex((item) => item.dataset.key === keyOf(history[history.length - 1]));
    // What arrived after the history's last line stays after it: lines said meanwhile, and notes.
    // Without that line on screen, only chat lines as recent as the history's first stay.
    const newer =
      last >= 0
        ? items.slice(last + 1).filter((item) => !keys.has(item.dataset.key ?? ''))
        : items.filter(
            (item) =>
              item.dataset.key && !keys.has(item.dataset.key) && Number(item.dataset.at) >= history[0].at,
          );
    this.log.replaceChildren();
    for (const message of history) this.add(message);
    this.log.append(...newer);
    this.log.scrollTop = this.log.scrollHeight;
  }

  /**
   * A quiet line of the page's own, such as who joined or left (not an alert).
   * @param {string} text
   */
  note(text) {
    this.#append(make('li', { className: 'chat-note', text }));
  }

  /** @param {ChatMessage} message */
  add(message) {
    const key = keyOf(message);
    if ([...this.log.children].some((item) => item instanceof HTMLElement && item.dataset.key === key)) return;
    const item = make('li', { className: `chat-item role-${message.from?.role ?? ROLE.viewer}` });
    item.dataset.key = key;
    item.dataset.at = String(message.at ?? Date.now());
    item.dataset.role = message.from?.role ?? '';
    const name = make('span', { className: 'chat-name', text: message.from?.name ?? '?' });
    const text = make('span', { className: 'chat-text', text: message.text });
    const time = make('time', {
      className: 'chat-time',
      text: new Date(message.at ?? Date.now()).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
    });
    item.append(name, text, time);
    this.#append(item);
  }

  /** @param {HTMLElement} item */
  #append(item) {
    this.log.append(item);
    while (this.log.childElementCount > MAX_MESSAGES) this.log.firstElementChild?.remove();
    if (this.pinned) this.log.scrollTop = this.log.scrollHeight;
  }

  async #submit() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.disabled = true;
    try {
      await this.send(text);
      this.input.value = '';
    } catch (e) {
      console.error('airwave: chat send failed', e);
      this.onerror(`Message not sent: ${e.text ?? e.message}`);
    } finally {
      if (!this.readOnly) {
        this.input.disabled = false;
        this.input.focus();
      }
    }
  }
}

/**
 * A chat line's identity on screen: the server's id with its time, since a new owner of the channel
 * (after its server was lost) numbers its lines afresh.
 * @param {ChatMessage} message
 * @returns {string}
 */
function keyOf(message) {
  return `${message.id ?? ''}@${message.at ?? ''}`;
}
