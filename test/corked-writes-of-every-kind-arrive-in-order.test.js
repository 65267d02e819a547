'use strict';
// Scenario: batches of writes handed over as one writev (corked, or buffered behind a write in flight):
// strings in one encoding, in several (utf8, latin1, ucs2, hex, base64), Buffers and Uint8Arrays, mixed, and
// batches bigger than what is joined into one buffer. The peer gets exactly core's bytes, in order.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const fastnet = require('..');
const { close, connectToCollector } = require('./helpers');

const batches = [
  ['héllo ', 'wörld ', '€uro '].map((s) => [s, 'utf8']),
  [['café', 'latin1'], ['naïve', 'ucs2'], ['deadbeef', 'hex'], ['aGVsbG8=', 'base64'], ['plain', 'ascii']],
  [[Buffer.from('buf ')], [new Uint8Array([65, 66, 67])], ['str ', 'utf8'], [Buffer.alloc(0)], ['ü', 'latin1']],
  Array.from({ length: 300 }, (_, i) => [Buffer.alloc(300, 97 + (i % 26))]),       // 90 KB: not joined
  Array.from({ length: 300 }, (_, i) => ['ü€'.repeat(150) + i, 'utf8']),            // 90 K units: not joined
  Array.from({ length: 500 }, (_, i) => [`${i},`, 'utf8']),
];

async function send(t, net) {
  const { server, client, received } = await connectToCollector(t, net);
  for (const batch of batches) {
    client.cork();
    for (const [chunk, encoding] of batch) client.write(chunk, encoding);
    client.uncork();
    // and the same batch buffered behind a write in flight
    client.write('x'.repeat(100000));
    for (const [chunk, encoding] of batch) client.write(chunk, encoding);
  }
  await new Promise((resolve) => client.end(resolve));
  const data = await received;
  await close(server);
  return data;
}

test('batched writes of every kind arrive as with core', async (t) => {
  const core = await send(t, coreNet);
  const fast = await send(t, fastnet);
  assert.ok(core.length > 400000);
  assert.ok(fast.equals(core), `fastnet sent ${fast.length} bytes, core ${core.length}`);
});
