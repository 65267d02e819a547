'use strict';
// Scenario: fastnet moves a socket and a server to a worker that never loads fastnet. There, the message holds
// each as fastnet's marker (plain data: fastnetTransfer, fd, options, claim, lifeline), which core net adopts as
// lib/transfer.js documents: claim the descriptor, then new net.Socket({ fd }) / server.listen({ fd }). The
// socket echoes, the server accepts; a marker left unclaimed has its descriptor closed by the sender once the
// worker is gone. No descriptor is left behind.

const test = require('node:test');
const assert = require('node:assert');
const { run } = require('./transfer-helpers');

const SCENARIO = `
  const { Worker } = require('worker_threads');
  const once = (emitter, event) => new Promise((resolve) => emitter.once(event, resolve));
  const WORKER = \`
    const net = require('net');  // core's: fastnet is not loaded in this thread
    const { parentPort } = require('worker_threads');
    parentPort.on('message', (m) => {
      if (m.ignore) return;  // left unclaimed
      const { socket: s, server: v } = m;
      const shape = { socket: Object.keys(s).sort(), server: Object.keys(v).sort() };
      if (Atomics.compareExchange(s.claim, 0, 0, 1) === 0) {
        s.lifeline.close();
        const socket = new net.Socket({ fd: s.fd, allowHalfOpen: s.allowHalfOpen, readable: true, writable: true });
        socket.on('data', (d) => socket.write(d));
        socket.on('end', () => socket.end());
      }
      if (Atomics.compareExchange(v.claim, 0, 0, 1) === 0) {
        v.lifeline.close();
        net.createServer({ allowHalfOpen: v.allowHalfOpen }, (c) => c.end('served by core')).listen({ fd: v.fd });
      }
      parentPort.postMessage({ shape, kind: s.fastnetTransfer + ' ' + v.fastnetTransfer });
    });
  \`;

  (async () => {
    await warmUp();
    const before = fds();
    const worker = new Worker(WORKER, { eval: true, env: { ...process.env, NODE_OPTIONS: '' } });
    const echo = net.createServer();
    await new Promise((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const moved = net.createServer();
    await new Promise((resolve) => moved.listen(0, '127.0.0.1', resolve));
    const movedPort = moved.address().port;

    const client = net.connect(echo.address().port, '127.0.0.1');
    const [socket] = await Promise.all([once(echo, 'connection'), once(client, 'connect')]);
    worker.postMessage({ socket, server: moved }, [socket, moved]);
    const { shape, kind } = await once(worker, 'message');

    let echoed = '';
    client.setEncoding('utf8');
    client.on('data', (d) => { echoed += d; });
    client.end('hello');
    await once(client, 'close');

    const c = net.connect(movedPort, '127.0.0.1');
    let served = '';
    c.setEncoding('utf8');
    c.on('data', (d) => { served += d; });
    await once(c, 'close');

    // Unclaimed: closed by this thread once the worker (and the marker's lifeline with it) is gone.
    const other = net.connect(echo.address().port, '127.0.0.1');
    const [ignored] = await Promise.all([once(echo, 'connection'), once(other, 'connect')]);
    other.resume();
    const ended = new Promise((resolve) => { other.on('end', () => resolve(true)); setTimeout(resolve, 5000, false).unref(); });
    worker.postMessage({ ignore: true, socket: ignored }, [ignored]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await worker.terminate();
    const otherEnded = await ended;
    other.destroy();

    await new Promise((resolve) => echo.close(resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    report({ kind, shape, echoed, served, otherEnded, leaked: fds() - before });
  })();
`;

test('a thread without fastnet adopts a moved socket and server with core net', { timeout: 30000 }, async () => {
  assert.deepStrictEqual(await run(SCENARIO), {
    kind: 'net.Socket net.Server',
    shape: {
      socket: ['allowHalfOpen', 'claim', 'fastnetTransfer', 'fd', 'lifeline'],
      server: ['allowHalfOpen', 'claim', 'fastnetTransfer', 'fd', 'highWaterMark', 'keepAlive', 'keepAliveInitialDelay',
        'lifeline', 'noDelay', 'pauseOnConnect'],
    },
    echoed: 'hello',
    served: 'served by core',
    otherEnded: true,
    leaked: 0,
  });
});
