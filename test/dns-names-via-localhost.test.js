'use strict';
// Scenario: host names go through DNS lookup. 'localhost' works for listen and connect; the 'lookup'
// event reports what was resolved; family and a custom lookup function are honoured; a lookup
// error becomes a socket error shaped like core's. No name here ever leaves the machine.

const test = require('node:test');
const assert = require('node:assert');
const dns = require('node:dns');
const coreNet = require('net');
const net = require('..');
const { listen, close, once, track, errorShape } = require('./helpers');

test('listen and connect on \'localhost\'; the \'lookup\' event reports the address', { timeout: 10000 }, async (t) => {
  const server = track(t, net.createServer((s) => s.end('hi')));
  const address = await listen(server, 0, 'localhost');
  assert.ok(['127.0.0.1', '::1'].includes(address.address), address.address);
  const lookups = [];
  const c = track(t, net.connect(address.port, 'localhost'));
  c.on('lookup', (err, addr, family, host) => lookups.push({ err, addr, family, host }));
  let got = '';
  c.on('data', (d) => { got += d; });
  await once(c, 'connect');
  assert.strictEqual(lookups.length, 1);
  assert.strictEqual(lookups[0].err, null);
  assert.strictEqual(lookups[0].host, 'localhost');
  assert.ok(['127.0.0.1', '::1'].includes(lookups[0].addr));
  assert.strictEqual(lookups[0].family, net.isIP(lookups[0].addr));
  assert.strictEqual(c.remoteAddress, lookups[0].addr);
  await once(c, 'end');
  assert.strictEqual(got, 'hi');
  await close(server);
});

test('family: 4 and family: 6 with \'localhost\'', { timeout: 10000 }, async (t) => {
  const server = track(t, net.createServer((s) => s.end('ok')));
  const { port } = await listen(server, 0); // dual stack: reachable over both families
  // Only test IPv6 'localhost' if the resolver maps it to ::1 here.
  const v6 = await new Promise((resolve) => dns.lookup('localhost', { family: 6 }, (err) => resolve(!err)));
  for (const family of v6 ? [4, 6] : [4]) {
    const c = track(t, net.connect({ port, host: 'localhost', family }));
    await once(c, 'connect');
    assert.strictEqual(c.remoteAddress, family === 4 ? '127.0.0.1' : '::1');
    assert.strictEqual(c.remoteFamily, `IPv${family}`);
    let got = '';
    c.on('data', (d) => { got += d; });
    await once(c, 'end');
    assert.strictEqual(got, 'ok');
  }
  await close(server);
});

test('a custom lookup function is called with the host and its answer is used', { timeout: 10000 }, async (t) => {
  const server = track(t, net.createServer((s) => s.end('ok')));
  const { port } = await listen(server, 0, '127.0.0.1');
  const calls = [];
  const c = track(t, net.connect({
    port,
    host: 'fastnet.test.invalid',
    lookup(host, options, cb) {
      calls.push(host);
      assert.strictEqual(typeof options, 'object');
      if (options.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
      else cb(null, '127.0.0.1', 4);
    },
  }));
  await once(c, 'connect');
  assert.deepStrictEqual(calls, ['fastnet.test.invalid']);
  assert.strictEqual(c.remoteAddress, '127.0.0.1');
  let got = '';
  c.on('data', (d) => { got += d; });
  await once(c, 'end');
  assert.strictEqual(got, 'ok');
  await close(server);
});

test('a lookup error is emitted like core\'s (and \'lookup\' reports it)', { timeout: 10000 }, async (t) => {
  function failingLookup(host, options, cb) {
    const err = new Error(`getaddrinfo ENOTFOUND ${host}`);
    err.code = 'ENOTFOUND';
    err.errno = -3008;
    err.syscall = 'getaddrinfo';
    err.hostname = host;
    process.nextTick(cb, err);
  }
  async function run(impl) {
    const c = track(t, impl.connect({ port: 80, host: 'nowhere.invalid', lookup: failingLookup }));
    const events = [];
    c.on('lookup', (err) => events.push(`lookup ${err && err.code}`));
    c.on('connect', () => events.push('connect'));
    const [err] = await once(c, 'error');
    events.push('error');
    await once(c, 'close');
    events.push('close');
    return { events, shape: errorShape(err), hostname: err.hostname };
  }
  const core = await run(coreNet);
  const fast = await run(net);
  assert.deepStrictEqual(fast, core);
  assert.strictEqual(fast.shape.code, 'ENOTFOUND');
});
