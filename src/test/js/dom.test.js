// The pure helpers of ui/dom.js; importing the module touches no document.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { duration, sentence } from '../../../webroot/js/ui/dom.js';

const MINUTE = 60000;

describe('duration', () => {
  it('says "just started" under a minute, and for a clock that runs behind', () => {
    assert.equal(duration(0), 'just started');
    assert.equal(duration(MINUTE - 1), 'just started');
    assert.equal(duration(-5 * MINUTE), 'just started');
  });

  it('counts whole minutes under an hour', () => {
    assert.equal(duration(MINUTE), '1 min');
    assert.equal(duration(5 * MINUTE + 59999), '5 min');
    assert.equal(duration(59 * MINUTE), '59 min');
  });

  it('counts hours and minutes from an hour on', () => {
    assert.equal(duration(60 * MINUTE), '1 h 0 min');
    assert.equal(duration(80 * MINUTE), '1 h 20 min');
    assert.equal(duration(26 * 60 * MINUTE + 3 * MINUTE), '26 h 3 min');
  });
});

describe('sentence', () => {
  it('adds one full stop to a text without one', () => {
    assert.equal(sentence('Could not load the channel list: timeout'), 'Could not load the channel list: timeout.');
  });

  it("keeps the service's own full stop, question or exclamation mark, or ellipsis", () => {
    assert.equal(sentence('Channel “Quiz night” has no free place.'), 'Channel “Quiz night” has no free place.');
    assert.equal(sentence('Still there?'), 'Still there?');
    assert.equal(sentence('Live!'), 'Live!');
    assert.equal(sentence('Reconnecting…'), 'Reconnecting…');
  });

  it('trims, and leaves an empty text empty', () => {
    assert.equal(sentence('  done.  '), 'done.');
    assert.equal(sentence(''), '');
    assert.equal(sentence('   '), '');
  });
});
