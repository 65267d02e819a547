'use strict';
// Scenario: a kept-alive fastnet socket that http's agent hands to the next request runs its events in that
// request's async context, as core's do: the agent calls `_handle.asyncReset()` (a new async id, init and
// destroy hooks) on reuse. Without it, every reuse saw the AsyncLocalStorage store of the socket's first request.

const test = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
const { AsyncLocalStorage } = require('node:async_hooks');
const coreNet = require('node:net');
const net = require('..');
const { track, listen } = require('./helpers');

async function storesSeen(port, impl) {
  const als = new AsyncLocalStorage();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  agent.createConnection = impl.createConnection;
  const seen = [];
  const ids = new Set();
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve, reject) => als.run(i, () => {
      const req = http.get({ host: '127.0.0.1', port, agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('socket', (socket) => socket.once('data', () => {
        seen.push(als.getStore());
        ids.add(socket._handle.getAsyncId());
      }));
      req.on('error', reject);
    }));
  }
  agent.destroy();
  return { seen, distinctIds: ids.size };
}

test('reused keep-alive socket: its data events see the new request\'s store, as core', { timeout: 20000 }, async (t) => {
  const server = track(t, http.createServer((req, res) => res.end('ok')));
  const { port } = await listen(server, 0, '127.0.0.1');
  const core = await storesSeen(port, coreNet);
  const ours = await storesSeen(port, net);
  assert.deepStrictEqual(ours, core);
  assert.deepStrictEqual(ours, { seen: [0, 1, 2, 3, 4], distinctIds: 5 });
});
