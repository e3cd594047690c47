// bus.js without a browser: the vendored EventBus client, window events and navigator are fakes.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { Bus, BusError } from '../../../webroot/js/bus.js';
import { FakeEventBus } from './fakes/event-bus.js';

/** @type {Map<string, Function[]>} listeners added to the page (window) */
let pageListeners;

beforeEach(() => {
  FakeEventBus.created = [];
  globalThis.EventBus = FakeEventBus;
  pageListeners = new Map();
  globalThis.addEventListener = (type, listener) =>
    pageListeners.set(type, [...(pageListeners.get(type) ?? []), listener]);
  Object.defineProperty(globalThis, 'navigator', { value: { onLine: true }, configurable: true, writable: true });
  mock.method(console, 'warn', () => {});
  mock.method(console, 'error', () => {});
});

afterEach(() => {
  mock.restoreAll();
  mock.timers.reset();
});

const HELLO = Object.freeze({
  peerId: 'p1',
  inbox: 'airwave.peer.p1',
  keepaliveMs: 60000,
  iceServers: [{ urls: 'stun:stun.example:3478' }],
  iceTransportPolicy: 'all',
  iceTtlSeconds: 600,
  limits: {},
});

/** Lets every promise chain that is ready run (replies resolve on microtasks). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A bus whose socket is open and whose hello was answered.
 * @param {object} [options] Bus options
 * @param {object} [hello]
 */
async function connectedBus(options, hello = HELLO) {
  const bus = new Bus('/eventbus', options);
  const seen = { states: [], ready: [], problems: [], inbox: [], channels: [] };
  bus.onstate = (state) => seen.states.push(state);
  bus.onready = (h) => seen.ready.push(h);
  bus.onproblem = (text) => seen.problems.push(text);
  bus.oninbox = (message) => seen.inbox.push(message);
  bus.onchannels = (channels, now) => seen.channels.push({ channels, now });
  bus.start();
  const eb = FakeEventBus.created.at(-1);
  eb.open();
  eb.reply('airwave.hello', hello);
  await settle();
  return { bus, eb, seen };
}

/**
 * @param {Promise<any>} promise
 * @returns {Promise<BusError>} what the promise rejected with
 */
async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof BusError, `expected a BusError, got ${e}`);
    return e;
  }
  assert.fail('expected a rejection');
}

describe('BusError.fromFailure', () => {
  it('reads the code and the sentence of a refusal by the service', () => {
    const error = BusError.fromFailure({
      failureCode: 409,
      failureType: 'RECIPIENT_FAILURE',
      message: 'name_taken: someone here already has that name',
    });
    assert.ok(error instanceof Error);
    assert.equal(error.status, 409);
    assert.equal(error.code, 'name_taken');
    assert.equal(error.text, 'someone here already has that name');
    assert.equal(error.message, 'name_taken: someone here already has that name');
  });

  it('keeps a sentence that runs over several lines', () => {
    const error = BusError.fromFailure({ failureCode: 400, message: 'bad_request: first\nsecond' });
    assert.equal(error.code, 'bad_request');
    assert.equal(error.text, 'first\nsecond');
  });

  it('falls back to the failure type when the message carries no code', () => {
    const error = BusError.fromFailure({
      failureCode: -1,
      failureType: 'TIMEOUT',
      message: 'Timed out after waiting 30000(ms) for a reply',
    });
    assert.equal(error.status, -1);
    assert.equal(error.code, 'TIMEOUT');
    assert.equal(error.text, 'Timed out after waiting 30000(ms) for a reply');
  });

  it('makes status 0, code "error" and an empty text of an empty failure', () => {
    const error = BusError.fromFailure({});
    assert.deepEqual([error.status, error.code, error.text], [0, 'error', '']);
  });
});

