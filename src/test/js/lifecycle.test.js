// The sessions' transition tables, read as data: the states they name, and what they refuse.

import assert from 'node:assert/strict';
import { afterEach, describe, it, mock } from 'node:test';
import { BROADCAST_TRANSITIONS } from '../../../webroot/js/broadcaster.js';
import { allowed, mayMove } from '../../../webroot/js/lifecycle.js';
import { VIEW_TRANSITIONS } from '../../../webroot/js/viewer.js';

afterEach(() => mock.restoreAll());

const TABLES = { viewer: VIEW_TRANSITIONS, broadcaster: BROADCAST_TRANSITIONS };

describe('transition tables', () => {
  it('hold the states the pages and docs/testing.md know, starting from idle', () => {
    assert.deepEqual(Object.keys(VIEW_TRANSITIONS), [
      'idle', 'joining', 'waiting', 'connecting', 'playing', 'away', 'recovering', 'ended',
    ]);
    assert.deepEqual(Object.keys(BROADCAST_TRANSITIONS), ['idle', 'starting', 'live', 'resuming', 'stopping']);
  });

  for (const [who, table] of Object.entries(TABLES)) {
    it(`${who}: every state it moves to is one of its states, and every state can get back to idle`, () => {
      const states = Object.keys(table);
      for (const [from, targets] of Object.entries(table)) {
        for (const to of targets) assert.ok(states.includes(to), `${from} → ${to}`);
        if (from !== 'idle') assert.ok(targets.includes('idle'), `${from} → idle`);
      }
    });

    it(`${who}: cannot be changed at run time`, () => {
      assert.ok(Object.isFrozen(table));
      assert.throws(() => {
        table.idle = [];
      }, TypeError);
    });
  }

  it('allow a state to be set again (a new detail) and refuse moves they do not list', () => {
    assert.equal(allowed(VIEW_TRANSITIONS, 'recovering', 'recovering'), true);
    assert.equal(allowed(VIEW_TRANSITIONS, 'connecting', 'playing'), true);
    assert.equal(allowed(VIEW_TRANSITIONS, 'idle', 'playing'), false);
    assert.equal(allowed(VIEW_TRANSITIONS, 'ended', 'connecting'), false);
    assert.equal(allowed(VIEW_TRANSITIONS, 'away', 'playing'), false);
    assert.equal(allowed(BROADCAST_TRANSITIONS, 'idle', 'live'), false);
    assert.equal(allowed(BROADCAST_TRANSITIONS, 'stopping', 'live'), false);
  });

  it('mayMove logs a refused move with both states and says no', () => {
    const error = mock.method(console, 'error', () => {});
    assert.equal(mayMove('viewer', VIEW_TRANSITIONS, 'idle', 'connecting'), false);
    assert.equal(mayMove('viewer', VIEW_TRANSITIONS, 'waiting', 'connecting'), true);
    assert.equal(error.mock.callCount(), 1);
    assert.match(error.mock.calls[0].arguments[0], /viewer may not go from idle to connecting/);
  });
});
