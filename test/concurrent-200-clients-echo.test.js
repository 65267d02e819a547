'use strict';
// Scenario: 200 clients connect at once to one echo server and each echoes its own distinct payload
// in several writes; every client gets exactly its own bytes back, and the server sees all 200.

const test = require('node:test');
const assert = require('node:assert');
const net = require('..');
const { listen, close, track, tmpSocketPath } = require('./helpers');

const CLIENTS = 200;

function payloadFor(i) {
  // 1..64 KiB, distinct per client.
  const size = 1024 + ((i * 7919) % (63 * 1024));
  const buf = Buffer.allocUnsafe(size);
  for (let j = 0; j < size; j++) buf[j] = (i * 31 + j) & 0xff;
  buf.writeUInt16BE(i, 0);
  return buf;
}

function runClient(t, connectArgs, i) {
  return new Promise((resolve, reject) => {
    const payload = payloadFor(i);
    const socket = track(t, net.connect(...connectArgs));
    const chunks = [];
    socket.on('error', reject);
    socket.on('connect', () => {
      // Three writes of uneven sizes, then end.
      const a = payload.length / 3 | 0;
      socket.write(payload.subarray(0, a));
      socket.write(payload.subarray(a, 2 * a));
      socket.end(payload.subarray(2 * a));
    });
    socket.on('data', (d) => chunks.push(d));
    socket.on('close', (hadError) => {
      const got = Buffer.concat(chunks);
      resolve({ i, ok: !hadError && got.equals(payload), got: got.length, want: payload.length });
    });
  });
}

async function manyClients(t, listenArgs, connectArgs) {
  let connections = 0;
  let maxOpen = 0;
  let open = 0;
  const server = track(t, net.createServer((s) => {
    connections++;
    open++;
    maxOpen = Math.max(maxOpen, open);
    s.on('close', () => open--);
    s.pipe(s);
  }));
  // (listenArgs ask for a backlog of 511, so that a burst of 200 connects is not dropped.)
  const address = await listen(server, ...listenArgs);
  const results = await Promise.all(
    Array.from({ length: CLIENTS }, (_, i) => runClient(t, connectArgs(address), i)));
  await close(server);
  const bad = results.filter((r) => !r.ok);
  assert.deepStrictEqual(bad, []);
  assert.strictEqual(results.length, CLIENTS);
  assert.strictEqual(connections, CLIENTS);
  assert.strictEqual(open, 0);
  assert.ok(maxOpen > 1, `connections never overlapped (max ${maxOpen} open at once)`);
}

test('200 concurrent clients echo over TCP', { timeout: 30000 }, (t) =>
  manyClients(t, [{ port: 0, host: '127.0.0.1', backlog: 511 }], (a) => [a.port, '127.0.0.1']));

test('200 concurrent clients echo over a Unix socket', { timeout: 30000 }, (t) => {
  const p = tmpSocketPath('many');
  return manyClients(t, [{ path: p, backlog: 511 }], () => [p]);
});
