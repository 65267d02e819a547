'use strict';
// Scenario: TLS echo of 64 MiB where the client sends everything with end(data) (a half-close) and reads the
// echo back, with the `net` socket under TLS on either end. Core's tls wraps a fastnet socket in its
// JSStreamSocket (it only takes a core net.Socket's handle directly): the socket's 'end' must not end its
// writable side while TLS still has the echo to send (it lost the last 48 KiB of 4 MiB, then EPIPE).
// All bytes come back, and the events on the TLS socket and the socket under it are core net's.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const fastnet = require('..');
const { once } = require('./helpers');
const { record, tlsOver } = require('./tls-helpers');

const SIZE = 64 * 1024 * 1024;

async function echo(t, net, side) {
  const { tls, raw, peer } = await tlsOver(t, net, side);
  const log = [];
  record(log, 'tls', tls, ['end', 'finish', 'close', 'error']);
  record(log, 'raw', raw, ['close', 'error']);   // core's own socket under tls emits no 'end' nor 'finish'
  const [server, client] = side === 'server' ? [tls, peer] : [peer, tls];
  server.pipe(server);
  let received = 0;
  client.on('data', (d) => { received += d.length; });
  const closed = Promise.all([once(tls, 'close', 30000, false), once(raw, 'close', 30000, false),
    once(peer, 'close', 30000, false)]);
  client.end(Buffer.alloc(SIZE, 'x'));
  await closed;
  return { received, log };
}

for (const side of ['server', 'client']) {
  test(`64 MiB TLS echo with client half-close, net socket under the TLS ${side}`, async (t) => {
    const core = await echo(t, coreNet, side);
    assert.strictEqual(core.received, SIZE);
    const fast = await echo(t, fastnet, side);
    assert.strictEqual(fast.received, SIZE);
    assert.deepStrictEqual(fast.log, core.log);
  });
}
