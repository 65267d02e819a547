'use strict';
// Scenario: new net.BoundSocket(options) (Node 24.19+, `path` 24.20+) binds at once: address() gives the bound
// address (an ephemeral port resolved) or path, fd() its descriptor, isPipe which it is; every failure is thrown
// by the constructor, a port in use included (libuv would only tell at listen). Bad options throw core's errors,
// and once closed every method throws ERR_SOCKET_HANDLE_ADOPTED (Symbol.dispose does nothing). fastnet offers it
// on every Node; on Node 24, core's gives the same values and errors.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const coreNet = require('node:net');
const net = require('..');
const { listen, track, tmpSocketPath, errorShape } = require('./helpers');

const BoundSocket = net.BoundSocket || require('../lib/bound').BoundSocket;
const CoreBoundSocket = coreNet.BoundSocket;

// What `new Bound(options)` gives: its address and kind (then closed), or its error without the stack.
function outcome(Bound, options, { portToken } = {}) {
  let bound;
  try {
    bound = new Bound(options);
  } catch (err) {
    const { stackHead, ...shape } = errorShape(err);
    if (portToken) {
      for (const k of ['message', 'string']) shape[k] = shape[k].replaceAll(String(portToken), 'PORT');
      if (shape.port === portToken) shape.port = 'PORT';
    }
    return shape;
  }
  const address = bound.address();
  const result = { isPipe: bound.isPipe, fdIsNumber: Number.isInteger(bound.fd()) && bound.fd() > 2 };
  if (typeof address === 'string') result.address = address;
  else result.address = { ...address, port: address.port > 0 ? 'EPHEMERAL' : address.port };
  bound.close();
  return result;
}

const TCP_CASES = [
  undefined, {}, { port: 0 }, { host: '127.0.0.1' }, { host: '127.0.0.1', port: 0 }, { host: '::1' },
  { host: '::' }, { ipv6Only: true }, { ipv6Only: true, host: '::1' }, { reusePort: true },
  { host: '127.0.0.1', reusePort: true, ipv6Only: false }, { port: '0' }, { host: null }, { port: null },
  // refused
  { host: 'localhost' }, { host: 1234 }, { host: '' }, 0, null, 'x', [], { port: -1 }, { port: 65536 },
  { port: 'abc' }, { port: 1.5 }, { ipv6Only: 'yes' }, { reusePort: 1 }, { host: '192.0.2.1' },
];
// ipv6Only means nothing to an IPv4 bind
TCP_CASES.splice(14, 0, { host: '127.0.0.1', ipv6Only: true });

test('TCP binds: the bound address, or core\'s error', () => {
  const fast = TCP_CASES.map((options) => outcome(BoundSocket, options));
  const expectAddress = (address, family) => ({ isPipe: false, fdIsNumber: true, address: { address, family, port: 'EPHEMERAL' } });
  assert.deepStrictEqual(fast.slice(0, 15), [
    expectAddress('0.0.0.0', 'IPv4'), expectAddress('0.0.0.0', 'IPv4'), expectAddress('0.0.0.0', 'IPv4'),
    expectAddress('127.0.0.1', 'IPv4'), expectAddress('127.0.0.1', 'IPv4'), expectAddress('::1', 'IPv6'),
    expectAddress('::', 'IPv6'), expectAddress('::', 'IPv6'), expectAddress('::1', 'IPv6'),
    expectAddress('0.0.0.0', 'IPv4'), expectAddress('127.0.0.1', 'IPv4'), expectAddress('0.0.0.0', 'IPv4'),
    expectAddress('0.0.0.0', 'IPv4'), expectAddress('0.0.0.0', 'IPv4'), expectAddress('127.0.0.1', 'IPv4'),
  ]);
  assert.deepStrictEqual(fast.slice(15).map((r) => r.code), [
    'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_ARG_TYPE',
    'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE', 'ERR_SOCKET_BAD_PORT',
    'ERR_SOCKET_BAD_PORT', 'ERR_SOCKET_BAD_PORT', 'ERR_SOCKET_BAD_PORT', 'ERR_INVALID_ARG_TYPE',
    'ERR_INVALID_ARG_TYPE', 'EADDRNOTAVAIL',
  ]);
  assert.strictEqual(fast[28].message, 'bind EADDRNOTAVAIL 192.0.2.1');
  assert.strictEqual(fast[28].syscall, 'bind');
  if (CoreBoundSocket) assert.deepStrictEqual(fast, TCP_CASES.map((options) => outcome(CoreBoundSocket, options)));
});

