'use strict';
// Scenario: an exception thrown inside a 'data' handler (i.e. inside a native read callback) surfaces
// as process 'uncaughtException', like core; the socket keeps working afterwards; without a handler
// the process dies with the error, exit code 1. Each case runs in its own child process so the
// test runner's process is not disturbed.

const test = require('node:test');
const assert = require('node:assert');
const { FASTNET, runChild } = require('./helpers');

const PRELUDE = `
'use strict';
const net = require(${JSON.stringify(FASTNET)});
const log = (...a) => process.stdout.write(a.join(' ') + '\\n');
setTimeout(() => { log('child timed out'); process.exit(2); }, 8000).unref();
`;

test('throw in a client \'data\' handler reaches uncaughtException; the socket keeps working', { timeout: 15000 }, async () => {
  const r = await runChild(PRELUDE + `
let n = 0;
process.on('uncaughtException', (err, origin) => log('uncaught', err.message, origin));
// Ping-pong, so that each message is its own 'data' event: the next one is sent on the client's ack.
const server = net.createServer((s) => {
  const next = ['two', 'three'];
  s.write('one');
  s.on('data', () => {
    if (next.length > 1) s.write(next.shift());
    else if (next.length === 1) s.end(next.shift());
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.setEncoding('utf8');
  c.on('data', (d) => {
    log('data', d);
    c.write('ack');
    if (n++ === 0) throw new Error('boom');
  });
  c.on('end', () => log('end'));
  c.on('close', () => { log('close'); server.close(() => log('server closed')); });
});
`);
  assert.strictEqual(r.stderr, '');
  assert.strictEqual(r.stdout,
    'data one\nuncaught boom uncaughtException\ndata two\ndata three\nend\nclose\nserver closed\n');
  assert.strictEqual(r.code, 0);
});

test('throw in a server-side \'data\' handler reaches uncaughtException', { timeout: 15000 }, async () => {
  const r = await runChild(PRELUDE + `
process.on('uncaughtException', (err) => {
  log('uncaught', err.message, err instanceof TypeError);
  process.exit(0);
});
const server = net.createServer((s) => {
  s.on('data', (d) => { log('server data', String(d)); null.boom; });
});
server.listen(0, '127.0.0.1', () => {
  net.connect(server.address().port, '127.0.0.1', function () { this.write('hi'); });
});
`);
  assert.strictEqual(r.stderr, '');
  assert.match(r.stdout, /^server data hi\nuncaught Cannot read properties of null \(reading 'boom'\) true\n$/);
  assert.strictEqual(r.code, 0);
});

test('throw in \'connection\' and \'connect\' listeners reaches uncaughtException too', { timeout: 15000 }, async () => {
  const r = await runChild(PRELUDE + `
const seen = [];
process.on('uncaughtException', (err) => {
  seen.push(err.message);
  if (seen.length === 2) {
    log(seen.sort().join(','));
    process.exit(0);
  }
});
const server = net.createServer(() => { throw new Error('from connection'); });
server.listen(0, '127.0.0.1', () => {
  net.connect(server.address().port, '127.0.0.1', () => { throw new Error('from connect'); });
});
`);
  assert.strictEqual(r.stderr, '');
  assert.strictEqual(r.stdout, 'from connect,from connection\n');
  assert.strictEqual(r.code, 0);
});

test('without an uncaughtException handler a throw in \'data\' kills the process like core', { timeout: 15000 }, async () => {
  const r = await runChild(PRELUDE + `
const server = net.createServer((s) => s.write('x'));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('data', () => { log('data'); throw new Error('fatal boom'); });
});
`);
  assert.strictEqual(r.stdout, 'data\n');
  assert.strictEqual(r.code, 1);
  assert.match(r.stderr, /Error: fatal boom/);
});
