'use strict';
// Scenario: the happy-eyeballs events ('connectionAttempt', 'connectionAttemptFailed',
// 'connectionAttemptTimeout') come with core's arguments and in core's order relative to 'lookup',
// 'connect', 'error' and 'close': on one address, on a Unix socket path, and on each attempt of an
// autoSelectFamily connect (a custom lookup giving 127.0.0.1 and ::1). Each case runs with core net
// and with fastnet in the same test, and the two event traces must be equal.

const test = require('node:test');
const assert = require('node:assert');
const { spawn } = require('node:child_process');
const coreNet = require('net');
const net = require('..');
const { listen, close, freePort, tmpSocketPath, track } = require('./helpers');

const EVENTS = ['lookup', 'connectionAttempt', 'connectionAttemptFailed', 'connectionAttemptTimeout',
  'connect', 'ready', 'error', 'close'];

function describe(arg) {
  if (!(arg instanceof Error)) return arg;
  const { constructor, message, code, syscall, address, port } = arg;
  const shape = { ctor: constructor.name, message, code, syscall, address, port };
  if (arg.errors) shape.errors = arg.errors.map(describe);
  return shape;
}

// Connect a new impl.Socket with `options` (listeners are in place before connect(), so events emitted
// synchronously by a synchronous lookup are seen too); resolve with every event and its arguments.
// `hook(socket)` may add behaviour, e.g. destroy the socket at some point.
function trace(t, impl, options, hook) {
  return new Promise((resolve, reject) => {
    const socket = track(t, new impl.Socket());
    const events = [];
    for (const name of EVENTS) socket.on(name, (...args) => events.push([name, ...args.map(describe)]));
    socket.on('connect', () => socket.destroy());
    socket.on('close', () => resolve({ events, attempted: socket.autoSelectFamilyAttemptedAddresses }));
    if (hook) hook(socket);
    socket.connect(options);
    setTimeout(() => reject(new Error(`no 'close' within 5 s; events so far: ${JSON.stringify(events)}`)), 5000).unref();
  });
}

async function compare(t, options, hook) {
  const core = await trace(t, coreNet, options, hook);
  const fast = await trace(t, net, options, hook);
  assert.deepStrictEqual(fast, core);
  return core.events;
}
const names = (events) => events.map(([name]) => name);

// A lookup answering with `addresses` (all of them when asked for all), on the next turn of the loop.
const lookupGiving = (...addresses) => (host, opts, cb) => {
  setImmediate(() => (opts.all ? cb(null, addresses) : cb(null, addresses[0].address, addresses[0].family)));
};
const V4 = { address: '127.0.0.1', family: 4 };
const V6 = { address: '::1', family: 6 };
// TCP to a multicast address: the kernel refuses the connect synchronously (ENETUNREACH), before anything is
// sent, so it gives a synchronous connect failure without touching any network. (A link-local address without
// a scope id did too, with libuv 1.46; newer libuv, in Node 22+, fills in a scope id and the connect waits.)
const UNREACHABLE = { address: '224.0.0.1', family: 4 };
const multi = (port, ...addresses) =>
  ({ host: 'example.test', port, autoSelectFamily: true, lookup: lookupGiving(...addresses) });

async function acceptingServer(t, host) {
  const server = track(t, coreNet.createServer((s) => s.destroy()));
  const { port } = await listen(server, 0, host);
  return { server, port };
}

test('one address: attempt, then failed, error and close when refused', { timeout: 10000 }, async (t) => {
  const port = await freePort();
  const events = await compare(t, { host: '127.0.0.1', port });
  assert.deepStrictEqual(events[0], ['connectionAttempt', '127.0.0.1', port, 4]);
  assert.deepStrictEqual(names(events), ['connectionAttempt', 'connectionAttemptFailed', 'error', 'close']);
});

test('one address: attempt, then connect', { timeout: 10000 }, async (t) => {
  const { port } = await acceptingServer(t, '127.0.0.1');
  const events = await compare(t, { host: '127.0.0.1', port, localAddress: '127.0.0.1' });
  assert.deepStrictEqual(names(events), ['connectionAttempt', 'connect', 'ready', 'close']);
});

test('one address from a lookup: lookup, attempt, failed', { timeout: 10000 }, async (t) => {
  const port = await freePort();
  await compare(t, { host: 'example.test', port, autoSelectFamily: false, lookup: lookupGiving(V4) });
  // autoSelectFamily with one address found falls back to the one-address path
  await compare(t, multi(port, V4));
});

test('one address: a synchronous connect failure emits no connectionAttemptFailed', { timeout: 10000 }, async (t) => {
  const events = await compare(t, { host: UNREACHABLE.address, port: 9 });
  assert.deepStrictEqual(names(events), ['connectionAttempt', 'error', 'close']);
});

