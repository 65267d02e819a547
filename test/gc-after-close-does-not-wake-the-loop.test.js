'use strict';
// Closed sockets and servers collected by a GC in 'beforeExit' leave nothing for the loop to do: 'beforeExit'
// comes once, as with core's handles (Node's sequential/test-async-wrap-getasyncid checks the same). A finalizer
// per handle object used to queue work for the loop when its object was collected, and the loop ran again.
const test = require('node:test');
const assert = require('node:assert');
const { FASTNET, runChild } = require('./helpers');

function source(mod) {
  return `
    const net = require(${JSON.stringify(mod)});
    let beforeExit = 0;
    const server = net.createServer((socket) => socket.end());
    server.listen(0, '127.0.0.1', () => {
      let closed = 0;
      for (let i = 0; i < 20; i++) {
        net.connect(server.address().port, '127.0.0.1').resume().on('close', () => {
          if (++closed === 20) server.close();
        });
      }
    });
    process.on('beforeExit', () => {
      beforeExit++;
      global.gc();
    });
    process.on('exit', () => console.log(JSON.stringify({ beforeExit })));
  `;
}

test('a GC in beforeExit after every handle closed: beforeExit once, as with core', async () => {
  const results = {};
  for (const [name, mod] of [['core', 'net'], ['fastnet', FASTNET]]) {
    const r = await runChild(source(mod), { env: { NODE_OPTIONS: '--expose-gc' } });
    assert.strictEqual(r.code, 0, r.stderr);
    results[name] = JSON.parse(r.stdout.trim());
  }
  assert.deepStrictEqual(results.core, { beforeExit: 1 });
  assert.deepStrictEqual(results.fastnet, results.core);
});
