'use strict';
// fastnet gathers small writes and sends them once per loop iteration. A process that exits before the
// next iteration (process.exit right after a write, or a write inside an 'exit' listener) must still send
// everything, as core does with its synchronous try-write.
const test = require('node:test');
const assert = require('node:assert');
const net = require('node:net');   // the receiver is core: only the sender is under test
const { FASTNET, runChild, listen, close } = require('./helpers');

async function bytesReceivedFrom(source, encoding = 'utf8') {
  const received = [];
  const server = net.createServer((s) => s.on('data', (d) => received.push(d)));
  await listen(server, 0, '127.0.0.1');
  const ended = new Promise((resolve) => server.once('connection', (s) => s.on('close', resolve)));
  const child = await runChild(source.replace('PORT', server.address().port));
  await ended;
  await close(server);
  return { child, data: Buffer.concat(received).toString(encoding) };
}

test('writes just before process.exit() and inside an exit listener reach the peer', async () => {
  const { child, data } = await bytesReceivedFrom(`
    const net = require(${JSON.stringify(FASTNET)});
    const c = net.connect(PORT, '127.0.0.1', () => {
      c.write('a'.repeat(100));
      process.on('exit', () => c.write('b'.repeat(50)));
      setImmediate(() => { c.write('c'.repeat(10)); process.exit(0); });
    });`);
  assert.strictEqual(child.code, 0, child.stderr);
  assert.strictEqual(data, 'a'.repeat(100) + 'c'.repeat(10) + 'b'.repeat(50));
});

test("writes made while the loop empties (an unref'd socket) reach the peer", async () => {
  const { child, data } = await bytesReceivedFrom(`
    const net = require(${JSON.stringify(FASTNET)});
    const c = net.connect(PORT, '127.0.0.1', () => {
      c.unref();
      setImmediate(() => c.write('last words'));
    });`);
  assert.strictEqual(child.code, 0, child.stderr);
  assert.strictEqual(data, 'last words');
});

test('a held write bigger than the kernel takes at exit: what arrives is a prefix, nothing twice', async () => {
  // The first write goes out at once, the second (64 MiB) is held until the loop polls: process.exit() comes
  // first, so the exit flush sends what the kernel takes and queues the rest, which never goes.
  const SIZE = 64 * 1024 * 1024;
  const counting = `(() => { const b = Buffer.alloc(${SIZE}); const w = new Uint32Array(b.buffer, b.byteOffset, ${SIZE} / 4);
    for (let i = 0; i < w.length; i++) w[i] = i; return b; })()`;
  const { child, data } = await bytesReceivedFrom(`
    const net = require(${JSON.stringify(FASTNET)});
    const big = ${counting};
    const c = net.connect(PORT, '127.0.0.1', () => {
      c.write('first;');
      c.write(big);
      process.exit(0);
    });`, 'latin1');
  assert.strictEqual(child.code, 0, child.stderr);
  const expected = Buffer.concat([Buffer.from('first;'), eval(counting)]);
  assert.ok(data.length > 'first;'.length, 'some of the held write went out');
  assert.ok(data.length < expected.length, 'not all of it (the kernel would have to take 64 MiB at once)');
  assert.ok(Buffer.from(data, 'latin1').equals(expected.subarray(0, data.length)), 'a prefix of what was written');
});
