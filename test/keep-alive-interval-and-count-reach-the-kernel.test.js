'use strict';
// Scenario: setKeepAlive(enable, initialDelay, interval, count) and setKeepAlive({ enable, initialDelay, interval,
// count }) (Node 24.19+) set TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT on the descriptor, read back with
// getsockopt: the defaults (1 s, 10 probes) when omitted, nothing but SO_KEEPALIVE when any is below 1, stopping
// at the first value the kernel refuses. Asked before connect, or through the keepAlive options, it is applied
// on connect. fastnet does this on every Node; where core does it too (Node 24), the same calls give the same
// values on core's sockets.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const net = require('..');
const { binding } = require('../lib/native');
const { listen, once, track } = require('./helpers');

// core's setKeepAlive has taken interval and count since 24.19
const coreHasInterval = coreNet.Socket.prototype.setKeepAlive.length >= 4;

// The system's values (a fresh socket's), to tell "left as it was" from a value set.
function kernelDefaults() {
  const fs = require('node:fs');
  const read = (name) => Number(fs.readFileSync(`/proc/sys/net/ipv4/tcp_keepalive_${name}`, 'utf8'));
  return { idle: read('time'), interval: read('intvl'), count: read('probes') };
}

const CASES = [
  // [arguments, expected [keepAlive, idle, interval, count] with D = the system's value]
  [[true], [1, 'D', 'D', 'D']],
  [[true, 5000], [1, 5, 1, 10]],
  [[true, 5000, 3000, 4], [1, 5, 3, 4]],
  [[true, 5000, 0, 0], [1, 'D', 'D', 'D']],
  [[true, 0, 3000, 4], [1, 'D', 'D', 'D']],
  [[true, -5000, -3000, -4], [1, 'D', 'D', 'D']],
  [[true, 5000, 500, 1], [1, 'D', 'D', 'D']],              // 500 ms is 0 s
  [[true, 5000, -3000, 4], [1, 5, 1, 4]],                  // a negative interval is not a uint32: the default
  [[true, 5000, 3000, 0], [1, 'D', 'D', 'D']],
  [[true, 5000, 3000, -1], [1, 5, 3, 10]],                 // neither is a negative count
  [[true, 5000, 3000.7, 4.5], [1, 5, 3, 10]],
  [[true, 5000, '3000', '4'], [1, 5, 3, 10]],
  [[true, 5000, NaN, NaN], [1, 'D', 'D', 'D']],
  [[true, 5000, null, null], [1, 'D', 'D', 'D']],
  [[true, 5000, undefined, 4], [1, 5, 1, 4]],
  [[true, 5000, 1e12, 2 ** 33], [1, 5, 'D', 'D']],          // the kernel refuses the interval: stop there
  [[true, 40000000, 3000, 4], [1, 'D', 'D', 'D']],          // ... or the idle time
  [[true, 5000, 3000, 300], [1, 5, 3, 'D']],                // ... or the count (at most 127)
  [[true, 1000, 1000, 1], [1, 1, 1, 1]],
  [[{ enable: true, initialDelay: 7000, interval: 2000, count: 3 }], [1, 7, 2, 3]],
  [[{ enable: true, initialDelay: 7000 }], [1, 7, 1, 10]],
  [[{ enable: true }], [1, 'D', 'D', 'D']],
  [[{}], [0, 'D', 'D', 'D']],
  [['yes', 5000], [1, 5, 1, 10]],
  [[false, 5000, 3000, 4], [0, 'D', 'D', 'D']],
];

function kernelValues(socket) {
  const o = binding.socketOptions(socket._handle.fd);
  assert.strictEqual(typeof o, 'object', `socketOptions: ${o}`);
  return [o.keepAlive, o.keepIdle, o.keepInterval, o.keepCount];
}

function expected(spec, defaults) {
  const d = [null, defaults.idle, defaults.interval, defaults.count];
  return spec.map((v, i) => (v === 'D' ? d[i] : v));
}

// For each case: a fresh connection of `impl`, setKeepAlive(...args) while connected, the values read back.
async function runCases(t, impl) {
  const server = track(t, impl.createServer((s) => s.on('error', () => {})));
  const { port } = await listen(server, 0, '127.0.0.1');
  const results = [];
  for (const [args] of CASES) {
    const client = track(t, impl.connect(port, '127.0.0.1'));
    await once(client, 'connect');
    assert.strictEqual(client.setKeepAlive(...args), client);
    results.push(kernelValues(client));
    client.destroy();
  }
  server.close();
  return results;
}

