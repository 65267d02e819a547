'use strict';
// Scenario: a worker thread ends (terminate() from the main thread, process.exit() inside the worker,
// or an uncaught exception inside the worker) while it has a listening server, an accepted socket,
// a client socket with writes in flight, and a connection from the main thread. The main thread must
// not crash; the worker's handles must be closed by its teardown (the main thread's connection sees
// the end, the worker's port is released); and this must work again and again.

const test = require('node:test');
const assert = require('node:assert');
const { Worker } = require('node:worker_threads');
const net = require('..');
const { FASTNET, listen, close, once, track, runChild } = require('./helpers');

const WORKER_SOURCE = `
'use strict';
const net = require(${JSON.stringify(FASTNET)});
const { parentPort, workerData } = require('worker_threads');
const server = net.createServer((s) => {
  s.on('error', () => {});
  s.on('data', (d) => s.write(d)); // echo, ignoring backpressure on purpose: lots in flight
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const c = net.connect(port, '127.0.0.1', () => {
    const chunk = Buffer.alloc(64 * 1024, 7);
    (function pump() {
      while (c.write(chunk));
      c.once('drain', pump);
    })();
    c.resume();
    // Also a connection out to the main thread's server, left open.
    const out = net.connect(workerData.mainPort, '127.0.0.1', () => {
      out.write('hello from worker');
      parentPort.postMessage({ port });
    });
    out.on('error', () => {});
  });
  c.on('error', () => {});
});
parentPort.on('message', (m) => {
  if (m === 'exit') process.exit(3);
  if (m === 'throw') setImmediate(() => { throw new Error('worker boom'); });
});
`;

async function workerEndsWithOpenSockets(t, mainServer, mainPort, mode) {
  const worker = track(t, new Worker(WORKER_SOURCE, { eval: true, workerData: { mainPort } }));
  const errors = [];
  worker.on('error', (e) => errors.push(e.message));
  const exited = once(worker, 'exit', 10000, false);

  // The worker's connection to us arrives; the worker reports its own server's port.
  const [[fromWorker], [{ port }]] = await Promise.all([
    once(mainServer, 'connection', 10000),
    once(worker, 'message', 10000, false),
  ]);
  fromWorker.on('error', () => {}); // ECONNRESET is fine
  const fromWorkerClosed = once(fromWorker, 'close', 10000, false);

  // And we connect to the worker's server.
  const toWorker = track(t, net.connect(port, '127.0.0.1'));
  await once(toWorker, 'connect');
  const toWorkerEvents = [];
  toWorker.on('end', () => toWorkerEvents.push('end'));
  toWorker.on('error', (e) => toWorkerEvents.push(e.code));
  const toWorkerClosed = once(toWorker, 'close', 10000, false);
  toWorker.write('x'.repeat(100000));
  toWorker.resume();

  // Let traffic flow for a moment, then end the worker.
  await new Promise((resolve) => setTimeout(resolve, 20));
  if (mode === 'terminate') worker.terminate();
  else worker.postMessage(mode);
  const [code] = await exited;

  await toWorkerClosed;
  await fromWorkerClosed;
  assert.ok(toWorkerEvents.length > 0 && ['end', 'ECONNRESET', 'EPIPE'].includes(toWorkerEvents[0]),
    `main-thread socket to the worker saw ${JSON.stringify(toWorkerEvents)}`);

  // The worker's listening socket is gone.
  const probe = track(t, net.connect(port, '127.0.0.1'));
  const [err] = await once(probe, 'error');
  assert.strictEqual(err.code, 'ECONNREFUSED');
  return { code, errors };
}

const EXPECTED = {
  terminate: { code: 1, errors: [] },
  exit: { code: 3, errors: [] },
  throw: { code: 1, errors: ['worker boom'] },
};

for (const mode of ['terminate', 'exit', 'throw']) {
  test(`worker ended by ${mode} with open sockets and a listening server, 4 times`, { timeout: 30000 }, async (t) => {
    const mainServer = track(t, net.createServer());
    mainServer.on('connection', (s) => s.resume());
    const { port: mainPort } = await listen(mainServer, 0, '127.0.0.1');
    for (let i = 0; i < 4; i++) {
      assert.deepStrictEqual(await workerEndsWithOpenSockets(t, mainServer, mainPort, mode), EXPECTED[mode]);
    }
    // The main thread's server still works.
    const c = track(t, net.connect(mainPort, '127.0.0.1'));
    await once(c, 'connect');
    c.end();
    await once(c, 'close');
    await close(mainServer);
  });
}

test('several workers terminated at once while connecting and writing', { timeout: 30000 }, async (t) => {
  const SOURCE = `
    const net = require(${JSON.stringify(FASTNET)});
    const { parentPort } = require('worker_threads');
    const server = net.createServer((s) => { s.on('error', () => {}); s.resume(); });
    server.listen(0, '127.0.0.1', () => {
      for (let i = 0; i < 20; i++) {
        const c = net.connect(server.address().port, '127.0.0.1');
        c.on('error', () => {});
        c.write(Buffer.alloc(1024 * 1024));
      }
      parentPort.postMessage('ready');
    });
  `;
  const workers = Array.from({ length: 4 }, () => track(t, new Worker(SOURCE, { eval: true })));
  await Promise.all(workers.map((w) => once(w, 'message', 10000)));
  const codes = await Promise.all(workers.map((w) => w.terminate()));
  assert.deepStrictEqual(codes, [1, 1, 1, 1]);
});

test('workers that end with open sockets leave no descriptor behind', { timeout: 60000 }, async () => {
  // In a child of its own, so the count of /proc/self/fd is not disturbed by the test runner.
  const { code, stdout, stderr } = await runChild(`
    const fs = require('fs');
    const { Worker } = require('worker_threads');
    const count = () => fs.readdirSync('/proc/self/fd').length;
    const source = \`
      const net = require(${JSON.stringify(FASTNET)});
      const { parentPort } = require('worker_threads');
      const server = net.createServer((s) => s.write(Buffer.alloc(1 << 20))).listen(0, '127.0.0.1', () => {
        for (let i = 0; i < 8; i++) net.connect(server.address().port, '127.0.0.1').setTimeout(5000);
        setTimeout(() => parentPort.postMessage('open'), 50);
      });\`;
    async function round(how) {
      const worker = new Worker(source, { eval: true });
      await new Promise((resolve) => worker.once('message', resolve));
      if (how === 'terminate') await worker.terminate();
      else { worker.postMessage('x'); worker.unref(); await worker.terminate(); }
    }
    (async () => {
      await round('terminate');   // the first worker loads what stays loaded (the addon, libuv's fds)
      const before = count();
      for (let i = 0; i < 6; i++) await round(i % 2 ? 'terminate' : 'unref');
      const after = count();
      console.log(before, after);
    })();
  `, { timeout: 50000 });
  assert.strictEqual(code, 0, stderr);
  const [before, after] = stdout.trim().split(' ').map(Number);
  assert.ok(before > 0, stdout);
  assert.strictEqual(after, before, `descriptors before ${before}, after ${after}`);
});
