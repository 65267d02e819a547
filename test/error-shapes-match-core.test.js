'use strict';
// Scenario: errors look exactly like core's. ECONNREFUSED, ENOENT and EADDRINUSE are provoked with
// core net and with fastnet in the same test and compared field by field (constructor, message,
// code, errno, syscall, address, port, own keys), as are the events around them. Invalid arguments
// must throw the same error (constructor, name, code, message) as core.
//
// `require('net')` here is always core: this file is not inside lib/, and Node's suite runner only
// swaps `net` for Node's own tests.

const test = require('node:test');
const assert = require('node:assert');
const util = require('node:util');
const coreNet = require('net');
const net = require('..');
const { listen, close, freePort, tmpSocketPath, errorShape, thrownShape, track } = require('./helpers');

// Connect with impl, expecting failure. Listeners are attached after connect() returns, in the same
// tick, so an error emitted synchronously would be missed (core emits asynchronously).
function connectFailure(t, impl, ...args) {
  return new Promise((resolve, reject) => {
    const events = [];
    let socket;
    try {
      socket = track(t, impl.connect(...args));
    } catch (err) {
      reject(new Error(`connect() threw synchronously: ${err.message}`));
      return;
    }
    let error;
    socket.on('connect', () => events.push('connect'));
    socket.on('error', (err) => { events.push('error'); error = err; });
    socket.on('close', (hadError) => {
      events.push(`close(${hadError})`);
      resolve({ shape: errorShape(error), events, instanceofError: error instanceof Error });
    });
    setTimeout(() => reject(new Error('no close event within 5 s')), 5000).unref();
  });
}

async function compareConnectFailure(t, expectedCode, ...args) {
  const core = await connectFailure(t, coreNet, ...args);
  const fast = await connectFailure(t, net, ...args);
  assert.strictEqual(core.shape.code, expectedCode); // sanity: core really failed this way
  assert.strictEqual(fast.instanceofError, true);
  assert.deepStrictEqual(fast.shape, core.shape);
  assert.deepStrictEqual(fast.events, core.events);
  return fast.shape;
}

test('ECONNREFUSED over IPv4 matches core', { timeout: 10000 }, async (t) => {
  const port = await freePort('127.0.0.1');
  const shape = await compareConnectFailure(t, 'ECONNREFUSED', port, '127.0.0.1');
  assert.strictEqual(shape.message, `connect ECONNREFUSED 127.0.0.1:${port}`);
  assert.strictEqual(shape.syscall, 'connect');
  assert.strictEqual(shape.address, '127.0.0.1');
  assert.strictEqual(shape.port, port);
  assert.strictEqual(shape.ctor, 'Error');
});

test('ECONNREFUSED over IPv6 matches core (options form)', { timeout: 10000 }, async (t) => {
  const port = await freePort('::1');
  const shape = await compareConnectFailure(t, 'ECONNREFUSED', { port, host: '::1' });
  assert.strictEqual(shape.message, `connect ECONNREFUSED ::1:${port}`);
});

test('connecting to a missing Unix socket path matches core (ENOENT)', { timeout: 10000 }, async (t) => {
  const p = tmpSocketPath('missing');
  const shape = await compareConnectFailure(t, 'ENOENT', p);
  assert.strictEqual(shape.address, p);
  assert.strictEqual(shape.syscall, 'connect');
});

test('the AggregateError of a failed autoSelectFamily connect matches core', { timeout: 10000 }, async (t) => {
  const port = await freePort('127.0.0.1');
  const lookup = (host, opts, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]);
  const options = { host: 'example.test', port, autoSelectFamily: true, lookup };
  const errorOf = (impl) => new Promise((resolve) => {
    track(t, impl.connect(options)).on('error', resolve);
  });
  const core = await errorOf(coreNet);
  const fast = await errorOf(net);
  assert.strictEqual(core.constructor, AggregateError);
  assert.strictEqual(fast.constructor, AggregateError);
  assert.deepStrictEqual(errorShape(fast), errorShape(core));
  // The code shows in the stack's header even with an empty message, as does util.inspect's first line.
  assert.strictEqual(errorShape(fast).stackHead, 'AggregateError [ECONNREFUSED]: ');
  const firstLine = (err) => util.inspect(err).split('\n')[0];
  assert.strictEqual(firstLine(fast), firstLine(core));
  assert.deepStrictEqual(fast.errors.map(errorShape), core.errors.map(errorShape));
});

// Listen with impl on args, expecting failure; same asynchrony rule as connectFailure.
function listenFailure(t, impl, ...args) {
  return new Promise((resolve, reject) => {
    const server = track(t, impl.createServer());
    const ret = server.listen(...args);
    assert.strictEqual(ret, server);
    server.on('listening', () => reject(new Error('listen succeeded on a port in use')));
    server.on('error', (err) => {
      resolve({ shape: errorShape(err), listening: server.listening, instanceofError: err instanceof Error });
    });
    setTimeout(() => reject(new Error('no error event within 5 s')), 5000).unref();
  });
}

