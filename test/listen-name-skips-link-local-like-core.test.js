'use strict';
// Scenario: listen(port, name) where the name resolves to a link-local IPv6 address first, then 127.0.0.1.
// Node 22+ looks up every address and listens on the first that is not link-local; Node 20 took the first
// answer (and failed to listen on fe80::1 without a scope). dns.lookup is replaced for the test, for core and
// fastnet alike (both look it up on the dns module when they listen).

const test = require('node:test');
const assert = require('node:assert');
const dns = require('node:dns');
const coreNet = require('node:net');
const net = require('..');
const { close, track } = require('./helpers');

const ANSWERS = [{ address: 'fe80::1', family: 6 }, { address: '127.0.0.1', family: 4 }];

function fakeLookup(hostname, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = {};
  }
  if (hostname !== 'dual.fastnet.test') return realLookup(hostname, options, callback);
  if (options.all) process.nextTick(callback, null, ANSWERS);
  else process.nextTick(callback, null, ANSWERS[0].address, ANSWERS[0].family);
}
const realLookup = dns.lookup;

function listenOnName(t, impl) {
  return new Promise((resolve) => {
    const server = track(t, impl.createServer());
    server.on('error', (err) => resolve({ error: err.code, syscall: err.syscall }));
    server.listen(0, 'dual.fastnet.test', async () => {
      const { address, family } = server.address();
      await close(server);
      resolve({ address, family });
    });
  });
}

test('listen(0, name): the address chosen among the lookup\'s answers is core\'s', async (t) => {
  dns.lookup = fakeLookup;
  t.after(() => { dns.lookup = realLookup; });
  const core = await listenOnName(t, coreNet);
  const fast = await listenOnName(t, net);
  assert.deepStrictEqual(fast, core);
  if (Number(process.versions.node.split('.')[0]) >= 22) {
    assert.deepStrictEqual(fast, { address: '127.0.0.1', family: 'IPv4' });
  }
});
