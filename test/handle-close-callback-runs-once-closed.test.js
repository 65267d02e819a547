'use strict';
// Scenario: `handle.close(cb)` calls cb once the close completed (core's HandleWrap: cluster's disconnect and
// child_process close handles this way and wait for it), once, with the handle as `this`; a second close()
// is a no-op whose callback never runs. Compared with core's own handles.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const net = require('..');
const { track, listen, once } = require('./helpers');

async function closeTwice(t, impl) {
  const server = track(t, impl.createServer());
  await listen(server, 0, '127.0.0.1');
  const client = track(t, impl.connect(server.address().port, '127.0.0.1'));
  await once(client, 'connect');
  const events = [];
  const handles = { server: server._handle, client: client._handle };
  // take the handles from their owners (as child_process does before sending one) and close them ourselves
  server._handle = null;
  client._handle = null;
  await Promise.all(Object.entries(handles).map(([name, h]) => new Promise((resolve) => {
    h.close(function() {
      events.push(`${name} closed, this is the handle: ${this === h}`);
      resolve();
    });
    h.close(() => events.push(`${name} second callback`));
    events.push(`${name} close returned`);
  })));
  await new Promise((resolve) => setTimeout(resolve, 50));  // a second callback would have run by now
  client.destroy();
  return events.sort();
}

test('close(cb): cb runs once after the close, the second close is ignored, as core', { timeout: 10000 }, async (t) => {
  const core = await closeTwice(t, coreNet);
  const ours = await closeTwice(t, net);
  assert.deepStrictEqual(ours, core);
  assert.deepStrictEqual(ours, [
    'client close returned', 'client closed, this is the handle: true',
    'server close returned', 'server closed, this is the handle: true',
  ]);
});