test('EADDRINUSE over TCP matches core, whichever of core and fastnet holds the port', { timeout: 10000 }, async (t) => {
  // Core holds the port: core and fastnet both fail to listen on it.
  const coreHolder = track(t, coreNet.createServer());
  const { port } = await listen(coreHolder, 0, '127.0.0.1');
  const coreOnCore = await listenFailure(t, coreNet, port, '127.0.0.1');
  const fastOnCore = await listenFailure(t, net, port, '127.0.0.1');
  await close(coreHolder);
  assert.strictEqual(coreOnCore.shape.code, 'EADDRINUSE');
  assert.strictEqual(coreOnCore.shape.message, `listen EADDRINUSE: address already in use 127.0.0.1:${port}`);
  assert.deepStrictEqual(fastOnCore, coreOnCore);

  // fastnet holds a port: core and fastnet both fail exactly as they did against core.
  const fastHolder = track(t, net.createServer());
  const { port: port2 } = await listen(fastHolder, { port: 0, host: '127.0.0.1' });
  const coreOnFast = await listenFailure(t, coreNet, { port: port2, host: '127.0.0.1' });
  const fastOnFast = await listenFailure(t, net, { port: port2, host: '127.0.0.1' });
  await close(fastHolder);
  assert.strictEqual(coreOnFast.shape.code, 'EADDRINUSE');
  assert.deepStrictEqual(fastOnFast, coreOnFast);
  // ...and, the port number aside, exactly like core failing against core.
  const portless = ({ ctor, name, code, errno, syscall, address, keys }) =>
    ({ ctor, name, code, errno, syscall, address, keys });
  assert.deepStrictEqual(portless(fastOnFast.shape), portless(coreOnCore.shape));
  assert.strictEqual(fastOnFast.shape.message, `listen EADDRINUSE: address already in use 127.0.0.1:${port2}`);
});

test('EADDRINUSE on a Unix socket path matches core', { timeout: 10000 }, async (t) => {
  const p = tmpSocketPath('inuse');
  const holder = track(t, coreNet.createServer());
  await listen(holder, p);
  const core = await listenFailure(t, coreNet, p);
  const fast = await listenFailure(t, net, p);
  await close(holder);
  assert.strictEqual(core.shape.code, 'EADDRINUSE');
  assert.deepStrictEqual(fast, core);
});

// Invalid arguments: each case is run against core and fastnet; both must throw the same error.
// Every case must make core throw (checked), so no comparison is vacuous.
const INVALID = {
  'connect({ port: -1 })': (n) => n.connect({ port: -1 }),
  "connect({ port: 'abc' })": (n) => n.connect({ port: 'abc' }),
  'connect(65536)': (n) => n.connect(65536),
  'connect({ port: 1.5 })': (n) => n.connect({ port: 1.5 }),
  'new Socket().connect()': (n) => new n.Socket().connect(),
  'connect({})': (n) => n.connect({}),
  'createConnection()': (n) => n.createConnection(),
  'connect({ port: 80, host: 123 })': (n) => n.connect({ port: 80, host: 123 }),
  'connect({ path: 123 })': (n) => n.connect({ path: 123 }),
  "connect({ port: 80, localAddress: 'foo' })": (n) => n.connect({ port: 80, localAddress: 'foo' }),
  "connect({ port: 80, localPort: 'x' })": (n) => n.connect({ port: 80, localPort: 'x' }),
  'connect({ port: 80, family: 5 })': (n) => n.connect({ port: 80, family: 5 }),
  "connect({ port: 80, lookup: 'x' })": (n) => n.connect({ port: 80, lookup: 'x' }),
  'listen({ port: 65536 })': (n) => n.createServer().listen({ port: 65536 }),
  'listen(-1)': (n) => n.createServer().listen(-1),
  'listen({})': (n) => n.createServer().listen({}),
  "createServer('x')": (n) => n.createServer('x'),
  "setTimeout('x')": (n) => new n.Socket().setTimeout('x'),
  'setTimeout(-1)': (n) => new n.Socket().setTimeout(-1),
  "setTimeout(10, 'notfn')": (n) => new n.Socket().setTimeout(10, 'notfn'),
  'write(123)': (n) => new n.Socket().write(123),
  'write(null)': (n) => new n.Socket().write(null),
  'write({})': (n) => new n.Socket().write({}),
};

for (const [label, fn] of Object.entries(INVALID)) {
  test(`invalid arguments: ${label} throws what core throws`, () => {
    const core = thrownShape(() => fn(coreNet));
    const fast = thrownShape(() => fn(net));
    assert.strictEqual(core.threw, true, `core did not throw for ${label}`);
    assert.deepStrictEqual(fast, core);
  });
}
