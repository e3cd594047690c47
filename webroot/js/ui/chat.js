// The chat box, shared by both modes: messages are rendered with textContent only.

import { byId, make, show } from './dom.js';

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

  /** @param {{from: {name: string, role: string}, text: string, at: number}} message */
  add(message) {
    const item = make('li', { className: `chat-item role-${message.from?.role ?? 'viewer'}` });
    item.dataset.role = message.from?.role ?? '';
    const name = make('span', { className: 'chat-name', text: message.from?.name ?? '?' });
    const text = make('span', { className: 'chat-text', text: message.text });
    const time = make('time', {
      className: 'chat-time',
      text: new Date(message.at ?? Date.now()).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
    });
    item.append(name, text, time);
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 40;
    this.log.append(item);
    while (this.log.childElementCount > MAX_MESSAGES) this.log.firstElementChild?.remove();
    if (atBottom) this.log.scrollTop = this.log.scrollHeight;
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
      this.input.disabled = false;
      this.input.focus();
    }
  }
}
