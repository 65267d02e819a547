'use strict';
// Scenario: listen({ port, reusePort: true }) (Node 22.12+/23.1+) sets SO_REUSEPORT, so several servers, in this
// thread, in a worker thread, or core's, listen on one port and the kernel spreads connections among them: each
// of them accepts some. Without reusePort the second listen fails with EADDRINUSE, as core's does. fastnet
// offers reusePort on every Node.

const test = require('node:test');
const assert = require('node:assert');
const { Worker } = require('node:worker_threads');
const coreNet = require('node:net');
const net = require('..');
const { binding } = require('../lib/native');
const { FASTNET, listen, once, track, errorShape } = require('./helpers');

const coreHasReusePort = (() => {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12);
})();

function reusePortOf(server) {
  return binding.socketOptions(server._handle.fd).reusePort;
}

// Connects (one at a time) until every counter is above 0; returns how many connections that took.
async function connectUntilEachAccepted(port, host, counters, max = 400) {
  for (let n = 1; n <= max; n++) {
    const c = net.connect(port, host);
    await once(c, 'connect');
    c.destroy();
    await once(c, 'close');
    await new Promise((resolve) => setImmediate(resolve));
    if (counters().every((count) => count > 0)) return n;
  }
  throw new Error(`after ${max} connections, not every server accepted one: ${counters()}`);
}

test('two servers and a worker\'s server with reusePort share one port, and each accepts', async (t) => {
  const counts = [0, 0, 0];
  const a = track(t, net.createServer((s) => { counts[0]++; s.destroy(); }));
  const { port } = await listen(a, { port: 0, host: '127.0.0.1', reusePort: true });
  const b = track(t, net.createServer((s) => { counts[1]++; s.destroy(); }));
  assert.strictEqual((await listen(b, { port, host: '127.0.0.1', reusePort: true })).port, port);
  assert.strictEqual(reusePortOf(a), 1);
  assert.strictEqual(reusePortOf(b), 1);

  const worker = track(t, new Worker(`
    const { parentPort, workerData } = require('worker_threads');
    const net = require(workerData.fastnet);
    const server = net.createServer((s) => { parentPort.postMessage('accepted'); s.destroy(); });
    server.on('error', (err) => parentPort.postMessage('error ' + err.code));
    server.listen({ port: workerData.port, host: '127.0.0.1', reusePort: true }, () => parentPort.postMessage('listening'));
    parentPort.on('message', () => server.close(() => parentPort.close()));
  `, { eval: true, workerData: { fastnet: FASTNET, port } }));
  const [first] = await once(worker, 'message');
  assert.strictEqual(first, 'listening');
  worker.on('message', (m) => { if (m === 'accepted') counts[2]++; });

  await connectUntilEachAccepted(port, '127.0.0.1', () => counts);
  worker.postMessage('close');
  await once(worker, 'exit');
  a.close();
  b.close();
});

test('reusePort on the IPv6 wildcard (dual stack), and with core\'s servers where core has it', async (t) => {
  const counts = [0, 0];
  const a = track(t, net.createServer((s) => { counts[0]++; s.destroy(); }));
  const { port, address } = await listen(a, { port: 0, reusePort: true });
  assert.strictEqual(address, '::');
  const other = coreHasReusePort ? coreNet : net;
  const b = track(t, other.createServer((s) => { counts[1]++; s.destroy(); }));
  await listen(b, { port, reusePort: true });
  await connectUntilEachAccepted(port, '127.0.0.1', () => counts);
  a.close();
  b.close();
});

// The second of two servers on one port, without reusePort on both: its error.
async function secondListenError(t, impl, firstOptions, secondOptions) {
  const a = track(t, impl.createServer());
  const { port } = await listen(a, { port: 0, host: '127.0.0.1', ...firstOptions });
  const b = track(t, impl.createServer());
  b.listen({ port, host: '127.0.0.1', ...secondOptions });
  const [err] = await once(b, 'error');
  a.close();
  const shape = errorShape(err);
  shape.message = shape.message.replace(String(port), 'PORT');
  shape.string = shape.string.replace(String(port), 'PORT');
  delete shape.port;
  delete shape.stackHead;
  return shape;
}

test('without reusePort on both, the second listen fails with core\'s EADDRINUSE', async (t) => {
  for (const [first, second] of [[{}, {}], [{ reusePort: true }, {}], [{}, { reusePort: true }]]) {
    const fast = await secondListenError(t, net, first, second);
    assert.strictEqual(fast.code, 'EADDRINUSE');
    assert.strictEqual(fast.message, 'listen EADDRINUSE: address already in use 127.0.0.1:PORT');
    if (coreHasReusePort || (!first.reusePort && !second.reusePort)) {
      assert.deepStrictEqual(fast, await secondListenError(t, coreNet, first, second));
    }
  }
});

test('a server without reusePort has no SO_REUSEPORT', async (t) => {
  const a = track(t, net.createServer());
  await listen(a, 0, '127.0.0.1');
  assert.strictEqual(reusePortOf(a), 0);
  a.close();
});
