'use strict';
// Scenario: socket.write('x', 'buffer') on a connected socket (a string said to be a Buffer) throws what core
// throws: on Node 20 a TypeError with code ERR_INVALID_ARG_TYPE, 'Second argument must be a buffer' (fastnet
// threw ERR_UNKNOWN_ENCODING); later Nodes' streams refuse it before the socket sees it.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const net = require('..');
const { connectToCollector, errorShape } = require('./helpers');

test("write('x', 'buffer') throws core's error", async (t) => {
  const shapes = [];
  for (const impl of [coreNet, net]) {
    const { client } = await connectToCollector(t, impl);
    try {
      client.write('x', 'buffer');
      shapes.push('no throw');
    } catch (err) {
      shapes.push(errorShape(err));
    }
    client.destroy();
  }
  assert.notStrictEqual(shapes[0], 'no throw');
  assert.deepStrictEqual(shapes[1], shapes[0]);
});
