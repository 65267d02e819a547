'use strict';
// Scenario: a client connect asks for a localPort that is already in use. libuv does not fail the bind
// (it reports EADDRINUSE later and the connect binds a random port), so core checks the bound port and
// fails with `bind EADDRINUSE <localAddress>:<localPort>` before any connect attempt. With autoSelectFamily,
// that bind error is recorded and the next address is tried. Compared with core net in the same test.

const test = require('node:test');
const assert = require('node:assert');
const util = require('node:util');
const coreNet = require('net');
const net = require('..');
const { listen, errorShape, track } = require('./helpers');

const EVENTS = ['lookup', 'connectionAttempt', 'connectionAttemptFailed', 'connect', 'error', 'close'];

// Connect with impl; resolve with the events' names, the error's shape (and its errors') and the local port.
function outcome(t, impl, options) {
  return new Promise((resolve, reject) => {
    const socket = track(t, new impl.Socket());
    const events = [];
    let error;
    let localPort;
    for (const name of EVENTS) socket.on(name, () => events.push(name));
    socket.on('error', (err) => { error = err; });
    socket.on('connect', () => { localPort = socket.localPort; socket.destroy(); });
    socket.on('close', () => resolve({
      events,
      localPort,
      error: error && {
        ...errorShape(error),
        errors: error.errors?.map(errorShape),
        inspected: util.inspect(error).split('\n')[0],
      },
    }));
    socket.connect(options);
    setTimeout(() => reject(new Error('no close event within 5 s')), 5000).unref();
  });
}

// A server per implementation, so core's connection and fastnet's never share a 4-tuple.
async function targets(t, host) {
  const ports = [];
  for (let i = 0; i < 2; i++) {
    const server = track(t, coreNet.createServer((s) => s.destroy()));
    ports.push((await listen(server, 0, host)).port);
  }
  return ports;
}

async function portInUse(t, host) {
  const holder = track(t, coreNet.createServer());
  return (await listen(holder, 0, host)).port;
}

const lookupGiving = (...addresses) => (host, opts, cb) => setImmediate(cb, null, addresses);
const V4 = { address: '127.0.0.1', family: 4 };
const V6 = { address: '::1', family: 6 };

for (const localAddress of ['127.0.0.1', undefined]) {
  test(`one address, localAddress ${localAddress}: bind EADDRINUSE, no attempt`, { timeout: 10000 }, async (t) => {
    const used = await portInUse(t, '127.0.0.1');
    const [corePort, fastPort] = await targets(t, '127.0.0.1');
    const core = await outcome(t, coreNet, { host: '127.0.0.1', port: corePort, localAddress, localPort: used });
    const fast = await outcome(t, net, { host: '127.0.0.1', port: fastPort, localAddress, localPort: used });
    assert.deepStrictEqual(fast, core);
    const bound = localAddress || '0.0.0.0';
    assert.deepStrictEqual(fast.events, ['error', 'close']);
    assert.strictEqual(fast.error.message, `bind EADDRINUSE ${bound}:${used}`);
    assert.strictEqual(fast.error.syscall, 'bind');
    assert.strictEqual(fast.error.address, bound);
    assert.strictEqual(fast.error.port, used);
  });
}

test('one address: a free localPort is the one the connection uses', { timeout: 10000 }, async (t) => {
  const [corePort, fastPort] = await targets(t, '127.0.0.1');
  const free = await portInUse(t, '::1');   // held on ::1 only, so free on 127.0.0.1
  const core = await outcome(t, coreNet, { host: '127.0.0.1', port: corePort, localAddress: '127.0.0.1', localPort: free });
  const fast = await outcome(t, net, { host: '127.0.0.1', port: fastPort, localAddress: '127.0.0.1', localPort: free });
  assert.deepStrictEqual(fast, core);
  assert.strictEqual(fast.localPort, free);
});

test('autoSelectFamily: the bind error is recorded and the next address connects', { timeout: 10000 }, async (t) => {
  // Held on ::1: binding [::]:port fails, binding 0.0.0.0:port does not.
  const used = await portInUse(t, '::1');
  const [corePort, fastPort] = await targets(t, '127.0.0.1');
  const options = (port) =>
    ({ host: 'example.test', port, localPort: used, autoSelectFamily: true, lookup: lookupGiving(V6, V4) });
  const core = await outcome(t, coreNet, options(corePort));
  const fast = await outcome(t, net, options(fastPort));
  assert.deepStrictEqual(fast, core);
  assert.deepStrictEqual(fast.events, ['lookup', 'lookup', 'connectionAttempt', 'connect', 'close']);
  assert.strictEqual(fast.localPort, used);
});

test('autoSelectFamily: every bind fails, an AggregateError of bind errors', { timeout: 10000 }, async (t) => {
  const used = await portInUse(t, '127.0.0.1');   // 0.0.0.0 and dual-stack [::] both conflict
  const [corePort, fastPort] = await targets(t, '127.0.0.1');
  const options = (port) =>
    ({ host: 'example.test', port, localPort: used, autoSelectFamily: true, lookup: lookupGiving(V4, V6) });
  const core = await outcome(t, coreNet, options(corePort));
  const fast = await outcome(t, net, options(fastPort));
  assert.deepStrictEqual(fast, core);
  assert.deepStrictEqual(fast.events, ['lookup', 'lookup', 'error', 'close']);
  assert.deepStrictEqual(fast.error.errors.map((e) => e.message),
                         [`bind EADDRINUSE 0.0.0.0:${used}`, `bind EADDRINUSE :::${used}`]);
});
