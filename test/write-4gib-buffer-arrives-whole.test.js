'use strict';
// Scenario: one write of a 4 GiB Buffer (2^32 bytes, the largest Node 20 allows; more on 22+). Its length does
// not fit the unsigned int of uv_buf_init: it must still go out whole, every byte in order, with the callback
// and bytesWritten telling the truth. Skipped where the machine lacks the memory.

const test = require('node:test');
const assert = require('node:assert');
const os = require('node:os');
const coreNet = require('node:net');
const { FASTNET, runChild, listen, close } = require('./helpers');

const SIZE = 2 ** 32;
const PERIOD = 251;   // the content repeats every 251 bytes (a prime: no alignment with any chunk size)
const pattern = Buffer.alloc(PERIOD, Buffer.from(Array.from({ length: PERIOD }, (_, i) => i)));
const enoughMemory = os.freemem() > 7 * 2 ** 30 && require('buffer').constants.MAX_LENGTH >= SIZE;

test('a 4 GiB Buffer written at once arrives whole', {
  skip: enoughMemory ? false : 'needs 7 GiB of free memory and Buffers of 4 GiB',
  timeout: 120000,
}, async () => {
  const window = Buffer.alloc(128 * 1024 + PERIOD, pattern);  // any chunk compares against a slice of this
  let received = 0;
  let mismatchAt = -1;
  const server = coreNet.createServer((s) => s.on('data', (chunk) => {
    for (let at = 0; at < chunk.length; at += 128 * 1024) {
      const part = chunk.subarray(at, at + 128 * 1024);
      const offset = (received + at) % PERIOD;
      if (mismatchAt < 0 && !part.equals(window.subarray(offset, offset + part.length))) mismatchAt = received + at;
    }
    received += chunk.length;
  }).on('error', () => {}));
  await listen(server, 0, '127.0.0.1');
  const peerDone = new Promise((resolve) => server.once('connection', (s) => s.on('close', resolve)));
  const child = await runChild(`
    const net = require(${JSON.stringify(FASTNET)});
    const big = Buffer.allocUnsafe(${SIZE}).fill(Buffer.from(${JSON.stringify([...pattern])}));
    const c = net.connect(${server.address().port}, '127.0.0.1', () => {
      c.end(big, (err) => {
        console.log(JSON.stringify({ err: err ? err.code : null, bytesWritten: c.bytesWritten }));
      });
    });`, { timeout: 110000 });
  await peerDone;
  await close(server);
  assert.strictEqual(child.code, 0, child.stderr);
  assert.deepStrictEqual(JSON.parse(child.stdout), { err: null, bytesWritten: SIZE });
  assert.strictEqual(received, SIZE);
  assert.strictEqual(mismatchAt, -1, `bytes differ from offset ${mismatchAt}`);
});
