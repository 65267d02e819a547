'use strict';
// Scenario: server.close(). The callback and the 'close' event fire once, only after every open
// connection has ended; close() stops accepting at once; getConnections() counts; close() on a
// server that is not listening calls back with ERR_SERVER_NOT_RUNNING, like core.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('net');
const net = require('..');
const { listen, once, track, errorShape, tmpSocketPath } = require('./helpers');

async function closeWaitsForConnections(t, listenArgs, connectArgs) {
  const accepted = [];
  const server = track(t, net.createServer((s) => { accepted.push(s); s.resume(); }));
  const address = await listen(server, ...listenArgs);
  const clients = [];
  for (let i = 0; i < 3; i++) {
    const c = track(t, net.connect(...connectArgs(address)));
    c.resume();
    await once(c, 'connect');
    clients.push(c);
  }
  while (accepted.length < 3) await once(server, 'connection');
  const count = await new Promise((resolve, reject) =>
    server.getConnections((err, n) => (err ? reject(err) : resolve(n))));
  assert.strictEqual(count, 3);

  const log = [];
  server.on('close', () => log.push('close event'));
  const ret = server.close(function (err) {
    log.push(`close cb ${err}`);
    assert.strictEqual(this, server);
  });
  assert.strictEqual(ret, server);
  assert.strictEqual(server.listening, false);

  // No longer accepting...
  if (typeof address !== 'string') {
    const late = track(t, net.connect(...connectArgs(address)));
    const [err] = await once(late, 'error');
    assert.strictEqual(err.code, 'ECONNREFUSED');
  }
  // ...but open connections still work, and close is not reported while they are open.
  const serverClosed = once(server, 'close');
  for (const c of clients) {
    const closed = once(c, 'close');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepStrictEqual(log, []);
    c.end();
    await closed;
  }
  await serverClosed;
  // The callback is a 'close' listener added by close(), so it runs after ours, added earlier.
  assert.deepStrictEqual(log, ['close event', 'close cb undefined']);
  // Exactly once.
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepStrictEqual(log, ['close event', 'close cb undefined']);
}

test('close() waits for open TCP connections, then calls back and emits \'close\'', { timeout: 10000 }, (t) =>
  closeWaitsForConnections(t, [0, '127.0.0.1'], (a) => [a.port, '127.0.0.1']));

test('close() waits for open Unix socket connections, then calls back and emits \'close\'', { timeout: 10000 }, (t) => {
  const p = tmpSocketPath('close');
  return closeWaitsForConnections(t, [p], () => [p]);
});

test('close() with no connections closes right away', { timeout: 10000 }, async (t) => {
  const server = track(t, net.createServer());
  await listen(server, 0, '127.0.0.1');
  const [cbErr] = await Promise.all([
    new Promise((resolve) => server.close(resolve)),
    once(server, 'close'),
  ]);
  assert.strictEqual(cbErr, undefined);
});

test('close() on a server that is not listening: same error as core, via callback and \'close\'', { timeout: 10000 }, async (t) => {
  async function run(impl, listenFirst) {
    const server = track(t, impl.createServer());
    if (listenFirst) {
      await listen(server, 0, '127.0.0.1');
      await new Promise((resolve) => server.close(resolve));
    }
    const events = [];
    server.on('close', () => events.push('close event'));
    server.on('error', (e) => events.push(`error event ${e.code}`));
    const err = await new Promise((resolve) => server.close(resolve));
    events.push('cb');
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { shape: errorShape(err), events };
  }
  for (const listenFirst of [false, true]) {
    const core = await run(coreNet, listenFirst);
    const fast = await run(net, listenFirst);
    assert.strictEqual(core.shape.code, 'ERR_SERVER_NOT_RUNNING');
    assert.deepStrictEqual(fast, core);
  }
});

test('a Unix socket server removes its socket file on close()', { timeout: 10000 }, async (t) => {
  const fs = require('node:fs');
  const p = tmpSocketPath('unlink');
  const server = track(t, net.createServer());
  await listen(server, p);
  assert.ok(fs.statSync(p).isSocket());
  await new Promise((resolve) => server.close(resolve));
  assert.strictEqual(fs.existsSync(p), false);
  // So the path can be listened on again.
  await listen(server, p);
  await new Promise((resolve) => server.close(resolve));
});
