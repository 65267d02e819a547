'use strict';
// Scenario: listen(0) and its variants pick an ephemeral port; the 'listening' event and the listen
// callback fire once; address() and listening reflect the state before, during and after.

const test = require('node:test');
const assert = require('node:assert');
const net = require('..');
const { listen, close, once, track } = require('./helpers');

test('listen(0, host, cb) picks a free port; two servers get different ports', { timeout: 10000 }, async (t) => {
  const a = track(t, net.createServer());
  const b = track(t, net.createServer());
  assert.strictEqual(a.address(), null);
  assert.strictEqual(a.listening, false);
  let listeningEvents = 0;
  a.on('listening', () => listeningEvents++);
  const ret = await new Promise((resolve) => {
    const r = a.listen(0, '127.0.0.1', function () {
      assert.strictEqual(this, a);
      assert.strictEqual(arguments.length, 0);
      resolve(r);
    });
  });
  assert.strictEqual(ret, a);
  await listen(b, 0, '127.0.0.1');
  assert.strictEqual(listeningEvents, 1);
  assert.strictEqual(a.listening, true);
  const pa = a.address().port;
  const pb = b.address().port;
  assert.ok(pa > 0 && pa < 65536 && pb > 0 && pb < 65536);
  assert.notStrictEqual(pa, pb);
  await close(a);
  await close(b);
  assert.strictEqual(a.listening, false);
  assert.strictEqual(listeningEvents, 1);
});

test('listen() with no arguments listens on an ephemeral port on every interface', { timeout: 10000 }, async (t) => {
  const server = track(t, net.createServer((s) => s.end('hi')));
  const address = await listen(server);
  assert.ok(address.port > 0);
  // Dual stack: '::' (IPv6 any) when IPv6 is available, else '0.0.0.0'.
  assert.ok(['::', '0.0.0.0'].includes(address.address), address.address);
  // Reachable through IPv4 loopback either way.
  const c = track(t, net.connect(address.port, '127.0.0.1'));
  c.setEncoding('utf8');
  let got = '';
  c.on('data', (d) => { got += d; });
  await once(c, 'end');
  assert.strictEqual(got, 'hi');
  await close(server);
});

test('listen({ port: 0 }) and listen(0) variants', { timeout: 10000 }, async (t) => {
  const cases = [
    [{ port: 0, host: '127.0.0.1' }, '127.0.0.1', 'IPv4'],
    [{ port: 0, host: '::1' }, '::1', 'IPv6'],
    [{ port: 0, host: '::1', ipv6Only: true }, '::1', 'IPv6'],
  ];
  for (const [options, address, family] of cases) {
    const server = track(t, net.createServer());
    const a = await listen(server, options);
    assert.deepStrictEqual(a, { address, family, port: a.port }, JSON.stringify(options));
    assert.ok(a.port > 0);
    await close(server);
  }
  // String port '0'
  const server = track(t, net.createServer());
  const a = await listen(server, '0', '127.0.0.1');
  assert.ok(a.port > 0);
  await close(server);
});

test('a server can listen again after close(), on a new ephemeral port', { timeout: 10000 }, async (t) => {
  const server = track(t, net.createServer((s) => s.end(String(s.localPort))));
  for (let i = 0; i < 3; i++) {
    const { port } = await listen(server, 0, '127.0.0.1');
    const c = track(t, net.connect(port, '127.0.0.1'));
    let got = '';
    c.on('data', (d) => { got += d; });
    await once(c, 'end');
    assert.strictEqual(got, String(port));
    await close(server);
  }
});
