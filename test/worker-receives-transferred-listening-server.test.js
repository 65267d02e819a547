'use strict';
// Scenario: a listening server is moved to a worker thread with worker.postMessage({ server }, [server]), while
// connections wait in its accept queue: the main thread connected them from another worker while it blocked
// (Atomics.wait), so its loop never accepted them. The worker accepts those and later ones; the server keeps
// its options (allowHalfOpen, pauseOnConnect, noDelay, keepAlive, its delay, highWaterMark). The source server
// has no handle any more, is not listening, emits nothing, and close() then reports ERR_SERVER_NOT_RUNNING, as
// core's. No descriptor is left behind. On Node 24+ the same runs against core net and must report the same.

const test = require('node:test');
const assert = require('node:assert');
const { coreTransfers, run } = require('./transfer-helpers');

const SCENARIO = `
  const { Worker } = require('worker_threads');
  const SERVING = \`
    const net = require(process.env.NET_UNDER_TEST);
    const { parentPort, threadId } = require('worker_threads');
    parentPort.once('message', ({ server }) => {
      const info = {
        isServer: net.Server.prototype.isPrototypeOf(server),
        allowHalfOpen: server.allowHalfOpen,
        pauseOnConnect: server.pauseOnConnect,
        noDelay: server.noDelay,
        keepAlive: server.keepAlive,
        keepAliveInitialDelay: server.keepAliveInitialDelay,
        highWaterMark: server.highWaterMark,
      };
      server.on('listening', () => {
        info.listening = server.listening;
        info.port = server.address().port;
        parentPort.postMessage(info);
      });
      server.on('connection', (socket) => {
        // pauseOnConnect: nothing is read until resumed
        socket.resume();
        socket.end('served-by:' + threadId);
      });
      parentPort.once('message', () => server.close(() => parentPort.postMessage('closed')));
    });
  \`;
  // Connects n clients, says so through the shared counter (the main thread is blocked meanwhile), then reports
  // what each received.
  const CLIENTS = \`
    const net = require(process.env.NET_UNDER_TEST);
    const { parentPort, workerData: { port, n, counter } } = require('worker_threads');
    const answers = [];
    for (let i = 0; i < n; i++) {
      const c = net.connect(port, '127.0.0.1', () => { Atomics.add(counter, 0, 1); Atomics.notify(counter, 0); });
      let got = '';
      c.setEncoding('utf8');
      c.on('data', (d) => { got += d; });
      c.on('close', () => { answers.push(got); if (answers.length === n) parentPort.postMessage(answers); });
    }
  \`;
  const once = (emitter, name) => new Promise((resolve) => emitter.once(name, resolve));
  const answerFrom = (port) => new Promise((resolve, reject) => {
    let got = '';
    const c = net.connect(port, '127.0.0.1');
    c.setEncoding('utf8');
    c.on('data', (d) => { got += d; });
    c.on('error', reject);
    c.on('close', () => resolve(got));
  });

  (async () => {
    await warmUp();
    const before = fds();
    const serving = new Worker(SERVING, { eval: true });
    const servingId = serving.threadId;
    const server = net.createServer({
      allowHalfOpen: true, pauseOnConnect: true, noDelay: true, keepAlive: true, keepAliveInitialDelay: 3000,
      highWaterMark: 1024,
    });
    const events = [];
    for (const name of ['close', 'error', 'connection', 'listening']) server.on(name, () => events.push(name));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    events.length = 0;
    const { port } = server.address();

    const counter = new Int32Array(new SharedArrayBuffer(4));
    const clients = new Worker(CLIENTS, { eval: true, workerData: { port, n: 3, counter } });
    // Blocked: this loop accepts nothing while the clients connect (the kernel completes their handshakes).
    const deadline = Date.now() + 10000;
    while (Atomics.load(counter, 0) < 3 && Date.now() < deadline) Atomics.wait(counter, 0, Atomics.load(counter, 0), 100);
    const queued = Atomics.load(counter, 0);

    serving.postMessage({ server }, [server]);
    const source = {
      handle: server._handle,
      listening: server.listening,
      address: server.address(),
    };
    const info = await once(serving, 'message');
    const queuedAnswers = await once(clients, 'message');
    const laterAnswers = await Promise.all([answerFrom(port), answerFrom(port)]);
    const closeError = await new Promise((resolve) => server.close((err) => resolve(err && err.code)));

    serving.postMessage('close');
    await once(serving, 'message');
    await Promise.all([serving.terminate(), clients.terminate()]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const servedBy = new Set([...queuedAnswers, ...laterAnswers]);
    report({
      queued,
      source,
      events,
      closeError,
      info: { ...info, samePort: info.port === port, port: undefined },
      answers: queuedAnswers.length + laterAnswers.length,
      servedByOneWorker: servedBy.size === 1 && [...servedBy][0] === 'served-by:' + servingId,
      leaked: fds() - before,
    });
  })();
`;

const EXPECTED = {
  queued: 3,
  source: { handle: null, listening: false, address: null },
  events: ['close'],  // from close() after the transfer, with ERR_SERVER_NOT_RUNNING: none before
  closeError: 'ERR_SERVER_NOT_RUNNING',
  info: {
    isServer: true, allowHalfOpen: true, pauseOnConnect: true, noDelay: true, keepAlive: true,
    keepAliveInitialDelay: 3, highWaterMark: 1024, listening: true, samePort: true,
  },
  answers: 5,
  servedByOneWorker: true,
  leaked: 0,
};

test('a listening server moved to a worker accepts there, its queued connections too', { timeout: 30000 }, async () => {
  assert.deepStrictEqual(await run(SCENARIO), EXPECTED);
});

test('core net reports the same (Node 24+)', { timeout: 30000, skip: !coreTransfers && 'core net cannot transfer servers on this Node' }, async () => {
  assert.deepStrictEqual(await run(SCENARIO, 'core'), EXPECTED);
});