test('setKeepAlive(enable, initialDelay, interval, count) and its options form: what the kernel holds', async (t) => {
  const defaults = kernelDefaults();
  const fast = await runCases(t, net);
  CASES.forEach(([args, spec], i) => {
    assert.deepStrictEqual(fast[i], expected(spec, defaults), `fastnet setKeepAlive(${JSON.stringify(args)})`);
  });
  if (coreHasInterval) assert.deepStrictEqual(fast, await runCases(t, coreNet));
});

// setKeepAlive asked before connect, the keepAlive constructor options, a server's keepAlive option.
async function beforeConnect(t, impl) {
  const server = track(t, impl.createServer({ keepAlive: true, keepAliveInitialDelay: 4000 }, (s) => s.on('error', () => {})));
  const { port } = await listen(server, 0, '127.0.0.1');
  const out = {};

  const early = track(t, new impl.Socket());
  early.setKeepAlive(true, 9000, 4000, 6);
  const accepted = once(server, 'connection');
  early.connect(port, '127.0.0.1');
  await once(early, 'connect');
  out.early = kernelValues(early);
  out.accepted = kernelValues((await accepted)[0]);

  const objectForm = track(t, new impl.Socket());
  objectForm.setKeepAlive({ enable: true, initialDelay: 2000, interval: 5000, count: 7 });
  objectForm.connect(port, '127.0.0.1');
  await once(objectForm, 'connect');
  out.objectForm = kernelValues(objectForm);

  const option = track(t, new impl.Socket({ keepAlive: true, keepAliveInitialDelay: 3000 }));
  option.connect(port, '127.0.0.1');
  await once(option, 'connect');
  out.option = kernelValues(option);

  const connectOption = track(t, impl.connect({ port, host: '127.0.0.1', keepAlive: true, keepAliveInitialDelay: 6000 }));
  await once(connectOption, 'connect');
  out.connectOption = kernelValues(connectOption);

  // enabled, then disabled before connect: nothing is applied
  const off = track(t, new impl.Socket());
  off.setKeepAlive(true, 9000, 4000, 6).setKeepAlive(false);
  off.connect(port, '127.0.0.1');
  await once(off, 'connect');
  out.off = kernelValues(off);

  for (const s of [early, objectForm, option, connectOption, off]) s.destroy();
  server.close();
  return out;
}

test('keep-alive asked before connect, by the keepAlive options, and by a server: applied on connect', async (t) => {
  const d = kernelDefaults();
  const fast = await beforeConnect(t, net);
  assert.deepStrictEqual(fast, {
    early: [1, 9, 4, 6],
    accepted: [1, 4, 1, 10],
    objectForm: [1, 2, 5, 7],
    option: [1, 3, 1, 10],
    connectOption: [1, 6, 1, 10],
    off: [0, d.idle, d.interval, d.count],
  });
  if (coreHasInterval) assert.deepStrictEqual(fast, await beforeConnect(t, coreNet));
});

test('setKeepAlive hands the handle whole seconds, and undefined for what was omitted', async (t) => {
  const server = track(t, net.createServer((s) => s.on('error', () => {})));
  const { port } = await listen(server, 0, '127.0.0.1');
  const client = track(t, net.connect(port, '127.0.0.1'));
  await once(client, 'connect');
  const calls = [];
  const native = client._handle.setKeepAlive;
  client._handle.setKeepAlive = function(...args) { calls.push(args); return native.apply(this, args); };
  client.setKeepAlive(true, 5000, 10000, 9);
  client.setKeepAlive(true, 5000, 10000, 9);    // unchanged: no call
  client.setKeepAlive(true, 5000);
  client.setKeepAlive({ enable: true, initialDelay: 5999, interval: 2500 });
  client.setKeepAlive(false);
  client.setKeepAlive(false, 1000);             // still disabled: no call
  assert.deepStrictEqual(calls, [
    [true, 5, 10, 9],
    [true, 5, undefined, undefined],
    [true, 5, 2, undefined],
    [false, 0, undefined, undefined],
  ]);
  client.destroy();
  server.close();
});

test('setKeepAlive on a Unix socket and on a destroyed socket: returns the socket, no error', async (t) => {
  const path = require('./helpers').tmpSocketPath('keepalive');
  const server = track(t, net.createServer((s) => s.on('error', () => {})));
  await listen(server, path);
  const client = track(t, net.connect(path));
  await once(client, 'connect');
  assert.strictEqual(client.setKeepAlive(true, 1000, 1000, 3), client);
  assert.strictEqual(client.setKeepAlive({ enable: true, interval: 1 }), client);
  client.destroy();
  assert.strictEqual(client.setKeepAlive(true, 1000, 1000, 3), client);
  server.close();
});
