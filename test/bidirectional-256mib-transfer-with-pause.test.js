'use strict';
// Scenario: 256 MiB client->server and 256 MiB server->client at the same time over IPv4 loopback.
// Each receiver pauses for a while in the middle of the stream and resumes. The sha256 of the bytes
// each sender wrote must equal the sha256 of the bytes its peer read: nothing lost, nothing
// duplicated, nothing reordered; no 'data' event may arrive while a receiver is paused.

const test = require('node:test');
const assert = require('node:assert');
const crypto = require('node:crypto');
const net = require('..');
const { listen, close, once, track } = require('./helpers');

const MiB = 1024 * 1024;
const TOTAL_CHUNKS = 256; // 256 x 1 MiB
const TOTAL = TOTAL_CHUNKS * MiB;
const PAUSE_AT = TOTAL / 2;
const PAUSE_MS = 150;

// One random MiB, reused for every chunk with a counter and a direction tag stamped in front,
// so every chunk is distinct without paying for 256 MiB of randomness.
const BLOCK = crypto.randomBytes(MiB);

function makeChunk(i, tag) {
  const chunk = Buffer.allocUnsafe(MiB);
  BLOCK.copy(chunk);
  chunk.writeUInt32BE(i, 0);
  chunk.writeUInt32BE(tag, 4);
  chunk.writeUInt32BE((i ^ 0xa5a5a5a5) >>> 0, MiB - 4);
  return chunk;
}

// Write all chunks, respecting backpressure. The write pattern varies so that small writes,
// odd sizes, large writes and latin1 strings all go through the socket.
async function send(socket, tag) {
  const hash = crypto.createHash('sha256');
  let sent = 0;
  let sawBackpressure = false;
  for (let i = 0; i < TOTAL_CHUNKS; i++) {
    const chunk = makeChunk(i, tag);
    let pieces;
    switch (i % 4) {
      case 0: pieces = [chunk]; break;
      case 1: pieces = [chunk.subarray(0, 1), chunk.subarray(1, 4097), chunk.subarray(4097, 70001),
        chunk.subarray(70001)]; break;
      case 2: pieces = [chunk.subarray(0, MiB / 2), chunk.subarray(MiB / 2)]; break;
      case 3: pieces = [chunk.toString('latin1')]; break;
    }
    for (const piece of pieces) {
      const bytes = typeof piece === 'string' ? Buffer.from(piece, 'latin1') : piece;
      hash.update(bytes);
      sent += bytes.length;
      const ok = typeof piece === 'string' ? socket.write(piece, 'latin1') : socket.write(piece);
      if (!ok) {
        sawBackpressure = true;
        await once(socket, 'drain', 30000);
      }
    }
  }
  socket.end();
  await once(socket, 'finish', 30000);
  return { sent, digest: hash.digest('hex'), sawBackpressure };
}

// Read until 'end', pausing once in the middle.
function receive(socket) {
  return new Promise((resolve, reject) => {
    const hash = crypto.createHash('sha256');
    let received = 0;
    let paused = false;
    let pausedOnce = false;
    let dataWhilePaused = 0;
    socket.on('data', (d) => {
      if (paused) dataWhilePaused++;
      hash.update(d);
      received += d.length;
      if (!pausedOnce && received >= PAUSE_AT) {
        pausedOnce = true;
        paused = true;
        socket.pause();
        assert.strictEqual(socket.isPaused(), true);
        setTimeout(() => {
          paused = false;
          socket.resume();
        }, PAUSE_MS);
      }
    });
    socket.once('end', () => {
      resolve({ received, digest: hash.digest('hex'), dataWhilePaused, pausedOnce });
    });
    socket.once('error', reject);
  });
}

test('256 MiB in both directions at once, with pause()/resume() on each receiver', { timeout: 60000 }, async (t) => {
  const server = track(t, net.createServer({ allowHalfOpen: true }));
  const serverDone = new Promise((resolve, reject) => {
    server.once('connection', (s) => {
      s.once('error', reject);
      const closed = once(s, 'close', 60000);
      Promise.all([receive(s), send(s, 0x53525652 /* 'SRVR' */), closed])
        .then(([rx, tx]) => resolve({ rx, tx, bytesRead: s.bytesRead, bytesWritten: s.bytesWritten }), reject);
    });
  });
  const { port } = await listen(server, 0, '127.0.0.1');

  const client = track(t, net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }));
  await once(client, 'connect');
  const clientClosed = once(client, 'close', 60000);
  const [crx, ctx] = await Promise.all([receive(client), send(client, 0x434c4e54 /* 'CLNT' */)]);
  await clientClosed;
  const srv = await serverDone;
  await close(server);

  // client -> server
  assert.strictEqual(ctx.sent, TOTAL);
  assert.strictEqual(srv.rx.received, TOTAL);
  assert.strictEqual(srv.rx.digest, ctx.digest);
  // server -> client
  assert.strictEqual(srv.tx.sent, TOTAL);
  assert.strictEqual(crx.received, TOTAL);
  assert.strictEqual(crx.digest, srv.tx.digest);
  // both receivers paused, and no data arrived while paused
  assert.strictEqual(crx.pausedOnce, true);
  assert.strictEqual(srv.rx.pausedOnce, true);
  assert.strictEqual(crx.dataWhilePaused, 0);
  assert.strictEqual(srv.rx.dataWhilePaused, 0);
  // 256 MiB cannot fit in socket buffers: both senders must have seen backpressure
  assert.strictEqual(ctx.sawBackpressure, true);
  assert.strictEqual(srv.tx.sawBackpressure, true);
  // byte counters
  assert.strictEqual(client.bytesWritten, TOTAL);
  assert.strictEqual(client.bytesRead, TOTAL);
  assert.strictEqual(srv.bytesWritten, TOTAL);
  assert.strictEqual(srv.bytesRead, TOTAL);
});
