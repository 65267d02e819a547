'use strict';
// cluster, round-robin: a worker whose server is at its maxConnections tells the primary it did not accept a
// connection, and the primary gives it to another worker; nothing is dropped. As with core's.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const { FASTNET, runChild, tmpSocketPath } = require('./helpers');

const script = (netModule) => `
  const cluster = require('cluster');
  const net = require(${JSON.stringify(netModule)});
  const coreNet = require('node:net');
  if (cluster.isPrimary) {
    cluster.schedulingPolicy = cluster.SCHED_RR;
    cluster.setupPrimary({ exec: __filename });
    const workers = [cluster.fork(), cluster.fork()];
    let listening = 0;
    for (const w of workers) w.on('listening', (address) => { if (++listening === 2) run(address.port); });
    async function run(port) {
      const servedBy = [];
      const clients = [];
      for (let i = 0; i < 4; i++) {  // one at a time, each kept open
        const c = coreNet.connect(port, '127.0.0.1');
        clients.push(c);
        servedBy.push(await new Promise((resolve) => {
          c.once('data', (d) => resolve(String(d)));
          c.once('end', () => resolve('dropped'));
        }));
      }
      console.log(JSON.stringify(servedBy.sort()));
      for (const c of clients) c.destroy();
      for (const w of workers) w.kill();
    }
  } else {
    const server = net.createServer((s) => s.write(cluster.worker.id === 1 ? 'full one' : 'other'));
    if (cluster.worker.id === 1) server.maxConnections = 1;
    server.on('drop', () => console.log('drop'));
    server.listen(0, '127.0.0.1');
  }
`;

for (const [name, netModule] of [['fastnet', FASTNET], ['core', 'node:net']]) {
  test(`a ${name} worker at maxConnections hands connections back`, async () => {
    const file = tmpSocketPath('cluster-maxconn') + '.js';
    fs.writeFileSync(file, script(netModule));
    try {
      const { code, stdout, stderr } = await runChild(`require(${JSON.stringify(file)})`, { timeout: 8000 });
      assert.strictEqual(stdout, '["full one","other","other","other"]\n', stderr);
      assert.strictEqual(code, 0);
    } finally {
      fs.unlinkSync(file);
    }
  });
}
