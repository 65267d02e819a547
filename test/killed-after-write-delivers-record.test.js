'use strict';
// Scenario: a process writes a record and is killed by SIGKILL inside the write's callback, or in the same
// tick as the write. A callback means the kernel has the bytes, and a first write goes to the kernel at once,
// as in core: the peer gets the record either way.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const { FASTNET, runChild, listen, close } = require('./helpers');

const RECORD = 'record:' + 'r'.repeat(200) + '\n';

async function received(impl, killWhere) {
  const chunks = [];
  const server = coreNet.createServer((s) => s.on('data', (d) => chunks.push(d)).on('error', () => {}));
  await listen(server, 0, '127.0.0.1');
  const peerClosed = new Promise((resolve) => server.once('connection', (s) => s.on('close', resolve)));
  const child = await runChild(`
    const net = require(${JSON.stringify(impl)});
    const c = net.connect(${server.address().port}, '127.0.0.1', () => {
      setImmediate(() => {   // not in the connect callback: any loop phase must do
        ${killWhere === 'callback' ?
          `c.write(${JSON.stringify(RECORD)}, () => process.kill(process.pid, 'SIGKILL'));` :
          `c.write(${JSON.stringify(RECORD)}); process.kill(process.pid, 'SIGKILL');`}
      });
    });`);
  await peerClosed;
  await close(server);
  return { signal: child.signal, data: Buffer.concat(chunks).toString() };
}

for (const killWhere of ['callback', 'same tick']) {
  test(`killed by SIGKILL in the ${killWhere} of a write: the record is delivered, as with core`, async () => {
    const core = await received('net', killWhere);
    const fast = await received(FASTNET, killWhere);
    assert.deepStrictEqual(core, { signal: 'SIGKILL', data: RECORD });
    assert.deepStrictEqual(fast, core);
  });
}
