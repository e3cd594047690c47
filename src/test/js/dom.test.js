// The one pure helper of ui/dom.js; importing the module touches no document.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { duration } from '../../../webroot/js/ui/dom.js';

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