test('a port a server listens on: EADDRINUSE from the constructor; two binds that do not listen share a port', async (t) => {
  const server = track(t, coreNet.createServer());
  const { port } = await listen(server, 0, '127.0.0.1');
  const fast = outcome(BoundSocket, { host: '127.0.0.1', port }, { portToken: port });
  assert.strictEqual(fast.code, 'EADDRINUSE');
  assert.strictEqual(fast.syscall, 'bind');
  assert.strictEqual(fast.message, 'bind EADDRINUSE 127.0.0.1:PORT');
  if (CoreBoundSocket) assert.deepStrictEqual(fast, outcome(CoreBoundSocket, { host: '127.0.0.1', port }, { portToken: port }));
  server.close();

  const a = new BoundSocket({ host: '127.0.0.1', port: 0 });
  const b = new BoundSocket({ host: '127.0.0.1', port: a.address().port });
  assert.strictEqual(b.address().port, a.address().port);
  a.close();
  b.close();
  // closed: the port can be bound again at once
  const again = new BoundSocket({ host: '127.0.0.1', port });
  assert.strictEqual(again.address().port, port);
  again.close();
});

test('Unix socket binds: the path, or core\'s error', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fastnet-bound-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (Bound, tag) => {
    const p = path.join(dir, `${tag}.sock`);
    const results = [];
    const first = new Bound({ path: p });
    results.push([first.isPipe, first.address() === p, fs.statSync(p).isSocket()]);
    results.push(outcome(Bound, { path: p }));                     // taken
    first.close();
    results.push(fs.existsSync(p));                                 // close() removes the file
    const abstract = `\0fastnet-bound-${tag}-${process.pid}`;
    results.push(outcome(Bound, { path: abstract }));
    for (const options of [
      { path: path.join(dir, 'nope', 'child.sock') }, { path: path.join(dir, 'x'.repeat(2000)) },
      { path: 1234 }, { path: null }, { path: '' }, { path: p, host: '127.0.0.1' }, { path: p, port: 0 },
      { path: p, ipv6Only: false }, { path: p, reusePort: true }, { path: p, host: undefined },
    ]) {
      const r = outcome(Bound, options);
      for (const k of ['message', 'string', 'address']) {
        if (typeof r[k] === 'string') r[k] = r[k].replaceAll(dir, 'DIR').replaceAll(tag, 'TAG');
      }
      results.push(r);
    }
    return results;
  };
  const fast = run(BoundSocket, 'fast');
  assert.deepStrictEqual(fast[0], [true, true, true]);
  assert.strictEqual(fast[1].code, 'EADDRINUSE');
  assert.strictEqual(fast[1].message, 'bind EADDRINUSE');
  assert.strictEqual(fast[2], false);
  assert.deepStrictEqual(fast[3], { isPipe: true, fdIsNumber: true, address: `\0fastnet-bound-fast-${process.pid}` });
  // '' binds an abstract name the kernel chooses (Linux autobind) where the running Node's libuv does (1.49+);
  // address() still says ''. Older libuv refuses it.
  const [uvMajor, uvMinor] = process.versions.uv.split('.').map(Number);
  const autobind = uvMajor > 1 || uvMinor >= 49;
  if (autobind) assert.deepStrictEqual(fast[8], { isPipe: true, fdIsNumber: true, address: '' });
  assert.deepStrictEqual(fast.slice(4).map((r) => r.code), [
    'EACCES', 'EINVAL', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE', autobind ? undefined : 'EINVAL', 'ERR_INVALID_ARG_VALUE',
    'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_ARG_VALUE', undefined,
  ]);
  if (CoreBoundSocket) {
    const core = run(CoreBoundSocket, 'core');
    core[3].address = core[3].address.replace('core', 'fast');
    assert.deepStrictEqual(fast, core);
  }
});

test('closed: address(), fd() and close() throw ERR_SOCKET_HANDLE_ADOPTED; dispose does nothing', () => {
  const check = (Bound) => {
    const out = [];
    for (const options of [{ host: '127.0.0.1' }, { path: tmpSocketPath('bound-closed') }]) {
      const bound = new Bound(options);
      out.push(typeof bound.fd());
      bound.close();
      for (const m of ['address', 'fd', 'close']) {
        try { bound[m](); out.push(`${m}: no error`); } catch (err) { out.push(`${m}: ${err.name} ${err.code} ${err.message}`); }
      }
      bound[Symbol.dispose]();
      out.push('disposed');
      const other = new Bound(options);
      other[Symbol.dispose]();      // dispose closes an unadopted one
      try { other.fd(); } catch (err) { out.push(`after dispose: ${err.code}`); }
    }
    out.push('isPipe' in Bound.prototype, typeof Bound.prototype[Symbol.dispose]);
    return out;
  };
  const fast = check(BoundSocket);
  const adopted = 'Error ERR_SOCKET_HANDLE_ADOPTED The bound socket has already been adopted by a server or socket';
  const one = ['number', `address: ${adopted}`, `fd: ${adopted}`, `close: ${adopted}`, 'disposed',
               'after dispose: ERR_SOCKET_HANDLE_ADOPTED'];
  assert.deepStrictEqual(fast, [...one, ...one, true, 'function']);
  if (CoreBoundSocket) assert.deepStrictEqual(fast, check(CoreBoundSocket));
});
