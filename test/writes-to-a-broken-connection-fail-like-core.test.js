'use strict';
// Writes on a connection the peer has closed and reset, run the same way on core and on fastnet:
// - an empty write asks the kernel too (core writes zero bytes), so it fails with EPIPE, reaching its callback
//   and 'error', instead of succeeding and leaving the socket up;
// - a failed write's bytes count in bytesWritten as core's handle counts them: all of a Buffer, a writev or a
//   long string, none of a string it sized at 16 KiB or less (it tries those from its stack).
// Found by comparing event logs of random operation sequences with core's.
const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const fastnet = require('..');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The peer closes at once; the client (half-open) writes one byte, which the closed peer answers with RST,
// then `write` runs once the RST is in.
function afterReset(net, write) {
  return new Promise((resolve) => {
    const log = [];
    const server = net.createServer((s) => s.destroy());
    server.listen(0, '127.0.0.1', () => {
      const client = net.connect({ port: server.address().port, host: '127.0.0.1', allowHalfOpen: true });
      client.on('error', (err) => log.push(`error ${err.code}`));
      client.on('close', () => log.push('close'));
      client.on('end', async () => {
        client.write('x', (err) => log.push(`x ${err ? err.code : 'ok'}`));
        await sleep(100);
        write(client, log);
        await sleep(100);
        log.push(`bytesWritten ${client.bytesWritten}`, `destroyed ${client.destroyed}`);
        client.destroy();
        server.close(() => resolve(log));
      });
    });
  });
}

test('an empty write on a reset connection fails with EPIPE, as in core', async () => {
  const write = (client, log) => client.write('', (err) => log.push(`empty ${err ? err.code : 'ok'}`));
  const core = await afterReset(coreNet, write);
  const ours = await afterReset(fastnet, write);
  assert.deepStrictEqual(core, ['x ok', 'empty EPIPE', 'error EPIPE', 'close', 'bytesWritten 1', 'destroyed true']);
  assert.deepStrictEqual(ours, core);
});

test("a failed write's bytes count in bytesWritten, as in core", async () => {
  const write = (client, log) => client.write(Buffer.alloc(1000), (err) => log.push(`1000 ${err ? err.code : 'ok'}`));
  const core = await afterReset(coreNet, write);
  const ours = await afterReset(fastnet, write);
  assert.deepStrictEqual(core, ['x ok', '1000 EPIPE', 'error EPIPE', 'close', 'bytesWritten 1001', 'destroyed true']);
  assert.deepStrictEqual(ours, core);
});

test('bytesWritten after a failed string write: core drops a short one, keeps a long one; so do we', async () => {
  for (const [string, encoding] of [['é'.repeat(5000), 'latin1'], ['é'.repeat(5461), 'utf8'], ['é'.repeat(5462), 'utf8'],
    ['a'.repeat(8192), 'ucs2'], ['a'.repeat(8193), 'ucs2'], ['ab'.repeat(3000), 'hex']]) {
    const write = (client, log) => client.write(string, encoding, (err) => log.push(`string ${err ? err.code : 'ok'}`));
    const core = await afterReset(coreNet, write);
    const ours = await afterReset(fastnet, write);
    assert.strictEqual(core[1], 'string EPIPE', `${encoding} ${string.length}: ${core}`);
    assert.deepStrictEqual(ours, core, `${encoding} ${string.length}`);
  }
});
