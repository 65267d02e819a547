'use strict';
// cluster, round-robin (the default): worker.disconnect() of a worker listening through fastnet completes, and
// the worker's server emits 'close' first; as with core's.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const { FASTNET, runChild, tmpSocketPath } = require('./helpers');

const script = (netModule) => `
  const cluster = require('cluster');
  const net = require(${JSON.stringify(netModule)});
  if (cluster.isPrimary) {
    cluster.schedulingPolicy = cluster.SCHED_RR;
    cluster.setupPrimary({ exec: __filename });
    const worker = cluster.fork();
    worker.on('listening', () => {
      const start = Date.now();
      worker.on('exit', () => console.log('exit after', Date.now() - start < 5000 ? 'less than 5 s' : 'too long'));
      worker.disconnect();
    });
  } else {
    const server = net.createServer().listen(0, '127.0.0.1');
    server.on('close', () => console.log('worker server close'));  // stdout to a pipe is synchronous
  }
`;

for (const [name, netModule] of [['fastnet', FASTNET], ['core', 'node:net']]) {
  test(`disconnect of a worker listening with ${name} completes`, async () => {
    const file = tmpSocketPath('cluster-disconnect') + '.js';
    fs.writeFileSync(file, script(netModule));
    try {
      const { code, stdout, stderr } = await runChild(`require(${JSON.stringify(file)})`, { timeout: 8000 });
      assert.strictEqual(stdout, 'worker server close\nexit after less than 5 s\n', stderr);
      assert.strictEqual(code, 0);
    } finally {
      fs.unlinkSync(file);
    }
  });
}
