'use strict';
// Scenario 6: memory per idle connection. The server (the implementation being measured) accepts a
// warm-up round of connections and closes them, notes its RSS and JS heap after GC; a separate client
// process (core net) opens 10,000 connections and holds them; the server measures again after GC:
// (after - before) / connections.

const path = require('path');
const { spawn } = require('child_process');
const { listen, sleep } = require('../net-util.js');

module.exports = {
  name: 'memory',
  title: 'Memory per idle connection, server side',

  cases(mode) {
    const conns = mode === 'smoke' ? 1000 : 10000;
    const metrics = [
      { key: 'rss', label: 'RSS bytes/conn', better: 'lower' },
      { key: 'heap', label: 'JS heap bytes/conn', better: 'lower' },
    ];
    return [
      { id: `memory ${conns} idle conns`, params: { conns }, metrics },
      // V8's young generation grows to its maximum (2 x 16 MiB semi-spaces) while the sockets are made, in
      // core and fastnet alike: at 10,000 connections that is ~3.1 KB of each one's RSS above. With the
      // semi-space fixed at 1 MiB in both, RSS shows what the connections themselves hold.
      { id: `memory ${conns} idle conns, young generation fixed`,
        params: { conns, nodeArgs: ['--min-semi-space-size=1', '--max-semi-space-size=1'] }, metrics },
    ];
  },

  async child(net, { conns }) {
    let held = [];
    let wanted = 0;
    let allAccepted;
    const server = net.createServer((socket) => {
      held.push(socket);
      socket.on('error', () => {});
      if (held.length === wanted) allAccepted();
    });
    const port = await listen(server, 1024);
    const clients = [];
    // Opens `count` connections from a client process that holds them; resolves once all are accepted.
    const open = async (count) => {
      wanted = held.length + count;
      const accepting = new Promise((resolve) => { allAccepted = resolve; });
      const client = spawn(process.execPath, [path.join(__dirname, 'memory-client.js'), port, count],
        { stdio: ['pipe', 'pipe', 'inherit'] });
      clients.push(client);
      await new Promise((resolve, reject) => {
        client.on('exit', (code) => reject(new Error(`memory client exited early (${code})`)));
        client.stdout.on('data', (d) => { if (String(d).includes('READY')) resolve(); });
      });
      await accepting;
    };
    try {
      // A warm-up round, closed before measuring: the first connections read in node's code pages and
      // compile what accepting runs, ~450 bytes of each connection's RSS at 10,000 that no connection holds.
      await open(Math.ceil(conns / 10));
      for (const socket of held) socket.destroy();
      held = [];
      const before = await settle();
      await open(conns);
      const after = await settle();
      return { rss: (after.rss - before.rss) / conns, heap: (after.heapUsed - before.heapUsed) / conns };
    } finally {
      for (const client of clients) {
        client.removeAllListeners('exit');
        client.kill('SIGKILL');
      }
    }
  },
};

async function settle() {
  for (let i = 0; i < 3; i++) {
    global.gc();
    await sleep(100);
  }
  return process.memoryUsage();
}
