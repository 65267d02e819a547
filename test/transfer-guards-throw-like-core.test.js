'use strict';
// Scenario: postMessage(x, [x]) with a socket or server that cannot move (core's guards): a socket without
// handle, connecting, that has read, that has an encoding, that has written, destroyed, over a Unix socket; a
// server not listening, closed, or on a Unix socket. Each throws ERR_WORKER_HANDLE_NOT_TRANSFERABLE with core's
// message, synchronously, and leaves the object as it was: sockets still echo, servers still listen and accept.
// A list with one movable and one unmovable socket moves neither; a socket listed twice is a DataCloneError.
// No descriptor is left behind. On Node 24+ the same runs against core net and must report the same.

const test = require('node:test');
const assert = require('node:assert');
const { coreTransfers, run } = require('./transfer-helpers');

const SCENARIO = `
  const os = require('os');
  const path = require('path');
  const results = {};
  const { port1, port2 } = new MessageChannel();
  const attempt = (name, value, list) => {
    try {
      port1.postMessage(value, list);
      results[name] = { threw: false };
    } catch (err) {
      results[name] = { threw: true, name: err.name, code: err.code, message: err.message };
    }
  };
  const state = (name, x) => {
    results[name].state = { handle: x._handle != null, destroyed: x.destroyed, listening: x.listening };
  };
  const once = (emitter, event) => new Promise((resolve) => emitter.once(event, resolve));
  // Writes text, resolves with what came back once as much as was written (and echoed) arrived.
  const roundTrip = (socket, text, already = '') => new Promise((resolve) => {
    let got = '';
    const want = already.length + text.length;
    socket.on('data', function onData(d) {
      got += d;
      if (got.length >= want) { socket.off('data', onData); resolve(got); }
    });
    socket.write(text);
  });
  const connected = (...args) => { const s = net.connect(...args); return once(s, 'connect').then(() => s); };
  const pipePath = path.join(os.tmpdir(), 'fastnet-guards-' + process.pid + '.sock');
  try { fs.unlinkSync(pipePath); } catch {}

  (async () => {
    await warmUp();
    const before = fds();
    const echo = net.createServer((s) => s.pipe(s));
    await new Promise((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const port = echo.address().port;
    const pipeEcho = net.createServer((s) => s.pipe(s));
    await new Promise((resolve) => pipeEcho.listen(pipePath, resolve));

    // No handle yet.
    let s = new net.Socket();
    attempt('socket without handle', { s }, [s]);
    state('socket without handle', s);
    s.connect(port, '127.0.0.1');
    results['socket without handle'].works = await roundTrip(s, 'a') === 'a';
    s.destroy();

    // Connecting.
    s = net.connect(port, '127.0.0.1');
    attempt('connecting socket', { s }, [s]);
    state('connecting socket', s);
    results['connecting socket'].works = await roundTrip(s, 'b') === 'b';
    s.destroy();

    // Has read.
    s = await connected(port, '127.0.0.1');
    await roundTrip(s, 'c');
    attempt('socket that has read', { s }, [s]);
    state('socket that has read', s);
    results['socket that has read'].works = await roundTrip(s, 'd') === 'd';
    s.destroy();

    // Has an encoding.
    s = await connected(port, '127.0.0.1');
    s.setEncoding('utf8');
    attempt('socket with an encoding', { s }, [s]);
    state('socket with an encoding', s);
    results['socket with an encoding'].works = await roundTrip(s, 'e') === 'e';
    s.destroy();

    // Has written.
    s = await connected(port, '127.0.0.1');
    s.write('f');
    attempt('socket that has written', { s }, [s]);
    state('socket that has written', s);
    results['socket that has written'].works = await roundTrip(s, 'g', 'f') === 'fg';
    s.destroy();

    // Destroyed.
    s = await connected(port, '127.0.0.1');
    s.destroy();
    attempt('destroyed socket', { s }, [s]);
    state('destroyed socket', s);

    // Unix socket.
    s = await connected(pipePath);
    attempt('unix socket', { s }, [s]);
    state('unix socket', s);
    results['unix socket'].works = await roundTrip(s, 'h') === 'h';
    s.destroy();

    // One movable, one not: neither moves.
    const good = await connected(port, '127.0.0.1');
    const bad = net.connect(port, '127.0.0.1');
    attempt('movable and connecting sockets', { good, bad }, [good, bad]);
    state('movable and connecting sockets', good);
    results['movable and connecting sockets'].works = await roundTrip(good, 'i') === 'i' && await roundTrip(bad, 'j') === 'j';
    good.destroy();
    bad.destroy();

    // Listed twice.
    s = await connected(port, '127.0.0.1');
    attempt('socket listed twice', { s }, [s, s]);
    state('socket listed twice', s);
    results['socket listed twice'].works = await roundTrip(s, 'k') === 'k';
    s.destroy();

    // Servers: not listening, closed, on a Unix socket.
    let server = net.createServer((c) => c.end('served'));
    attempt('server not listening', { server }, [server]);
    state('server not listening', server);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    let c = net.connect(server.address().port, '127.0.0.1');
    c.setEncoding('utf8');
    results['server not listening'].works = await once(c, 'data') === 'served';
    await new Promise((resolve) => server.close(resolve));
    attempt('closed server', { server }, [server]);
    state('closed server', server);

    server = net.createServer((c) => c.end('served'));
    const serverPath = pipePath + '.server';
    try { fs.unlinkSync(serverPath); } catch {}
    await new Promise((resolve) => server.listen(serverPath, resolve));
    attempt('unix server', { server }, [server]);
    state('unix server', server);
    c = net.connect(serverPath);
    c.setEncoding('utf8');
    results['unix server'].works = await once(c, 'data') === 'served';
    await new Promise((resolve) => server.close(resolve));

    await new Promise((resolve) => echo.close(resolve));
    await new Promise((resolve) => pipeEcho.close(resolve));
    port1.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    results.leaked = fds() - before;
    report(results);
  })();
`;

