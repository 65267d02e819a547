'use strict';
// Scenario: the main thread accepts connections and moves each, untouched, to a worker thread with
// worker.postMessage({ socket }, [socket]); the worker echoes on it. The source socket ends as core's does (no
// handle, destroyed, later writes fail with ERR_STREAM_DESTROYED, the server counts it no more); the received
// one is a net.Socket, connected, not yet reading, and keeps allowHalfOpen. No descriptor is left behind once
// all is closed. On Node 24+ the same scenario runs against core net and must report the same.

const test = require('node:test');
const assert = require('node:assert');
const { coreTransfers, run } = require('./transfer-helpers');

const SCENARIO = `
  const { Worker } = require('worker_threads');
  const WORKER = \`
    const net = require(process.env.NET_UNDER_TEST);
    const { parentPort, threadId } = require('worker_threads');
    parentPort.on('message', ({ socket, name }) => {
      parentPort.postMessage({
        name,
        threadId,
        isSocket: net.Socket.prototype.isPrototypeOf(socket),
        connecting: socket.connecting,
        pending: socket.pending,
        readyState: socket.readyState,
        readableFlowing: socket.readableFlowing,
        allowHalfOpen: socket.allowHalfOpen,
        remote: typeof socket.remotePort,
      });
      // Echo; with allowHalfOpen, answer once more after the client's end.
      socket.on('data', (d) => socket.write(d));
      socket.on('end', () => { if (socket.allowHalfOpen) socket.end('bye'); });
    });
  \`;
  let worker;
  const received = [];

  async function round(name, allowHalfOpen) {
    const sources = [];
    const server = net.createServer({ allowHalfOpen }, (socket) => {
      const events = [];
      socket.on('close', () => events.push('close'));  // core emits it without hadError here
      socket.on('error', (e) => events.push('error ' + e.code));
      worker.postMessage({ socket, name }, [socket]);
      const state = {
        handle: socket._handle,
        destroyed: socket.destroyed,
        writable: socket.writable,
        readable: socket.readable,
        readyState: socket.readyState,
        connections: server._connections,
      };
      socket.write('lost', (err) => events.push('write ' + (err && err.code)));
      sources.push({ state, events });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const payload = Buffer.alloc(512 * 1024, name);
    const client = net.connect(server.address().port, '127.0.0.1');
    const chunks = [];
    client.on('data', (d) => chunks.push(d));
    client.on('connect', () => client.end(payload));
    await new Promise((resolve, reject) => { client.on('close', resolve); client.on('error', reject); });
    await new Promise((resolve) => server.close(resolve));
    const got = Buffer.concat(chunks);
    const expected = allowHalfOpen ? Buffer.concat([payload, Buffer.from('bye')]) : payload;
    return { echoed: got.equals(expected), length: got.length, sources };
  }

  (async () => {
    await warmUp();
    const before = fds();
    worker = new Worker(WORKER, { eval: true });
    worker.on('message', (m) => received.push(m));
    const plain = await round('a', false);
    const halfOpen = await round('b', true);
    await worker.terminate();
    await new Promise((resolve) => setTimeout(resolve, 50));
    received.forEach((m) => { m.otherThread = m.threadId !== 0; delete m.threadId; });
    report({ plain, halfOpen, received, leaked: fds() - before });
  })();
`;

const SOURCE = {
  state: {
    handle: null, destroyed: true, writable: false, readable: false, readyState: 'closed', connections: 0,
  },
  events: ['close', 'write ERR_STREAM_DESTROYED'],
};
const RECEIVED = {
  otherThread: true, isSocket: true, connecting: false, pending: false, readyState: 'open', readableFlowing: null,
  remote: 'number',
};
const EXPECTED = {
  plain: { echoed: true, length: 512 * 1024, sources: [SOURCE] },
  halfOpen: { echoed: true, length: 512 * 1024 + 3, sources: [SOURCE] },
  received: [{ name: 'a', allowHalfOpen: false, ...RECEIVED }, { name: 'b', allowHalfOpen: true, ...RECEIVED }],
  leaked: 0,
};

test('a socket moved to a worker echoes there; the source ends as core\'s', { timeout: 30000 }, async () => {
  assert.deepStrictEqual(await run(SCENARIO), EXPECTED);
});

test('core net reports the same (Node 24+)', { timeout: 30000, skip: !coreTransfers && 'core net cannot transfer sockets on this Node' }, async () => {
  assert.deepStrictEqual(await run(SCENARIO, 'core'), EXPECTED);
});
