'use strict';
// Scenario: ref/unref. A process whose only handles are an unref'd listening server and unref'd
// connected sockets exits by itself; ref() after unref() keeps it alive again. Each case runs in a
// child process; a child that does not exit is killed after a few seconds and the test fails.

const test = require('node:test');
const assert = require('node:assert');
const { FASTNET, runChild } = require('./helpers');

const PRELUDE = `
'use strict';
const net = require(${JSON.stringify(FASTNET)});
const log = (...a) => process.stdout.write(a.join(' ') + '\\n');
process.on('exit', (code) => log('exit', code));
`;

test('a process with only an unref\'d listening server exits by itself', { timeout: 15000 }, async () => {
  const r = await runChild(PRELUDE + `
const server = net.createServer();
server.listen(0, '127.0.0.1', () => {
  log('listening');
  server.unref();
});
`, { timeout: 5000 });
  assert.strictEqual(r.signal, null, 'child had to be killed: the unref\'d server kept it alive');
  assert.strictEqual(r.stdout, 'listening\nexit 0\n');
  assert.strictEqual(r.code, 0);
});

test('unref() before listen() also lets the process exit', { timeout: 15000 }, async () => {
  const r = await runChild(PRELUDE + `
const server = net.createServer();
server.unref();
server.listen(0, '127.0.0.1', () => log('listening'));
`, { timeout: 5000 });
  assert.strictEqual(r.signal, null, 'child had to be killed');
  assert.strictEqual(r.stdout, 'listening\nexit 0\n');
});

test('unref\'d connected sockets (both ends) and server let the process exit', { timeout: 15000 }, async () => {
  const r = await runChild(PRELUDE + `
const server = net.createServer((s) => {
  s.unref();
  log('accepted');
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    log('connected');
    c.unref();
    server.unref();
  });
});
`, { timeout: 5000 });
  assert.strictEqual(r.signal, null, 'child had to be killed: an unref\'d socket kept it alive');
  // 'accepted' and 'connected' can come in either order.
  assert.deepStrictEqual(r.stdout.trim().split('\n').sort(), ['accepted', 'connected', 'exit 0']);
});

test('unref() on a connecting socket lets the process exit once nothing else is pending', { timeout: 15000 }, async () => {
  const r = await runChild(PRELUDE + `
const server = net.createServer((s) => s.unref());
server.listen(0, '127.0.0.1', () => {
  server.unref();
  const c = net.connect(server.address().port, '127.0.0.1');
  c.unref();
  log('connecting');
});
`, { timeout: 5000 });
  assert.strictEqual(r.signal, null, 'child had to be killed');
  assert.strictEqual(r.stdout, 'connecting\nexit 0\n');
});

test('ref() after unref() keeps the process alive until close()', { timeout: 15000 }, async () => {
  const r = await runChild(PRELUDE + `
const server = net.createServer();
server.listen(0, '127.0.0.1', () => {
  server.unref();
  server.ref();
  // Only an unref'd timer: if ref() did not work, the process would exit before it fires.
  setTimeout(() => {
    log('still alive');
    server.close(() => log('closed'));
  }, 200).unref();
});
`, { timeout: 5000 });
  assert.strictEqual(r.signal, null, 'child had to be killed: close() did not let it exit');
  assert.strictEqual(r.stdout, 'still alive\nclosed\nexit 0\n');
});

test('a ref\'d socket keeps the process alive; unref() from a timer lets it go', { timeout: 15000 }, async () => {
  const r = await runChild(PRELUDE + `
const server = net.createServer((s) => { s.unref(); });
server.listen(0, '127.0.0.1', () => {
  server.unref();
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    log('connected');
    setTimeout(() => { log('unref'); c.unref(); }, 200).unref();
  });
});
`, { timeout: 5000 });
  assert.strictEqual(r.signal, null, 'child had to be killed');
  assert.strictEqual(r.stdout, 'connected\nunref\nexit 0\n');
});
