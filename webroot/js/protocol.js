// The wire protocol as the pages use it: every bridge address, inbox message type, error code and
// reason they name, each written down in docs/protocol.md (DocsTest holds the two together, and no
// other module spells an address). No DOM here.

/**
 * Bridge addresses. The page's own inbox, `airwave.peer.<peerId>`, is not here: hello names it
 * (`hello.inbox`), and the page registers exactly what it was given.
 */
export const ADDRESS = Object.freeze({
  hello: 'airwave.hello',
  channelsList: 'airwave.channels.list',
  create: 'airwave.channel.create',
  resume: 'airwave.channel.resume',
  join: 'airwave.channel.join',
  leave: 'airwave.channel.leave',
  stop: 'airwave.channel.stop',
  keepalive: 'airwave.channel.keepalive',
  rename: 'airwave.profile.name',
  signal: 'airwave.signal',
  chat: 'airwave.chat.send',
  relayAble: 'airwave.relay.able',
  relayStalled: 'airwave.relay.stalled',
  /** Published by the server: the public list of live channels. */
  channels: 'airwave.channels',
});

/** The `type` of a message in the inbox; offer, answer and ice are also what `airwave.signal` sends. */
export const MESSAGE = Object.freeze({
  offer: 'offer',
  answer: 'answer',
  ice: 'ice',
  channelLive: 'channel-live',
  broadcasterAway: 'broadcaster-away',
  channelEnded: 'channel-ended',
  channelFull: 'channel-full',
  viewerJoined: 'viewer-joined',
  viewerLeft: 'viewer-left',
  viewerRenamed: 'viewer-renamed',
  viewers: 'viewers',
  chat: 'chat',
  feed: 'feed',
  unfeed: 'unfeed',
  parent: 'parent',
  tree: 'tree',
});

/** The service's error codes that the pages act on (a request's `BusError.code`, or a bridge refusal). */
export const ERROR = Object.freeze({
  alreadyInChannel: 'already_in_channel',
  badCredential: 'bad_credential',
  broadcasterPresent: 'broadcaster_present',
  credentialRequired: 'credential_required',
  nameTaken: 'name_taken',
  notBroadcaster: 'not_broadcaster',
  notMember: 'not_member',
  notRelayed: 'not_relayed',
  tooManySockets: 'too_many_sockets',
});

/** Why a channel ended: the `reason` of `channel-ended`. */
export const END_REASON = Object.freeze({
  stopped: 'stopped',
  idle: 'idle',
  broadcasterGone: 'broadcaster-gone',
  shutdown: 'shutdown',
  nodeLost: 'node-lost',
});

/** The `status` of a join reply. */
export const JOIN_STATUS = Object.freeze({ live: 'live', waiting: 'waiting' });

/** The `role` the server stamps on a chat line's sender. */
export const ROLE = Object.freeze({ broadcaster: 'broadcaster', viewer: 'viewer' });

/**
 * Not the server's: codes bus.js gives a request that never got an answer (`offline`, `timeout`),
 * or a failure that carried no code (`error`). DocsTest leaves every `PAGE_` object out.
 */
export const PAGE_CODE = Object.freeze({ offline: 'offline', timeout: 'timeout', unknown: 'error' });

/** Not the server's: the page ends a waiting viewer's channel itself when it is told `channel-full`. */
export const PAGE_END_REASON = Object.freeze({ full: 'full' });
