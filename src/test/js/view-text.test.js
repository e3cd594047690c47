// What the views say about the relay tree, from plain numbers; importing the views touches no document.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { treeText } from '../../../webroot/js/ui/broadcaster-view.js';
import { counted } from '../../../webroot/js/ui/dom.js';
import { relayText } from '../../../webroot/js/ui/viewer-view.js';

describe('relay tree texts', () => {
  it('counted: one viewer, any other number of viewers', () => {
    assert.equal(counted(1, 'viewer'), '1 viewer');
    assert.equal(counted(0, 'viewer'), '0 viewers');
    assert.equal(counted(2, 'viewer'), '2 viewers');
  });

  it('the broadcaster reads how many it feeds, the depth, and how many wait when any do', () => {
    assert.equal(treeText({ direct: 2, depth: 3, viewers: 9, waiting: 1 }), 'Feeding 2 viewers directly · tree depth 3 · 1 waiting for a place');
    assert.equal(treeText({ direct: 1, depth: 1, viewers: 1, waiting: 0 }), 'Feeding 1 viewer directly · tree depth 1');
  });

  it('a relaying viewer reads whom it helps, and nothing while it feeds no one', () => {
    assert.equal(relayText(2), 'Passing the stream on to 2 viewers');
    assert.equal(relayText(1), 'Passing the stream on to 1 viewer');
    assert.equal(relayText(0), '');
  });
});
