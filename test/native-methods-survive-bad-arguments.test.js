'use strict';
// The native handles are reachable from JS (socket._handle, server._handle). Whatever a caller passes, on
// whatever object, in whatever state, a method must return or throw: never abort or crash the process.
const test = require('node:test');
const assert = require('node:assert');
const { FASTNET, runChild } = require('./helpers');

test('every native method, any arguments, any receiver, open or closed: no crash', async () => {
  const { code, signal, stdout, stderr } = await runChild(`
    const { binding } = require(${JSON.stringify(FASTNET + '/lib/native')});
    require(${JSON.stringify(FASTNET)});
    const path = require('path'), os = require('os');
    const vals = [undefined, null, 0, -1, 1, 2 ** 31, 1.5, NaN, '', 'x', '127.0.0.1', '::1',
      path.join(os.tmpdir(), 'fastnet-fuzz-' + process.pid), {}, [], [Buffer.alloc(1)], [1, 2], Buffer.alloc(3),
      new Uint8Array(2), () => {}, Symbol('s'), 10n, true];
    const foreign = new (require('zlib').Deflate)();  // an object another native module wraps
    let calls = 0, threw = 0;
    function hammer(obj) {
      const proto = Object.getPrototypeOf(obj);
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (name === 'constructor' || name === 'close' || name === 'reset') continue;
        for (const a of vals) for (const b of [undefined, 0, '1', true, vals[15]]) {
          try { calls++; obj[name](a, b, a); } catch { threw++; }
        }
        const { get, value } = Object.getOwnPropertyDescriptor(proto, name);  // getters too (fd, bytesRead...)
        for (const other of [{}, null, 1, foreign, binding, obj]) {
          try { calls++; (get || value).call(other, 1); } catch { threw++; }
        }
      }
    }
    for (const type of [binding.TCP, binding.PIPE]) {
      const socket = new binding.Socket(type);
      const server = new binding.Server(type);
      server.onconnection = () => {};
      hammer(socket);
      hammer(server);
      // close(cb, counts) and reset(cb, counts) with anything as cb and counts (a Float64Array of any length,
      // one whose buffer was transferred away), more than once
      const detached = new Float64Array(2);
      structuredClone(detached.buffer, { transfer: [detached.buffer] });
      const countsVals = vals.concat([new Float64Array(0), new Float64Array(1), new Float64Array(2), detached]);
      for (const a of countsVals) {
        try { calls++; socket.close(a, a); } catch { threw++; }
        try { calls++; socket.reset(a, a); } catch { threw++; }
        try { calls++; server.close(a, a); } catch { threw++; }
      }
      hammer(socket); hammer(server);
      socket.close(); socket.reset(); server.close();
    }
    // the per-message functions take a socket's id: ids of open, closed and never-connected sockets, of
    // servers, ids no handle has, and anything else, with any arguments after it
    {
      const open = new binding.Socket(binding.TCP), closed = new binding.Socket(binding.PIPE);
      const server = new binding.Server(binding.TCP);
      closed.close();
      const ids = vals.concat([open[binding.kId], closed[binding.kId], server[binding.kId], open[binding.kId] + 1e6, -open[binding.kId], 2 ** 53]);
      for (const id of ids) {
        for (const a of vals) for (const b of [undefined, 0, 1, 3, 19, -1, 2 ** 40, 'x', vals[15]]) {
          for (const name of ['writeBuffer', 'writeString', 'writev', 'setIdleTimeout']) {
            try { calls++; binding[name](id, a, b, b, a); } catch { threw++; }
          }
        }
      }
      open.close(); server.close();
    }
    for (const a of vals) {
      for (const make of [() => new binding.Socket(a), () => new binding.Server(a), () => binding.Socket(a),
                          () => binding.guessHandleType(a), () => binding.setCallbacks(a),
                          () => binding.activeHandles(a), () => binding.dup(a), () => binding.newSocket(a, a),
                          () => binding.newSocket({}, a)]) {
        try { calls++; make(); } catch { threw++; }
      }
    }
    // BoundSocket descriptors, SO_REUSEPORT binds, keep-alive and type of service: any arguments, any handle
    const boundFds = [];
    // attachBound takes any socket descriptor it is given (as fs.closeSync closes any): never stdio here
    const notOurs = (v) => (typeof v === 'number' && v >= 0 && v < 2 ** 20 ? -1 : v);
    const keep = (fd) => { if (typeof fd === 'number' && fd >= 0) boundFds.push(fd); };
    for (const a of vals) {
      for (const b of [undefined, 0, '1', true, {}]) {
        for (const call of [() => keep(binding.bindTcp(a, b, a, b, a, a)), () => keep(binding.bindTcp('127.0.0.1', 0, false, a, b, {})),
                            () => keep(binding.bindTcp('::1', b, true, true, a, {})), () => keep(binding.bindPipe(a)),
                            () => binding.closeBound(a), () => binding.socketOptions(a), () => binding.socketOptions(1),
                            () => binding.detachBound(a), () => binding.attachBound(notOurs(a), b, a), () => binding.attachBound(-1, b, a)]) {
          try { calls++; call(); } catch { threw++; }
        }
      }
    }
    for (const type of [binding.TCP, binding.PIPE]) {
      const tcpFd = binding.bindTcp('127.0.0.1', 0, false, false, true, {});
      const pipeFd = binding.bindPipe(path.join(os.tmpdir(), 'fastnet-fuzz-bound-' + process.pid + '-' + type));
      for (const fd of [tcpFd, pipeFd, -1, 0, 1, 2 ** 31, 1.5, 'x']) {
        const socket = new binding.Socket(type);
        const server = new binding.Server(type);
        for (const h of [socket, server]) {
          for (const a of vals) {
            try { calls++; h.bind('127.0.0.1', 0, false, a, a); } catch { threw++; }
            try { calls++; h.bind('::', a, true, a, true); } catch { threw++; }
          }
          try { calls++; h.adoptBound(fd); } catch { threw++; }
          try { calls++; h.adoptBound(fd); } catch { threw++; }
        }
        for (const a of vals) {
          for (const b of vals.slice(0, 12)) {
            try { calls++; socket.setKeepAlive(a, b, a, b); } catch { threw++; }
            try { calls++; socket.setKeepAlive(true, 5, b, a); } catch { threw++; }
          }
          try { calls++; socket.setTypeOfService(a); } catch { threw++; }
          try { calls++; socket.getTypeOfService(a); } catch { threw++; }
        }
        socket.close(); server.close();
        try { calls++; socket.adoptBound(fd); } catch { threw++; }
      }
      keep(tcpFd); keep(pipeFd);
    }
    // detached and attached again, attached twice, as the wrong kind, or a descriptor that is not a socket
    const spare = binding.bindTcp('127.0.0.1', 0, false, false, false, {});
    for (const call of [() => binding.detachBound(spare), () => binding.detachBound(spare), () => binding.attachBound(spare, true, 'x'),
                        () => binding.attachBound(spare, false), () => binding.attachBound(spare, false), () => binding.attachBound(-5, false),
                        () => binding.attachBound(require('fs').openSync(process.execPath, 'r'), false)]) {
      try { calls++; call(); } catch { threw++; }
    }
    keep(spare);
    for (const fd of boundFds) binding.closeBound(fd);
    setTimeout(() => console.log('alive', calls, threw), 100);
  `, { timeout: 60000 });
  assert.strictEqual(signal, null, stderr);
  assert.strictEqual(code, 0, stderr);
  const [word, calls, threw] = stdout.trim().split(' ');
  assert.strictEqual(word, 'alive');
  assert.ok(Number(calls) > 10000, stdout);
  assert.ok(Number(threw) > 0 && Number(threw) < Number(calls), stdout);
});
