'use strict';
// Scenario: empty writes (an empty Buffer, an empty string, a Uint8Array of length 0), alone and corked
// between non-empty ones. Every callback runs without error and the peer gets exactly the non-empty bytes,
// as with core. (Run under `npm run test:asan`, this also checks that no empty buffer reaches memcpy.)

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const fastnet = require('..');
const { close, connectToCollector } = require('./helpers');

async function writeEmpties(t, net) {
  const { server, client, received } = await connectToCollector(t, net);
  const callbacks = [];
  const cb = (name) => (err) => callbacks.push(`${name} ${err ? err.code : 'ok'}`);
  client.write(Buffer.alloc(0), cb('empty buffer'));
  client.write('', cb('empty string'));
  client.write(new Uint8Array(0), cb('empty Uint8Array'));
  client.write('a', cb('a'));
  client.cork();
  client.write(Buffer.alloc(0), cb('corked empty buffer'));
  client.write('b', cb('corked b'));
  client.write('', cb('corked empty string'));
  client.write(Buffer.from('c'), cb('corked c'));
  client.uncork();
  client.cork();
  client.write(Buffer.alloc(0), cb('corked empty only'));
  client.write('', cb('corked empty only 2'));
  client.uncork();
  await new Promise((resolve) => client.end(Buffer.alloc(0), resolve));
  const data = (await received).toString();
  client.destroy();
  await close(server);
  return { data, callbacks: callbacks.sort() };
}

test('empty writes, alone and corked among others: callbacks ok and exactly the bytes, like core', async (t) => {
  const core = await writeEmpties(t, coreNet);
  const fast = await writeEmpties(t, fastnet);
  assert.strictEqual(core.data, 'abc');
  assert.deepStrictEqual(fast, core);
});
