'use strict';
// Scenario: an http.Agent whose createConnection is fastnet's reuses its sockets. node:_http_client asks the
// socket's handle for its async id (`socket._handle.getAsyncId()`) each time a keep-alive socket goes back to
// the agent; a handle without it killed the process at the first reuse. Same requests with core's net: the
// same reuse counts. The id is the handle's own: what executionAsyncId() says inside its 'data' events.

const test = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
const { executionAsyncId } = require('node:async_hooks');
const coreNet = require('node:net');
const net = require('..');
const { track, listen } = require('./helpers');

async function httpServer(t) {
  const server = track(t, http.createServer((req, res) => res.end('ok')));
  const { port } = await listen(server, 0, '127.0.0.1');
  return port;
}

// One GET; resolves with whether the request went out on a reused socket.
function get(port, agent) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, agent, path: '/' }, (res) => {
      res.resume();
      res.on('end', () => resolve(req.reusedSocket));
    });
    req.on('error', reject);
    setTimeout(() => reject(new Error('request timed out')), 5000).unref();
  });
}

// 1,000 sequential requests on one keep-alive socket, then 20 at once queued behind maxSockets: 2.
async function run(port, agent) {
  let reused = 0;
  for (let i = 0; i < 1000; i++) if (await get(port, agent)) reused++;
  const queued = await Promise.all(Array.from({ length: 20 }, () => get(port, agent)));
  agent.destroy();
  return { reused, queuedDone: queued.length };
}

test('keep-alive agent with createConnection as an instance property: 1,000 reuses, as core', { timeout: 60000 }, async (t) => {
  const port = await httpServer(t);
  const results = {};
  for (const [name, impl] of [['core', coreNet], ['fastnet', net]]) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    agent.createConnection = impl.createConnection;
    results[name] = await run(port, agent);
  }
  assert.deepStrictEqual(results.fastnet, results.core);
  assert.strictEqual(results.fastnet.reused, 999);
});

test('agent subclass with maxSockets and queued requests (no keepAlive), as core', { timeout: 60000 }, async (t) => {
  const port = await httpServer(t);
  const results = {};
  for (const [name, impl] of [['core', coreNet], ['fastnet', net]]) {
    class Agent extends http.Agent {
      createConnection(...args) { return impl.createConnection(...args); }
    }
    const agent = new Agent({ maxSockets: 1 });
    const done = await Promise.all(Array.from({ length: 50 }, () => get(port, agent)));
    agent.destroy();
    results[name] = done.length;
  }
  assert.deepStrictEqual(results.fastnet, results.core);
});

test('getAsyncId() is the async id the handle\'s events run in, as core', async (t) => {
  for (const impl of [coreNet, net]) {
    const server = track(t, impl.createServer((s) => s.end('hello')));
    const { port } = await listen(server, 0, '127.0.0.1');
    const client = track(t, impl.connect(port, '127.0.0.1'));
    const seen = await new Promise((resolve) => {
      client.once('data', () => resolve([executionAsyncId(), client._handle.getAsyncId()]));
    });
    assert.strictEqual(typeof seen[1], 'number');
    assert.ok(seen[1] > 0);
    assert.strictEqual(seen[1], seen[0]);
    assert.strictEqual(client._handle.getAsyncId(), seen[1], 'the same id when asked again');
    client.destroy();
    server.close();
  }
});
