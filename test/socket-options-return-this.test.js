'use strict';
// Scenario: the chainable socket and server methods return their receiver, before connect, while
// connected (TCP and Unix socket) and after close, without throwing; the connection keeps working
// after setNoDelay/setKeepAlive.

const test = require('node:test');
const assert = require('node:assert');
const net = require('..');
const { listen, close, once, track, tmpSocketPath } = require('./helpers');

function chainables(s) {
  return {
    'setNoDelay()': s.setNoDelay(),
    'setNoDelay(true)': s.setNoDelay(true),
    'setNoDelay(false)': s.setNoDelay(false),
    'setKeepAlive()': s.setKeepAlive(),
    'setKeepAlive(true)': s.setKeepAlive(true),
    'setKeepAlive(true, 1000)': s.setKeepAlive(true, 1000),
    'setKeepAlive(false)': s.setKeepAlive(false),
    'setTimeout(1000)': s.setTimeout(1000),
    'setTimeout(0)': s.setTimeout(0),
    'ref()': s.ref(),
    'unref()': s.unref(),
    'ref() again': s.ref(),
    'pause()': s.pause(),
    'resume()': s.resume(),
  };
}

function assertAllSelf(results, self) {
  for (const [call, ret] of Object.entries(results)) {
    assert.strictEqual(ret, self, `${call} did not return the socket`);
  }
}

test('chainable socket methods return the socket before connect', () => {
  const s = new net.Socket();
  assertAllSelf(chainables(s), s);
  assert.strictEqual(s.setEncoding('utf8'), s);
  s.destroy();
});

async function connectedChecks(t, listenArgs, connectArgs) {
  const server = track(t, net.createServer((s) => {
    assertAllSelf(chainables(s), s);
    s.pipe(s);
  }));
  const address = await listen(server, ...listenArgs);
  const c = track(t, net.connect(...connectArgs(address)));
  // Before 'connect' (connecting): core queues or ignores these, never throws.
  assertAllSelf(chainables(c), c);
  await once(c, 'connect');
  assertAllSelf(chainables(c), c);
  // The socket still works after all that.
  c.setEncoding('utf8');
  let got = '';
  c.on('data', (d) => { got += d; });
  const closed = once(c, 'close');
  c.end('still echoing');
  await closed;
  assert.strictEqual(got, 'still echoing');
  // After close: still no throw, still chainable.
  assertAllSelf(chainables(c), c);
  await close(server);
}

test('chainable socket methods return the socket while connected over TCP', { timeout: 10000 }, (t) =>
  connectedChecks(t, [0, '127.0.0.1'], (a) => [a.port, '127.0.0.1']));

test('chainable socket methods return the socket while connected over a Unix socket', { timeout: 10000 }, (t) => {
  const p = tmpSocketPath('chain');
  return connectedChecks(t, [p], () => [p]);
});

test('connect options noDelay / keepAlive / keepAliveInitialDelay are accepted', { timeout: 10000 }, async (t) => {
  const server = track(t, net.createServer({ noDelay: true, keepAlive: true, keepAliveInitialDelay: 1000 },
    (s) => s.end('ok')));
  const { port } = await listen(server, 0, '127.0.0.1');
  const c = track(t, net.connect({
    port, host: '127.0.0.1', noDelay: true, keepAlive: true, keepAliveInitialDelay: 500,
  }));
  let got = '';
  c.on('data', (d) => { got += d; });
  await once(c, 'end');
  assert.strictEqual(got, 'ok');
  await close(server);
});

test('server.ref()/unref() return the server, listening or not', { timeout: 10000 }, async (t) => {
  const server = track(t, net.createServer());
  assert.strictEqual(server.unref(), server);
  assert.strictEqual(server.ref(), server);
  await listen(server, 0, '127.0.0.1');
  assert.strictEqual(server.unref(), server);
  assert.strictEqual(server.ref(), server);
  await close(server);
  assert.strictEqual(server.ref(), server);
});
