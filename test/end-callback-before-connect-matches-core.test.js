'use strict';
// Scenario: end(cb) on a socket that never connected. Node 22+ calls cb (writable false by then); Node 20 waits
// for a 'connect' that never comes. fastnet does what the running Node's core does.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const net = require('..');

function endWithoutConnect(impl) {
  return new Promise((resolve) => {
    const socket = new impl.Socket();
    const timer = setTimeout(() => resolve({ called: false }), 200);
    socket.end(() => {
      clearTimeout(timer);
      resolve({ called: true, writable: socket.writable });
    });
  });
}

test('end(cb) before any connect: cb runs (or not) as with core', async () => {
  const core = await endWithoutConnect(coreNet);
  const fast = await endWithoutConnect(net);
  assert.deepStrictEqual(fast, core);
  const major = Number(process.versions.node.split('.')[0]);
  assert.deepStrictEqual(fast, major >= 22 ? { called: true, writable: false } : { called: false });
});