describe('Bus requests', () => {
  it('sends the address and body and resolves with the reply body', async () => {
    const { bus, eb } = await connectedBus();
    const reply = bus.request('airwave.channel.join', { id: 'news' });
    const sent = eb.sent.at(-1);
    assert.deepEqual([sent.address, sent.body, sent.headers], ['airwave.channel.join', { id: 'news' }, {}]);
    sent.callback(null, { body: { status: 'live' } });
    assert.deepEqual(await reply, { status: 'live' });
    assert.equal(bus.inFlight, 0);
  });

  it('resolves with an empty object when the reply has no body', async () => {
    const { bus, eb } = await connectedBus();
    const reply = bus.request('airwave.channel.keepalive');
    eb.take('airwave.channel.keepalive').callback(null, {});
    assert.deepEqual(await reply, {});
  });

  it('rejects with the service error of a failed reply', async () => {
    const { bus, eb } = await connectedBus();
    const reply = bus.request('airwave.channel.create', { id: 'news' });
    eb.fail('airwave.channel.create', { failureCode: 409, failureType: 'RECIPIENT_FAILURE', message: 'id_taken: pick another' });
    const error = await rejection(reply);
    assert.deepEqual([error.status, error.code, error.text], [409, 'id_taken', 'pick another']);
  });

  it('rejects at once as offline while the socket is not open, and sends nothing', async () => {
    const bus = new Bus('/eventbus');
    bus.start();
    const error = await rejection(bus.request('airwave.channels.list'));
    assert.deepEqual([error.status, error.code], [0, 'offline']);
    assert.deepEqual(FakeEventBus.created[0].sent, []);
  });

  it('rejects as offline when the client throws on send', async () => {
    const { bus, eb } = await connectedBus();
    eb.failNextSend = new Error('INVALID_STATE_ERR');
    const error = await rejection(bus.request('airwave.chat.send', { text: 'hi' }));
    assert.deepEqual([error.code, error.text], ['offline', 'INVALID_STATE_ERR']);
    assert.equal(bus.inFlight, 0);
  });

  it('times out a request the bridge never answers, and ignores a reply that comes later', async () => {
    const { bus, eb } = await connectedBus();
    mock.timers.enable({ apis: ['setTimeout'] });
    let outcome = 'pending';
    const reply = bus.request('airwave.signal', { to: 'p2' }, 50);
    reply.catch(() => {}).finally(() => (outcome = 'settled'));
    const late = eb.take('airwave.signal');
    mock.timers.tick(49);
    await settle();
    assert.equal(outcome, 'pending');
    mock.timers.tick(1);
    const error = await rejection(reply);
    assert.deepEqual([error.code, error.text], ['timeout', 'no reply to airwave.signal within 50 ms']);
    late.callback(null, { body: { too: 'late' } });
    assert.equal(bus.inFlight, 0);
  });

  it('holds a thirteenth request until one of twelve in flight is answered', async () => {
    const { bus, eb } = await connectedBus();
    const replies = Array.from({ length: 13 }, (_, i) => bus.request(`airwave.test.${i}`));
    assert.equal(eb.sent.length, 12);
    assert.equal(bus.queued.length, 1);
    eb.reply('airwave.test.0', { n: 0 });
    assert.deepEqual(eb.addresses().at(-1), 'airwave.test.12');
    for (let i = 1; i <= 12; i++) eb.reply(`airwave.test.${i}`, { n: i });
    assert.deepEqual(
      (await Promise.all(replies)).map((r) => r.n),
      Array.from({ length: 13 }, (_, i) => i),
    );
    assert.deepEqual([bus.inFlight, bus.queued.length], [0, 0]);
  });

  it('fails every request in flight and every queued one when the socket drops', async () => {
    const { bus, eb } = await connectedBus();
    const replies = Array.from({ length: 14 }, (_, i) => bus.request(`airwave.test.${i}`));
    eb.drop();
    const errors = await Promise.all(replies.map(rejection));
    assert.ok(errors.every((e) => e.code === 'offline'));
    assert.equal(errors[0].text, 'connection lost during airwave.test.0');
    assert.equal(errors[13].text, 'not connected to the service');
    assert.deepEqual([bus.inFlight, bus.queued.length, bus.failOnClose.size], [0, 0, 0]);
  });
});

