'use strict';
// Scenario: every documented way of connecting works: (port), (port, host), (port, host, cb),
// (path), (path, cb), (options), (options, cb), on net.connect, net.createConnection and
// socket.connect; the callback is a one-time 'connect' listener; all return the socket.

const test = require('node:test');
const assert = require('node:assert');
const net = require('..');
const { listen, close, once, track, tmpSocketPath } = require('./helpers');

// A server that greets each connection with its own transport, then ends.
async function greeter(t, ...listenArgs) {
  const server = track(t, net.createServer((s) => s.end('hi')));
  const address = await listen(server, ...listenArgs);
  return { server, address };
}

// Check that socket connects, receives 'hi' then ends; count 'connect' events and callbacks.
async function expectGreeting(t, socket, cbCalls) {
  track(t, socket);
  assert.ok(socket instanceof net.Socket);
  let connects = 0;
  socket.on('connect', () => connects++);
  let got = '';
  socket.setEncoding('utf8');
  socket.on('data', (d) => { got += d; });
  const closed = once(socket, 'close');
  await once(socket, 'end');
  await closed;
  assert.strictEqual(got, 'hi');
  assert.strictEqual(connects, 1);
  if (cbCalls) assert.strictEqual(cbCalls(), 1);
}

function counter() {
  let n = 0;
  const fn = function () {
    assert.strictEqual(arguments.length, 0);
    n++;
  };
  fn.calls = () => n;
  return fn;
}

test('TCP connect forms', { timeout: 10000 }, async (t) => {
  const { server, address: { port } } = await greeter(t, 0, '127.0.0.1');
  const forms = {
    'connect(port, host)': () => [net.connect(port, '127.0.0.1')],
    'connect(port, host, cb)': (cb) => [net.connect(port, '127.0.0.1', cb), cb],
    'connect({ port, host })': () => [net.connect({ port, host: '127.0.0.1' })],
    'connect({ port, host }, cb)': (cb) => [net.connect({ port, host: '127.0.0.1' }, cb), cb],
    "connect({ port: '<string>', host })": () => [net.connect({ port: String(port), host: '127.0.0.1' })],
    'createConnection(port, host, cb)': (cb) => [net.createConnection(port, '127.0.0.1', cb), cb],
    'createConnection({ port, host })': () => [net.createConnection({ port, host: '127.0.0.1' })],
    'new Socket().connect(port, host, cb)': (cb) => {
      const s = new net.Socket();
      assert.strictEqual(s.connect(port, '127.0.0.1', cb), s);
      return [s, cb];
    },
    'new Socket().connect({ port, host })': () => {
      const s = new net.Socket();
      assert.strictEqual(s.connect({ port, host: '127.0.0.1' }), s);
      return [s];
    },
  };
  for (const [label, make] of Object.entries(forms)) {
    const [socket, cb] = make(counter());
    await t.test(label, () => expectGreeting(t, socket, cb && cb.calls));
  }
  await close(server);
});

test('connect(port) with no host goes to localhost', { timeout: 10000 }, async (t) => {
  // Listen on every interface so that 'localhost' works whichever address family it resolves to.
  const { server, address: { port } } = await greeter(t, 0);
  await expectGreeting(t, net.connect(port));
  await expectGreeting(t, net.connect({ port }));
  await close(server);
});

test('Unix socket connect forms', { timeout: 10000 }, async (t) => {
  const p = tmpSocketPath('forms');
  const { server } = await greeter(t, p);
  const forms = {
    'connect(path)': () => [net.connect(p)],
    'connect(path, cb)': (cb) => [net.connect(p, cb), cb],
    'connect({ path })': () => [net.connect({ path: p })],
    'createConnection({ path }, cb)': (cb) => [net.createConnection({ path: p }, cb), cb],
    'new Socket().connect(path, cb)': (cb) => {
      const s = new net.Socket();
      assert.strictEqual(s.connect(p, cb), s);
      return [s, cb];
    },
  };
  for (const [label, make] of Object.entries(forms)) {
    const [socket, cb] = make(counter());
    await t.test(label, () => expectGreeting(t, socket, cb && cb.calls));
  }
  await close(server);
});

test('a closed socket can connect again', { timeout: 10000 }, async (t) => {
  const { server, address: { port } } = await greeter(t, 0, '127.0.0.1');
  const s = track(t, new net.Socket());
  s.setEncoding('utf8');
  let got = '';
  let connects = 0;
  s.on('data', (d) => { got += d; });
  s.on('connect', () => connects++);
  for (let i = 1; i <= 3; i++) {
    const closed = once(s, 'close');
    assert.strictEqual(s.connect(port, '127.0.0.1'), s);
    await closed;
    assert.strictEqual(got, 'hi'.repeat(i));
    assert.strictEqual(connects, i);
  }
  await close(server);
});

test('net.Stream is net.Socket; Server and Socket work with and without new', () => {
  assert.strictEqual(net.Stream, net.Socket);
  const server = net.createServer();
  assert.ok(server instanceof net.Server);
  assert.ok(new net.Server() instanceof net.Server);
  assert.ok(net.Server() instanceof net.Server); // core allows calling Server without new
  // A fresh socket's state matches core's (core reports readyState 'open' before connect()).
  const state = (impl) => {
    const sock = new impl.Socket();
    const r = {
      connecting: sock.connecting,
      pending: sock.pending,
      readyState: sock.readyState,
      destroyed: sock.destroyed,
      readable: sock.readable,
      writable: sock.writable,
      bytesRead: sock.bytesRead,
      bytesWritten: sock.bytesWritten,
      bufferSize: sock.bufferSize,
      remoteAddress: sock.remoteAddress,
      timeout: sock.timeout,
      allowHalfOpen: sock.allowHalfOpen,
    };
    sock.destroy();
    return r;
  };
  assert.deepStrictEqual(state(net), state(require('net')));
});
