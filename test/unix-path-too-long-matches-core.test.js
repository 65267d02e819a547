'use strict';
// Scenario: a Unix socket path longer than sockaddr_un holds (108 bytes on Linux). Node 24 refuses it with
// EINVAL, for listen() and connect() alike; Node 20 and 22 (libuv then) cut it short and used the shorter
// path. fastnet does what the running Node's core does.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const coreNet = require('node:net');
const net = require('..');
const { track } = require('./helpers');

function tryListenAndConnect(t, impl, tag) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fastnet-long-${tag}-`));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const long = path.join(dir, `${'x'.repeat(200)}.sock`);
  return new Promise((resolve) => {
    const server = track(t, impl.createServer((s) => s.destroy()));
    server.on('error', (err) => {
      const client = impl.connect(long);
      client.on('error', (cerr) => resolve({ listen: `${err.syscall} ${err.code}`, connect: `${cerr.syscall} ${cerr.code}` }));
      client.on('connect', () => { client.destroy(); resolve({ listen: `${err.syscall} ${err.code}`, connect: 'connected' }); });
    });
    server.listen(long, () => {
      server.close();
      resolve({ listen: 'listening' });
    });
  });
}

test('listen()/connect() on a 200-byte Unix socket path: core\'s outcome', async (t) => {
  const core = await tryListenAndConnect(t, coreNet, 'core');
  const fast = await tryListenAndConnect(t, net, 'fast');
  assert.deepStrictEqual(fast, core);
  if (Number(process.versions.node.split('.')[0]) >= 24) {
    assert.deepStrictEqual(fast, { listen: 'listen EINVAL', connect: 'connect EINVAL' });
  }
});
