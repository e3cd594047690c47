// Entry point: reads the URL, builds the bus, sessions and views, and wires them together.

import { Bus } from './bus.js';
import { BroadcasterSession } from './broadcaster.js';
import { LocalMedia } from './media.js';
import { ADDRESS } from './protocol.js';
import { relayCapable } from './relay.js';
import { ViewerSession } from './viewer.js';
import { BroadcasterView } from './ui/broadcaster-view.js';
import { ChatView } from './ui/chat.js';
import { installDebugHook } from './ui/debug.js';
import { Shell } from './ui/shell.js';
import { ViewerView } from './ui/viewer-view.js';

/** @typedef {import('./ui/shell.js').Mode} Mode */

/**
 * Marks a step on the page's performance timeline (DevTools' Performance panel shows them; the
 * reload benchmark reads them): hello, media, every inbox message type and state change.
 * @param {string} step
 */
function mark(step) {
  performance.mark(`airwave ${step}`);
}

const params = new URLSearchParams(location.search);
const bus = new Bus('/eventbus');
const media = new LocalMedia();
const broadcaster = new BroadcasterSession(bus, media, localStorage);
const viewer = new ViewerSession(bus, () => relayCapable(navigator));
const shell = new Shell();
const tell = shell.tell.bind(shell);
const broadcasterView = new BroadcasterView(broadcaster, media, tell);
const viewerView = new ViewerView(viewer, tell);
const chat = new ChatView((text) => activeSession().say(text));
const debugParts = { bus, broadcaster, viewer, media, broadcasterView, shell, mode: () => app.mode };

/** @type {{mode: Mode, greeted: boolean, pendingChannel: string}} */
const app = { mode: 'viewer', greeted: false, pendingChannel: params.get('channel') ?? '' };

function activeSession() {
  return broadcaster.state !== 'idle' ? broadcaster : viewer;
}

function updateChat() {
  // A viewer waiting for a place in a live relaying channel is a member already, and chats.
  const placeless = viewer.state === 'waiting' && viewer.relayChannel && viewer.channel?.live === true;
  const chatting =
    broadcaster.state === 'live' ||
    placeless ||
    ['connecting', 'playing', 'away', 'recovering'].includes(viewer.state);
  // A viewer whose channel ended keeps reading the conversation until going back to the list.
  const ended = broadcaster.state === 'idle' && viewer.state === 'ended';
  chat.setVisible(chatting || ended);
  chat.setReadOnly(ended);
}

/** @param {Mode} mode */
function setMode(mode) {
  if (mode === app.mode && app.greeted) return;
  if (mode === 'viewer' && broadcaster.state !== 'idle') {
    tell('Stop broadcasting before you switch to watching.');
    return;
  }
  if (mode === 'broadcaster' && viewer.inChannel()) {
    viewer.leave().catch((e) => console.warn('airwave: leave failed', e));
  }
  app.mode = mode;
  shell.setMode(mode);
  if (!app.pendingChannel && !viewer.inChannel()) history.replaceState(null, '', `?${mode}=true`);
  if (mode === 'broadcaster') {
    broadcasterView.openMedia().catch((e) => tell(`Camera or microphone unavailable: ${e.message}`));
  } else {
    bus.watchChannelList();
    refreshChannels();
  }
}

function refreshChannels() {
  if (bus.state !== 'connected') return;
  bus
    .request(ADDRESS.channelsList, {})
    .then((reply) => viewerView.showChannels(reply.channels ?? [], reply.now))
    .catch((e) => tell(`Could not load the channel list: ${e.text ?? e.message}`));
}

/** @param {import('./bus.js').Hello} hello */
async function greeted(hello) {
  mark('hello');
  const first = !app.greeted;
  app.greeted = true;
  broadcasterView.showLimits();
  if (app.mode === 'viewer') refreshChannels();
  try {
    if (!first) {
      await broadcaster.reconnected(hello);
      await viewer.reconnected(hello);
    } else if (app.mode === 'broadcaster' && broadcaster.savedChannel()) {
      await broadcasterView.openMedia();
      mark('media');
      await broadcaster.resume().catch((e) => {
        throw new Error(`Could not take back your channel: ${e.text ?? e.message}`);
      });
    } else if (app.pendingChannel) {
      const id = app.pendingChannel;
      app.pendingChannel = '';
      await viewerView.join(id);
    }
  } catch (e) {
    console.error('airwave: after connecting', e);
    tell(`${e.text ?? e.message}`);
  }
}

bus.onstate = (state) => shell.setConnection(state);
bus.onready = (hello) => {
  if (hello.debug) installDebugHook(debugParts);
  greeted(hello);
};
bus.oninbox = (message) => {
  mark(`inbox ${message.type}`);
  activeSession().receive(message);
};
bus.onchannels = (channels, now) => viewerView.showChannels(channels, now);
bus.onproblem = (text) => tell(text);

broadcaster.onstate = (state) => {
  mark(`broadcaster ${state}`);
  broadcasterView.showState(state);
  if (state === 'starting' || state === 'resuming') chat.clear();
  updateChat();
};
broadcaster.onviewers = () => broadcasterView.showViewers();
broadcaster.onchat = (message) => chat.add(message);
broadcaster.onhistory = (history) => chat.replace(history);
broadcaster.onpresence = (text) => chat.note(text);
broadcaster.onnotice = (text) => tell(text, 'info');
broadcaster.onproblem = (text) => tell(text);

viewer.onstate = (state, detail) => {
  mark(`viewer ${state}`);
  if (state === 'joining') chat.clear();
  viewerView.showState(state, detail);
  updateChat();
};
viewer.onstream = (stream) => viewerView.showStream(stream);
viewer.oninfo = () => viewerView.showInfo();
viewer.onchat = (message) => chat.add(message);
viewer.onhistory = (history) => chat.replace(history);
viewer.onnotice = (text) => tell(text, 'info');
viewer.onproblem = (text) => tell(text);

chat.onerror = (text) => tell(text);
shell.onmode = (mode) => setMode(mode);

// A page opened to watch never takes a broadcast back; any other may, within the grace period.
const wantsToWatch = params.get('viewer') === 'true' || params.has('channel');
const resumable = !wantsToWatch && broadcaster.savedChannel() !== null;
const initial = resumable || params.get('broadcaster') === 'true' ? 'broadcaster' : 'viewer';
app.mode = initial;
shell.setMode(initial);
if (initial === 'viewer') bus.watchChannels = true;
if (initial === 'broadcaster') {
  broadcasterView.openMedia().catch((e) => tell(`Camera or microphone unavailable: ${e.message}`));
}
addEventListener('pagehide', () => broadcaster.persist(false));
// The tests' hook, only when asked for: ?debug in the address, or the service's hello (pageDebug).
if (params.has('debug')) installDebugHook(debugParts);
bus.start();
