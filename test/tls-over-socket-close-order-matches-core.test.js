'use strict';
// Scenario: how a TLS connection over a `net` socket ends: the peer ends, we end, we destroy (with and without
// an error); the socket under TLS on either end. Events on the TLS socket and the socket under it, in order, are
// core net's: core's own socket (TLS takes its handle) closes before the TLS socket, with hadError false.
// (A fastnet socket under TLS also emits 'end' and 'finish' itself, which core's never does: not compared.)

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const fastnet = require('..');
const { once } = require('./helpers');
const { record, tlsOver } = require('./tls-helpers');

const ways = {
  'peer ends': ({ peer }) => peer.end(),
  'we end': ({ tls }) => tls.end('bye'),
  'we destroy': ({ tls }) => tls.destroy(),
  'we destroy with an error': ({ tls }) => tls.destroy(Object.assign(new Error('boom'), { code: 'EBOOM' })),
};

async function closeLog(t, net, side, how) {
  const c = await tlsOver(t, net, side);
  const log = [];
  record(log, 'tls', c.tls, ['end', 'finish', 'close', 'error']);
  record(log, 'raw', c.raw, ['close', 'error']);
  c.tls.resume();
  c.peer.resume();
  c.peer.on('error', () => {});
  const closed = Promise.all([once(c.tls, 'close', 5000, false), once(c.raw, 'close', 5000, false),
    once(c.peer, 'close', 5000, false)]);
  how(c);
  await closed;
  return log;
}

for (const side of ['server', 'client']) {
  for (const [name, how] of Object.entries(ways)) {
    test(`TLS ${side} over a net socket: ${name}`, async (t) => {
      const core = await closeLog(t, coreNet, side, how);
      assert.deepStrictEqual(await closeLog(t, fastnet, side, how), core);
    });
  }
}