describe('Bus connection', () => {
  it('opens the bridge URL with reconnection on, and says connecting until greeted', () => {
    const bus = new Bus('/eventbus');
    bus.start();
    const eb = FakeEventBus.created[0];
    assert.equal(eb.url, '/eventbus');
    assert.equal(eb.reconnectEnabled, true);
    assert.deepEqual(eb.options, { vertxbus_reconnect_delay_min: 500, vertxbus_reconnect_delay_max: 4000 });
    assert.equal(bus.state, 'connecting');
  });

  it('greets on open: asks hello, registers the inbox, then says connected and ready', async () => {
    const bus = new Bus('/eventbus');
    const order = [];
    bus.onstate = (state) => order.push(state);
    bus.onready = (hello) => order.push(`ready ${hello.peerId}`);
    bus.start();
    const eb = FakeEventBus.created[0];
    eb.open();
    assert.deepEqual(eb.sent.map((r) => [r.address, r.body]), [['airwave.hello', {}]]);
    assert.deepEqual(order, []);
    eb.reply('airwave.hello', HELLO);
    await settle();
    assert.deepEqual(order, ['connected', 'ready p1']);
    assert.deepEqual(bus.hello, HELLO);
    assert.deepEqual([...eb.handlers.keys()], ['airwave.peer.p1']);
  });

  it('hands inbox messages to oninbox', async () => {
    const { eb, seen } = await connectedBus();
    eb.publish('airwave.peer.p1', { type: 'chat', text: 'hello' });
    assert.deepEqual(seen.inbox, [{ type: 'chat', text: 'hello' }]);
  });

  it('reports an inbox handler that throws as a problem, and ignores failures sent to the handler', async () => {
    const { bus, eb, seen } = await connectedBus();
    bus.oninbox = () => {
      throw new Error('boom');
    };
    eb.publish('airwave.peer.p1', { type: 'chat' });
    eb.handlers.get('airwave.peer.p1')[0]({ failureCode: 500, message: 'x' }, undefined);
    assert.deepEqual(seen.problems, ['Something went wrong: boom']);
  });

  it('says reconnecting when the socket drops, and forgets the hello', async () => {
    const { bus, eb, seen } = await connectedBus();
    eb.drop();
    assert.deepEqual(seen.states, ['connected', 'reconnecting']);
    assert.equal(bus.hello, null);
  });

  it('greets again after a reconnect and registers the new inbox', async () => {
    const { bus, eb, seen } = await connectedBus();
    eb.drop();
    eb.open();
    const hello = { ...HELLO, peerId: 'p2', inbox: 'airwave.peer.p2' };
    eb.reply('airwave.hello', hello);
    await settle();
    assert.deepEqual(seen.states, ['connected', 'reconnecting', 'connected']);
    assert.deepEqual(seen.ready.map((h) => h.peerId), ['p1', 'p2']);
    assert.equal(bus.hello.peerId, 'p2');
    assert.deepEqual([...eb.handlers.keys()], ['airwave.peer.p2']);
  });

  it('says offline after more than three failed attempts in a row, and connected once one succeeds', async () => {
    const { bus, eb, seen } = await connectedBus();
    eb.drop();
    eb.failAttempt();
    eb.failAttempt();
    assert.equal(bus.state, 'reconnecting');
    eb.failAttempt();
    assert.equal(bus.state, 'offline');
    eb.open();
    eb.reply('airwave.hello', HELLO);
    await settle();
    assert.deepEqual(seen.states, ['connected', 'reconnecting', 'offline', 'connected']);
    assert.equal(bus.failedAttempts, 0);
  });

  it('says offline at once when the browser is offline, and reconnecting when it is online again', async () => {
    const { bus, eb, seen } = await connectedBus();
    navigator.onLine = false;
    eb.drop();
    assert.equal(bus.state, 'offline');
    navigator.onLine = true;
    for (const listener of pageListeners.get('online')) listener();
    assert.deepEqual(seen.states, ['connected', 'offline', 'reconnecting']);
  });

  it('close() stops reconnecting and says offline once', async () => {
    const { bus, eb, seen } = await connectedBus();
    bus.close();
    assert.equal(eb.reconnectEnabled, false);
    assert.deepEqual(seen.states, ['connected', 'offline']);
  });

  it('reports a refused hello and closes the socket so that the client tries again', async () => {
    const bus = new Bus('/eventbus');
    const problems = [];
    bus.onproblem = (text) => problems.push(text);
    bus.start();
    const eb = FakeEventBus.created[0];
    eb.open();
    eb.fail('airwave.hello', { failureCode: 429, message: 'rate_limited: slow down' });
    await settle();
    assert.deepEqual(problems, ['Could not greet the service (rate_limited: slow down); retrying.']);
    assert.equal(bus.state, 'reconnecting');
    assert.equal(eb.sockJSConn, null);
  });

  it('turns bridge error frames into problems, with advice for too many sockets', async () => {
    const { eb, seen } = await connectedBus();
    eb.onerror({ type: 'err', body: 'too_many_sockets' });
    eb.onerror({ type: 'err', body: 'access_denied' });
    eb.onerror({ message: 'invalid_type' });
    assert.deepEqual(seen.problems, [
      'Too many connections from your network are open; close other Airwave tabs.',
      'The service refused a message (access_denied).',
      'The service refused a message (invalid_type).',
    ]);
  });
});