test('Unix socket path: attempt and failed carry the path, no port or family', { timeout: 10000 }, async (t) => {
  const path = tmpSocketPath('attempt-events');
  const events = await compare(t, { path });
  assert.deepStrictEqual(events[0], ['connectionAttempt', path, undefined, undefined]);
  assert.deepStrictEqual(names(events), ['connectionAttempt', 'connectionAttemptFailed', 'error', 'close']);
  const server = track(t, coreNet.createServer((s) => s.destroy()));
  await listen(server, path);
  await compare(t, { path });
  await close(server);
});

test('autoSelectFamily: each refused attempt, then the AggregateError', { timeout: 10000 }, async (t) => {
  const port = await freePort();
  const events = await compare(t, multi(port, V4, V6));
  assert.deepStrictEqual(names(events), ['lookup', 'lookup', 'connectionAttempt', 'connectionAttemptFailed',
    'connectionAttempt', 'connectionAttemptFailed', 'error', 'close']);
});

test('autoSelectFamily: the first address refuses, the second connects', { timeout: 10000 }, async (t) => {
  const { port } = await acceptingServer(t, '::1');
  await compare(t, multi(port, V4, V6));
});

test('autoSelectFamily: the first address connects', { timeout: 10000 }, async (t) => {
  const { port } = await acceptingServer(t, '127.0.0.1');
  await compare(t, multi(port, V4, V6));
});

test('autoSelectFamily: a synchronous connect failure is reported, then the next address', { timeout: 10000 }, async (t) => {
  const { port } = await acceptingServer(t, '127.0.0.1');
  const events = await compare(t, multi(port, UNREACHABLE, V4));
  assert.deepStrictEqual(names(events), ['lookup', 'lookup', 'connectionAttempt', 'connectionAttemptFailed',
    'connectionAttempt', 'connect', 'ready', 'close']);
});

test('destroyed during an attempt (which then fails with ECANCELED) or by a listener', { timeout: 10000 }, async (t) => {
  const port = await freePort();
  const destroyOnAttempt = (s) => s.once('connectionAttempt', () => process.nextTick(() => s.destroy()));
  const events = await compare(t, multi(port, V4, V6), destroyOnAttempt);
  assert.deepStrictEqual(names(events), ['lookup', 'lookup', 'connectionAttempt', 'connectionAttemptFailed', 'close']);
  assert.strictEqual(events[3][4].code, 'ECANCELED');
  const destroyOnFailure = (s) => s.once('connectionAttemptFailed', () => s.destroy());
  await compare(t, multi(port, V4, V6), destroyOnFailure);
  // On one address too: the socket is destroyed without an error, and only once.
  await compare(t, { host: '127.0.0.1', port }, destroyOnFailure);
});

// A TCP listener on 127.0.0.1 that never accepts: its process blocks right after listening, so once its
// accept queue is full the kernel drops further SYNs and a connect there stays pending, on loopback.
async function unansweredPort(t) {
  const child = spawn(process.execPath, ['-e', `
    const server = require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
      process.stdout.write(server.address().port + '\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);
    });`], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(Number(d)));
    child.once('exit', () => reject(new Error('listener process exited')));
  });
  // Fill the accept queue: connect until a connect stays pending.
  for (let i = 0; i < 64; i++) {
    const filler = track(t, coreNet.connect(port, '127.0.0.1'));
    const connected = await new Promise((resolve) => {
      filler.once('connect', () => resolve(true));
      setTimeout(resolve, 500, false);
    });
    if (!connected) return port;
  }
  throw new Error('the accept queue never filled');
}

test('autoSelectFamily: an attempt that times out, then the next address', { timeout: 20000 }, async (t) => {
  const port = await unansweredPort(t);
  const options = { ...multi(port, V4, V6), autoSelectFamilyAttemptTimeout: 10 };
  // Nothing on ::1: the timeout's ETIMEDOUT, then ECONNREFUSED, make the AggregateError.
  const events = await compare(t, options);
  assert.deepStrictEqual(events[3], ['connectionAttemptTimeout', '127.0.0.1', port, 4]);
  assert.deepStrictEqual(names(events), ['lookup', 'lookup', 'connectionAttempt', 'connectionAttemptTimeout',
    'connectionAttempt', 'connectionAttemptFailed', 'error', 'close']);
  // A server on ::1: the second attempt connects.
  const server = track(t, coreNet.createServer((s) => s.destroy()));
  await listen(server, port, '::1');
  const events2 = await compare(t, options);
  assert.deepStrictEqual(names(events2), ['lookup', 'lookup', 'connectionAttempt', 'connectionAttemptTimeout',
    'connectionAttempt', 'connect', 'ready', 'close']);
  // Destroyed by a 'connectionAttemptTimeout' listener: no further attempt, and still a 'close'.
  const events3 = await compare(t, options, (s) => s.once('connectionAttemptTimeout', () => s.destroy()));
  assert.deepStrictEqual(names(events3), ['lookup', 'lookup', 'connectionAttempt', 'connectionAttemptTimeout', 'close']);
});
