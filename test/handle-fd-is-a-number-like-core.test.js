'use strict';
// Scenario: code that reads `socket._handle.fd` or `server._handle.fd` (cluster, child_process, tools) gets
// a number, as from core's handles: the descriptor while open, negative once closed. It was a method.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const coreNet = require('node:net');
const net = require('..');
const { track, listen, once, tmpSocketPath } = require('./helpers');

async function shape(t, impl, listenArgs) {
  const server = track(t, impl.createServer());
  await listen(server, ...listenArgs);
  const addr = server.address();
  const client = track(t, typeof addr === 'string' ? impl.connect(addr) : impl.connect(addr.port, '127.0.0.1'));
  await once(client, 'connect');
  const handles = [server._handle, client._handle];
  const open = handles.map((h) => ({ type: typeof h.fd, valid: h.fd >= 0 && fs.fstatSync(h.fd).isSocket() }));
  client.destroy();
  server.close();
  await once(client, 'close');
  // after the close: negative (core says -1 while closing, then -1 or -22 depending on the handle)
  return { open, closed: handles.map((h) => typeof h.fd === 'number' && h.fd < 0) };
}

for (const [name, args] of [['TCP', [0, '127.0.0.1']], ['Unix socket', [null]]]) {
  test(`${name}: _handle.fd is the descriptor, then negative, as core`, async (t) => {
    const a = name === 'TCP' ? args : [tmpSocketPath('fd-core')];
    const b = name === 'TCP' ? args : [tmpSocketPath('fd-fastnet')];
    const core = await shape(t, coreNet, a);
    const ours = await shape(t, net, b);
    assert.deepStrictEqual(ours, core);
    assert.deepStrictEqual(ours.open, [{ type: 'number', valid: true }, { type: 'number', valid: true }]);
  });
}
