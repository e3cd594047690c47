// The viewer's screen: the channel list, joining, the player and its states.

import { ERROR } from '../protocol.js';
import { byId, counted, duration, make, sentence, show } from './dom.js';

/** @typedef {import('../viewer.js').ViewerSession} ViewerSession */
/** @typedef {import('../broadcaster.js').ChannelSummary} ChannelSummary */

/** Where the page remembers the viewer's name (localStorage; not part of the protocol). */
const NAME_KEY = 'airwave.name';

export class ViewerView {
  /**
   * @param {ViewerSession} session
   * @param {(text: string, kind?: 'error'|'info') => void} tell
   */
  constructor(session, tell) {
    /** @type {ViewerSession} */ this.session = session;
    /** @type {(text: string, kind?: 'error'|'info') => void} */ this.tell = tell;
    /** @type {HTMLVideoElement} */ this.video = byId('remote-video');
    /** @type {ChannelSummary[]} */ this.channels = [];
    /** @type {number} server clock minus this clock, in ms */ this.skew = 0;
    /** @type {() => void} the user joined or left; the chat follows */ this.onmembership = () => {};
    byId('display-name-input').value = localStorage.getItem(NAME_KEY) ?? '';
    this.#bind();
    setInterval(() => this.showChannels(this.channels), 30000);
  }

  /**
   * Joins a channel with the remembered name.
   * @param {string} channelId
   */
  async join(channelId) {
    const name = byId('display-name-input').value.trim();
    localStorage.setItem(NAME_KEY, name);
    try {
      if (this.session.inChannel()) await this.session.leave();
      await this.session.join(channelId, name);
      history.replaceState(null, '', `?channel=${encodeURIComponent(channelId)}`);
    } catch (e) {
      console.error('airwave: join failed', e);
      const advice = e.code === ERROR.nameTaken ? ' Pick another name.' : '';
      // The service's refusals are sentences that name the channel (by its title when it has one).
      const why = e.text ? e.text : `Could not join ${this.#label(channelId)}: ${e.message}`;
      this.tell(`${sentence(why)}${advice}`);
      if (e.code === ERROR.nameTaken) byId('display-name-input').focus();
    }
  }

  /**
   * @param {ChannelSummary[]} channels
   * @param {number} [serverNow] the server's clock when it sent the list, to correct this one's skew
   */
  showChannels(channels, serverNow) {
    this.channels = channels;
    if (typeof serverNow === 'number') this.skew = serverNow - Date.now();
    const list = byId('channel-list');
    const focused = list.contains(document.activeElement)
      ? /** @type {HTMLElement|null|undefined} */ (document.activeElement?.closest('[data-channel-id]'))?.dataset.channelId
      : undefined;
    const items = channels.map((channel) => {
      const item = make('li', { className: 'channel' });
      item.dataset.channelId = channel.id;
      const full = channel.maxViewers > 0 && channel.viewers >= channel.maxViewers;
      item.dataset.full = String(full);
      const title = make('span', { className: 'channel-title', text: channel.title || channel.id });
      const meta = make('span', {
        className: 'channel-meta',
        text: `${channel.id} · ${channel.viewers} watching · ${channel.live ? duration(Date.now() + this.skew - channel.startedAt) : 'paused'}`,
      });
      if (full) title.append(' ', make('span', { className: 'tag-full', text: 'Full' }));
      if (channel.relay) title.append(' ', make('span', { className: 'tag-relay', text: 'Viewers relay' }));
      const button = make('button', { text: full ? 'Full' : 'Watch' });
      button.setAttribute('type', 'button');
      button.setAttribute('aria-label', `${full ? 'Full, no place to watch' : 'Watch'} ${channel.title || channel.id}`);
      /** @type {HTMLButtonElement} */ (button).disabled = full;
      button.addEventListener('click', () => this.join(channel.id));
      item.append(title, meta, button);
      return item;
    });
    list.replaceChildren(...items);
    show(byId('channel-list-empty'), channels.length === 0);
    const again = items.find((item) => item.dataset.channelId === focused);
    again?.querySelector('button')?.focus();
  }

