'use strict';
// Scenario: AsyncLocalStorage context follows sockets as in core. Every callback of a client socket
// (connect, data, end, close, write callback) sees the store that was active when net.connect() was
// called; a server's connection handler sees the store active at listen(); the events of an accepted
// socket run in the root context (no store), because core creates accepted handles outside any.

const test = require('node:test');
const assert = require('node:assert');
const { AsyncLocalStorage } = require('node:async_hooks');
const coreNet = require('net');
const net = require('..');
const { track } = require('./helpers');

function scenario(t, impl) {
  const als = new AsyncLocalStorage();
  const seen = [];
  const see = (what) => seen.push(`${what}: ${als.getStore()}`);
  return new Promise((resolve, reject) => {
    const server = track(t, impl.createServer((s) => {
      see('connection');
      s.on('data', () => see('server data'));
      s.on('end', () => {
        see('server end');
        s.end('bye', () => see('server write cb'));
      });
    }));
    als.run('listen-store', () => {
      server.listen(0, '127.0.0.1', () => {
        see('listening');
        als.run('connect-store', () => {
          const c = track(t, impl.connect(server.address().port, '127.0.0.1', () => see('connect')));
          c.on('data', () => see('client data'));
          c.on('end', () => see('client end'));
          c.on('error', reject);
          c.on('close', () => {
            see('client close');
            server.close(() => resolve(seen));
          });
          c.end('x', () => see('client write cb'));
        });
        // Whatever is current when the events fire must not leak in.
        als.enterWith('wrong-store');
      });
    });
    setTimeout(() => reject(new Error('scenario timed out')), 5000).unref();
  });
}

test('AsyncLocalStorage context of socket callbacks matches core', { timeout: 10000 }, async (t) => {
  const core = await scenario(t, coreNet);
  const fast = await scenario(t, net);
  // Events on both ends interleave differently from run to run; compare per event.
  const byEvent = (list) => Object.fromEntries(list.map((s) => s.split(': ')));
  assert.deepStrictEqual(byEvent(fast), byEvent(core));
  assert.deepStrictEqual(byEvent(fast), {
    'listening': 'listen-store',
    'connection': 'listen-store',
    'server data': 'undefined',
    'server end': 'undefined',
    'server write cb': 'undefined',
    'connect': 'connect-store',
    'client write cb': 'connect-store',
    'client data': 'connect-store',
    'client end': 'connect-store',
    'client close': 'connect-store',
  });
});
