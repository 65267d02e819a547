'use strict';
// cluster: a worker sends a connection it accepted to the primary, which sends it on to another worker; each
// process gets a socket of its own `net` and the second worker answers on it. As with core's.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const { FASTNET, runChild, tmpSocketPath } = require('./helpers');

const script = (netModule) => `
  const cluster = require('cluster');
  const net = require(${JSON.stringify(netModule)});
  if (cluster.isPrimary) {
    cluster.setupPrimary({ exec: __filename });
    const first = cluster.fork();
    const second = cluster.fork();
    first.on('message', (msg, socket) => {
      console.log('primary got a net.Socket:', net.Socket.prototype.isPrototypeOf(socket));
      second.send('yours', socket);
    });
    second.on('message', (msg) => {
      if (msg !== 'ready') return;
      first.on('listening', (address) => {
        const client = net.connect(address.port, '127.0.0.1');
        let text = '';
        client.on('data', (d) => { text += d; });
        client.on('end', () => {
          console.log('client read:', text);
          first.kill();
          second.kill();
        });
      });
      first.send('listen');
    });
  } else if (cluster.worker.id === 1) {
    process.on('message', () => {
      net.createServer((s) => process.send('take it', s)).listen(0, '127.0.0.1');
    });
  } else {
    process.on('message', (msg, socket) => {
      console.log('second worker got a net.Socket:', net.Socket.prototype.isPrototypeOf(socket));
      socket.end('from the second worker');
    });
    process.send('ready');
  }
`;

for (const [name, netModule] of [['fastnet', FASTNET], ['core', 'node:net']]) {
  test(`a ${name} socket passes from worker to worker through the primary`, async () => {
    const file = tmpSocketPath('cluster-pass') + '.js';
    fs.writeFileSync(file, script(netModule));
    try {
      const { code, stdout, stderr } = await runChild(`require(${JSON.stringify(file)})`, { timeout: 8000 });
      assert.strictEqual(stdout, 'primary got a net.Socket: true\nsecond worker got a net.Socket: true\n' +
        'client read: from the second worker\n', stderr);
      assert.strictEqual(code, 0);
    } finally {
      fs.unlinkSync(file);
    }
  });
}
