'use strict';
// Workers with fastnet sockets in every state (connecting, writing 0-300 KB, timing out, moved to the main
// thread, one moved in from it, their server moved out) are ended at random moments, by terminate() or by
// closing up and exiting, one after another: the process must not crash, and under npm run test:asan no memory
// may be misused, as each env's handles are torn down while traffic and moves are under way. Seeded.
const test = require('node:test');
const assert = require('node:assert');
const { FASTNET, runChild } = require('./helpers');

const CHILD = (seed, rounds) => `
  const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');
  const net = require(${JSON.stringify(FASTNET)});
  const source = ${JSON.stringify(`
    const { parentPort, workerData } = require('worker_threads');
    const net = require(${JSON.stringify(FASTNET)});
    let seed = workerData.seed;
    const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
    process.on('uncaughtException', () => {});
    const sockets = [];
    let exiting = false;
    const server = net.createServer((c) => { c.on('error', () => {}); c.pipe(c); });
    server.listen(0, '127.0.0.1');
    parentPort.on('message', (m) => {
      if (m === 'exit') {
        exiting = true;
        for (const s of sockets) s.destroy();
        server.close();
        parentPort.close();
      } else if (m && m.socket) {
        if (exiting) return m.socket.destroy();
        m.socket.on('error', () => {});
        m.socket.resume();
        m.socket.write('hi');
        sockets.push(m.socket);
      }
    });
    for (let i = 0; i < 5; i++) {
      const c = net.connect(workerData.port, '127.0.0.1');
      c.on('error', () => {});
      c.resume();
      c.on('connect', () => {
        c.write(Buffer.alloc(Math.floor(rnd() * 300000)));
        c.setTimeout(Math.floor(rnd() * 20), () => c.destroy());
        const r = rnd();
        try {
          if (r < 0.3) parentPort.postMessage({ socket: c }, [c]);
          else if (r < 0.4) parentPort.postMessage({ server }, [server]);
        } catch {}
      });
      sockets.push(c);
    }
  `)};
  let seed = ${seed};
  const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  process.on('uncaughtException', () => {});
  const received = [];
  let moved = 0;
  const server = net.createServer((c) => { c.on('error', () => {}); if (rnd() < 0.7) c.pipe(c); else c.resume(); });
  server.listen(0, '127.0.0.1', async () => {
    const port = server.address().port;
    for (let round = 0; round < ${rounds}; round++) {
      const w = new Worker(source, { eval: true, workerData: { port, seed: Math.floor(rnd() * 1e6) } });
      w.on('error', () => {});
      w.on('message', (m) => {
        moved++;
        const x = m.socket || m.server;
        x.on('error', () => {});
        received.push(x);
        if (m.socket) { m.socket.resume(); if (rnd() < 0.5) m.socket.write('back'); if (rnd() < 0.3) m.socket.destroy(); }
        else if (rnd() < 0.5) m.server.close();
      });
      if (rnd() < 0.5) {
        const c = net.connect(port, '127.0.0.1');
        c.on('error', () => {});
        c.once('connect', () => { try { w.postMessage({ socket: c }, [c]); moved++; } catch {} });
      }
      await new Promise((resolve) => setTimeout(resolve, Math.floor(rnd() * 100)));
      if (rnd() < 0.7) {
        await w.terminate();
      } else {
        const exited = new Promise((resolve) => w.once('exit', resolve));
        w.postMessage('exit');
        // a worker that got a socket after it closed up would live on with it: not what this looks at
        const late = setTimeout(() => w.terminate(), 2000);
        await exited;
        clearTimeout(late);
      }
    }
    for (const x of received) { try { x.destroy ? x.destroy() : x.close(); } catch {} }
    server.close();
    setTimeout(() => { console.log('rounds', ${rounds}, 'moved', moved); process.exit(0); }, 100);
  });
`;

for (const seed of [1, 2, 3]) {
  test(`workers ended mid-traffic, with sockets and servers moving (seed ${seed})`, async (t) => {
    const { code, signal, stdout, stderr } = await runChild(CHILD(seed, 12), { timeout: 120000 });
    assert.strictEqual(signal, null, stderr);
    assert.strictEqual(code, 0, stderr);
    const [, rounds, , moved] = stdout.trim().split(' ');
    assert.strictEqual(rounds, '12', stdout);
    assert.ok(Number(moved) > 0, stdout);
    t.diagnostic(stdout.trim());
  });
}