const MESSAGE = (what) => `${what} cannot be transferred in its current state; it must be a freshly created or ` +
  'accepted handle that has not started reading and has no pending writes';
const GUARD = (what) => ({ threw: true, name: 'Error', code: 'ERR_WORKER_HANDLE_NOT_TRANSFERABLE', message: MESSAGE(what) });
const SOCKET = { handle: true, destroyed: false };
const EXPECTED = {
  'socket without handle': { ...GUARD('net.Socket'), state: { handle: false, destroyed: false }, works: true },
  'connecting socket': { ...GUARD('net.Socket'), state: SOCKET, works: true },
  'socket that has read': { ...GUARD('net.Socket'), state: SOCKET, works: true },
  'socket with an encoding': { ...GUARD('net.Socket'), state: SOCKET, works: true },
  'socket that has written': { ...GUARD('net.Socket'), state: SOCKET, works: true },
  'destroyed socket': { ...GUARD('net.Socket'), state: { handle: false, destroyed: true } },
  'unix socket': { ...GUARD('net.Socket'), state: SOCKET, works: true },
  'movable and connecting sockets': { ...GUARD('net.Socket'), state: SOCKET, works: true },
  'socket listed twice': {
    threw: true, name: 'DataCloneError', code: 25, message: 'Transfer list contains duplicate Socket', state: SOCKET,
    works: true,
  },
  'server not listening': { ...GUARD('net.Server'), state: { handle: false, listening: false }, works: true },
  'closed server': { ...GUARD('net.Server'), state: { handle: false, listening: false } },
  'unix server': { ...GUARD('net.Server'), state: { handle: true, listening: true }, works: true },
  leaked: 0,
};

test('unmovable sockets and servers throw core\'s error and stay usable', { timeout: 30000 }, async () => {
  assert.deepStrictEqual(await run(SCENARIO), EXPECTED);
});

test('core net reports the same (Node 24+)', { timeout: 30000, skip: !coreTransfers && 'core net cannot transfer sockets on this Node' }, async () => {
  assert.deepStrictEqual(await run(SCENARIO, 'core'), EXPECTED);
});