  /**
   * @param {import('../viewer.js').ViewState} state
   * @param {string} detail
   */
  showState(state, detail) {
    const watching = state !== 'idle';
    show(byId('viewer-lobby'), !watching);
    show(byId('watch-panel'), watching);
    const overlay = byId('viewer-state');
    overlay.dataset.state = state;
    overlay.textContent = detail;
    show(overlay, state !== 'playing');
    const ended = state === 'ended';
    byId('leave-button').textContent = ended ? 'Back to channels' : 'Leave';
    // An ended channel keeps its conversation on screen, but nothing that acts on the channel.
    show(byId('fullscreen-button'), !ended);
    show(byId('rename-form'), !ended);
    show(byId('watch-audience'), !ended);
    if (ended && document.fullscreenElement) document.exitFullscreen().catch(() => {});
    if (state === 'idle' || state === 'ended') this.onmembership();
    if (state === 'idle') history.replaceState(null, '', '?viewer=true');
  }

  showInfo() {
    const s = this.session;
    byId('watch-title').textContent = s.channel?.title || `Channel ${s.channelId}`;
    byId('watch-broadcaster').textContent = s.broadcasterName;
    show(byId('watch-byline'), Boolean(s.broadcasterName));
    byId('watch-viewer-count').textContent = String(s.viewerCount);
    const rename = byId('rename-input');
    if (document.activeElement !== rename) rename.value = s.name;
    const relay = byId('relay-status');
    relay.textContent = relayText(s.relay.downstream.size);
    show(relay, s.relay.downstream.size > 0);
    this.onmembership();
  }

  /** @param {MediaStream|null} stream */
  showStream(stream) {
    if (this.video.srcObject !== stream) this.video.srcObject = stream;
    if (stream) this.#play();
    else show(byId('unmute-button'), false);
  }

  async #play() {
    const video = this.video;
    video.muted = false;
    try {
      await video.play();
    } catch (e) {
      if (e.name === 'AbortError') return;
      video.muted = true;
      show(byId('unmute-button'), true);
      try {
        await video.play();
      } catch (again) {
        console.warn('airwave: video cannot play', again);
        this.tell('The browser will not play the video until you tap it.');
      }
    }
  }

  /**
   * How people know a channel: its title in quotes when the list gave one, else its id.
   * @param {string} channelId
   */
  #label(channelId) {
    const title = this.channels.find((channel) => channel.id === channelId)?.title;
    return title ? `“${title}”` : channelId;
  }

  #bind() {
    byId('join-form').addEventListener('submit', (/** @type {Event} */ e) => {
      e.preventDefault();
      const id = byId('join-id-input').value.trim();
      if (id) this.join(id);
    });
    byId('display-name-input').addEventListener('change', () =>
      localStorage.setItem(NAME_KEY, byId('display-name-input').value.trim()),
    );
    byId('unmute-button').addEventListener('click', () => {
      this.video.muted = false;
      this.video.play().catch((e) => this.tell(`Could not unmute: ${e.message}`));
      show(byId('unmute-button'), false);
    });
    byId('fullscreen-button').addEventListener('click', () => {
      const player = byId('player');
      const request = document.fullscreenElement
        ? document.exitFullscreen()
        : player.requestFullscreen();
      request.catch((/** @type {Error} */ e) => this.tell(`Full screen is not available: ${e.message}`));
    });
    byId('leave-button').addEventListener('click', () => {
      this.tell('', 'info'); // what was said about this channel is done with
      this.session.leave().catch((e) => this.tell(`Could not leave cleanly: ${e.text ?? e.message}`));
    });
    byId('rename-form').addEventListener('submit', (/** @type {Event} */ e) => {
      e.preventDefault();
      const name = byId('rename-input').value.trim();
      if (!name || !this.session.inChannel()) return;
      this.session
        .rename(name)
        .then(() => {
          localStorage.setItem(NAME_KEY, name);
          byId('display-name-input').value = name;
          this.tell(`You are now ${this.session.name}.`, 'info');
        })
        .catch((e) => this.tell(`Could not change your name: ${e.text ?? e.message}`));
    });
    this.video.addEventListener('volumechange', () => {
      if (!this.video.muted) show(byId('unmute-button'), false);
    });
  }
}

/**
 * @param {number} children the viewers this page feeds
 * @returns {string} what the viewer is told about helping, empty when it feeds no one
 */
export function relayText(children) {
  return children > 0 ? `Passing the stream on to ${counted(children, 'viewer')}` : '';
}