describe('Bus channel list', () => {
  it('registers the list on connect when asked up front, and hands it to onchannels', async () => {
    const { eb, seen } = await connectedBus({ watchChannels: true });
    eb.publish('airwave.channels', { channels: [{ id: 'news' }], now: 1234 });
    eb.publish('airwave.channels', {});
    assert.deepEqual(seen.channels, [
      { channels: [{ id: 'news' }], now: 1234 },
      { channels: [], now: undefined },
    ]);
  });

  it('watchChannelList() registers at once when connected, once only, and again after a reconnect', async () => {
    const { bus, eb } = await connectedBus();
    assert.equal(eb.handlers.has('airwave.channels'), false);
    bus.watchChannelList();
    bus.watchChannelList();
    assert.equal(eb.handlers.get('airwave.channels').length, 1);
    eb.drop();
    eb.open();
    eb.reply('airwave.hello', HELLO);
    await settle();
    assert.equal(eb.handlers.get('airwave.channels').length, 1);
  });

  it('watchChannelList() while reconnecting waits for the next connection', async () => {
    const { bus, eb } = await connectedBus();
    eb.drop();
    bus.watchChannelList();
    eb.open();
    assert.equal(eb.handlers.has('airwave.channels'), false);
    eb.reply('airwave.hello', HELLO);
    await settle();
    assert.equal(eb.handlers.has('airwave.channels'), true);
  });
});

describe('Bus ICE settings', () => {
  it('gives the servers and policy of the hello, and none before it', async () => {
    assert.deepEqual(await new Bus('/eventbus').iceConfig(), { iceServers: [], iceTransportPolicy: 'all' });
    const { bus } = await connectedBus(undefined, { ...HELLO, iceTransportPolicy: 'relay' });
    assert.deepEqual(await bus.iceConfig(), { iceServers: HELLO.iceServers, iceTransportPolicy: 'relay' });
  });

  it('asks hello again on the same socket once half the credential lifetime has passed', async () => {
    let now = 1000;
    mock.method(performance, 'now', () => now);
    const { bus, eb } = await connectedBus();
    now += 300000; // exactly half of 600 s: still fresh
    await bus.iceConfig();
    assert.deepEqual(eb.addresses(), []);
    now += 1;
    const config = bus.iceConfig();
    const fresh = [{ urls: 'turn:turn.example:3478', username: 'u2', credential: 'c2' }];
    eb.reply('airwave.hello', { ...HELLO, iceServers: fresh });
    assert.deepEqual((await config).iceServers, fresh);
    assert.equal(bus.helloRefreshes, 1);
    assert.equal(bus.helloAt, now);
  });

  it('shares one refresh between callers that ask at the same time', async () => {
    const { bus, eb } = await connectedBus();
    bus.expireIceConfig();
    const both = Promise.all([bus.iceConfig(), bus.iceConfig()]);
    assert.deepEqual(eb.addresses(), ['airwave.hello']);
    eb.reply('airwave.hello', HELLO);
    await both;
    assert.equal(bus.helloRefreshes, 1);
    assert.equal(bus.refreshing, null);
  });

  it('keeps the old settings when the refresh fails', async () => {
    const { bus, eb } = await connectedBus();
    bus.expireIceConfig();
    const config = bus.iceConfig();
    eb.fail('airwave.hello', { failureCode: 429, message: 'rate_limited: slow down' });
    assert.deepEqual((await config).iceServers, HELLO.iceServers);
    assert.equal(bus.helloRefreshes, 0);
    assert.equal(console.warn.mock.callCount(), 1);
  });

  it('keeps the hello of a new connection when the refresh answers for another peer id', async () => {
    const { bus, eb } = await connectedBus();
    bus.expireIceConfig();
    const config = bus.iceConfig();
    eb.reply('airwave.hello', { ...HELLO, peerId: 'someone-else', iceServers: [] });
    assert.deepEqual((await config).iceServers, HELLO.iceServers);
    assert.equal(bus.hello.peerId, 'p1');
    assert.equal(bus.helloRefreshes, 0);
  });
});
