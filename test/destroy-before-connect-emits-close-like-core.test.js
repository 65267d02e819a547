'use strict';
// Scenario: a Socket that never had a handle is destroyed (with or without an error). Core emits 'close' on the
// next tick with no argument at all (not `false`/`true`), after 'error' when there is one; so does fastnet.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const net = require('..');

function destroyUnconnected(impl, withError) {
  return new Promise((resolve) => {
    const events = [];
    const socket = new impl.Socket();
    socket.on('error', (err) => events.push(`error ${err.message}`));
    socket.on('close', (...args) => {
      events.push(`close (${args.length} arguments)`);
      resolve(events);
    });
    socket.destroy(withError ? new Error('boom') : undefined);
    events.push('destroy returned');
  });
}

for (const withError of [false, true]) {
  test(`destroy(${withError ? 'err' : ''}) before any connect: the events core emits`, async () => {
    const core = await destroyUnconnected(coreNet, withError);
    const fast = await destroyUnconnected(net, withError);
    assert.deepStrictEqual(fast, core);
    assert.strictEqual(fast[fast.length - 1], 'close (0 arguments)');
  });
}
