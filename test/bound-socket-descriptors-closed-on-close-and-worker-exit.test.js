'use strict';
// Scenario: a BoundSocket's descriptor belongs to no uv handle until adopted. It is closed by close() or
// Symbol.dispose, by whoever adopted it when they close, and, if nobody did, when the environment ends: a worker
// that exits (or is terminated) with unadopted BoundSockets leaves no descriptor open in the process, and the
// socket files of its Unix-socket BoundSockets are removed, as for a process that ends on its own. A BoundSocket
// handed to a worker (lib/bound.js's hooks for worker transfer) is the worker's to listen on, or to have closed.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const coreNet = require('node:net');
const { FASTNET, runChild, tmpSocketPath } = require('./helpers');

async function childReport(source) {
  const { code, signal, stdout, stderr } = await runChild(source, { timeout: 30000 });
  assert.strictEqual(signal, null, stderr);
  assert.strictEqual(code, 0, stderr);
  return JSON.parse(stdout.trim().split('\n').pop());
}

const PRELUDE = `
  const fs = require('fs');
  const net = require(${JSON.stringify(FASTNET)});
  const BoundSocket = net.BoundSocket || require(${JSON.stringify(`${FASTNET}/lib/bound`)}).BoundSocket;
  const fds = () => fs.readdirSync('/proc/self/fd').length;
  const once = (e, name) => new Promise((resolve) => e.once(name, resolve));
`;

test('closed, disposed, and adopted-then-closed BoundSockets leave no descriptor and no socket file', async () => {
  const dir = tmpSocketPath('bound-fds');
  const report = await childReport(`${PRELUDE}
    (async () => {
      fs.mkdirSync(${JSON.stringify(dir)});
      const path = (i) => ${JSON.stringify(dir)} + '/' + i + '.sock';
      // warm up what a first server and connection open once (the loop's internals), then count
      { const s = net.createServer().listen(0, '127.0.0.1'); await once(s, 'listening');
        const c = net.connect(s.address().port, '127.0.0.1'); await once(c, 'connect'); c.destroy(); s.close(); await once(s, 'close'); }
      const before = fds();
      for (let i = 0; i < 40; i++) {
        const a = new BoundSocket({ host: '127.0.0.1', port: 0, reusePort: i % 2 === 0 });
        const b = new BoundSocket({ path: path(i) });
        if (i % 2) { a.close(); b.close(); } else { a[Symbol.dispose](); b[Symbol.dispose](); }
      }
      const afterClose = fds();
      for (let i = 0; i < 10; i++) {
        const server = net.createServer((s) => s.end());
        server.listen(new BoundSocket({ path: path('srv' + i) }));
        await once(server, 'listening');
        const client = new net.Socket({ handle: new BoundSocket({ path: path('src' + i) }) });
        client.connect({ path: path('srv' + i) });
        client.resume();
        await once(client, 'close');
        const tcp = new net.Socket({ handle: new BoundSocket({ host: '127.0.0.1' }) });
        tcp.destroy();                      // adopted, never connected
        await once(tcp, 'close');
        server.close();
        await once(server, 'close');
      }
      console.log(JSON.stringify({ before, afterClose, afterAdopted: fds(), files: fs.readdirSync(${JSON.stringify(dir)}) }));
      fs.rmdirSync(${JSON.stringify(dir)});
    })();
  `);
  assert.deepStrictEqual(report, { before: report.before, afterClose: report.before, afterAdopted: report.before, files: [] });
});

test('a worker that exits or is terminated with unadopted BoundSockets leaves no descriptor, no socket file', async () => {
  const dir = tmpSocketPath('bound-worker');
  const report = await childReport(`${PRELUDE}
    const { Worker } = require('worker_threads');
    fs.mkdirSync(${JSON.stringify(dir)});
    const workerSource = \`
      const { parentPort, workerData } = require('worker_threads');
      const net = require(workerData.fastnet);
      const BoundSocket = net.BoundSocket || require(workerData.fastnet + '/lib/bound').BoundSocket;
      const kept = [];
      for (let i = 0; i < 10; i++) {
        kept.push(new BoundSocket({ host: '127.0.0.1' }), new BoundSocket({ path: workerData.dir + '/w' + workerData.n + '-' + i + '.sock' }),
                  new BoundSocket({ path: '\\\\0fastnet-bound-worker-' + process.pid + '-' + workerData.n + '-' + i }));
      }
      // and one adopted by a server left listening
      const server = net.createServer().listen(new BoundSocket({ path: workerData.dir + '/w' + workerData.n + '-server.sock' }));
      server.on('listening', () => parentPort.postMessage(fs().readdirSync(workerData.dir).length));
      function fs() { return require('fs'); }
      parentPort.on('message', (how) => { if (how === 'exit') process.exit(0); });
    \`;
    (async () => {
      // a first worker opens what the process keeps for all workers: count after it
      const warm = new Worker('require(' + JSON.stringify(${JSON.stringify(FASTNET)}) + ')', { eval: true });
      await once(warm, 'exit');
      const before = fds();
      const results = [];
      for (const [n, how] of [[1, 'exit'], [2, 'terminate']]) {
        const w = new Worker(workerSource, { eval: true, workerData: { fastnet: ${JSON.stringify(FASTNET)}, dir: ${JSON.stringify(dir)}, n } });
        const [files] = await Promise.all([once(w, 'message')]);
        const during = fds();
        if (how === 'exit') w.postMessage('exit'); else w.terminate();
        await once(w, 'exit');
        results.push({ how, filesWhileRunning: files, opened: during - before >= 30, after: fds() - before,
                       filesAfter: fs.readdirSync(${JSON.stringify(dir)}) });
      }
      console.log(JSON.stringify(results));
      fs.rmdirSync(${JSON.stringify(dir)});
    })();
  `);
  assert.deepStrictEqual(report, [
    { how: 'exit', filesWhileRunning: 11, opened: true, after: 0, filesAfter: [] },
    { how: 'terminate', filesWhileRunning: 11, opened: true, after: 0, filesAfter: [] },
  ]);
});

// A process that ends on its own with an unadopted Unix-socket BoundSocket: is its file removed?
async function fileLeftAtExit(modulePath, tag) {
  const path = tmpSocketPath(`bound-exit-${tag}`);
  await childReport(`
    const net = require(${JSON.stringify(modulePath)});
    const BoundSocket = net.BoundSocket || require(${JSON.stringify(`${FASTNET}/lib/bound`)}).BoundSocket;
    globalThis.kept = new BoundSocket({ path: ${JSON.stringify(path)} });
    console.log('{}');
  `);
  const left = fs.existsSync(path);
  try { fs.unlinkSync(path); } catch {}
  return left;
}

test('a process that ends on its own removes the socket file of an unadopted BoundSocket', async () => {
  assert.strictEqual(await fileLeftAtExit(FASTNET, 'fast'), false);
  if (coreNet.BoundSocket) assert.strictEqual(await fileLeftAtExit('net', 'core'), false);
});

test('a BoundSocket handed to a worker (detachForTransfer / attachTransferred): its descriptor is the worker\'s', async () => {
  const dir = tmpSocketPath('bound-handover');
  const report = await childReport(`${PRELUDE}
    const { Worker } = require('worker_threads');
    const bound = require(${JSON.stringify(`${FASTNET}/lib/bound`)});
    fs.mkdirSync(${JSON.stringify(dir)});
    (async () => {
      const warm = new Worker('require(' + JSON.stringify(${JSON.stringify(FASTNET)}) + ')', { eval: true });
      await once(warm, 'exit');
      { const s = net.createServer().listen(0, '127.0.0.1'); await once(s, 'listening');
        const c = net.connect(s.address().port, '127.0.0.1'); await once(c, 'connect'); c.destroy(); s.close(); await once(s, 'close'); }
      const before = fds();
      const tcp = new BoundSocket({ host: '127.0.0.1' });
      const pipe = new BoundSocket({ path: ${JSON.stringify(dir)} + '/handed.sock' });
      const port = tcp.address().port;
      const handed = [bound.detachForTransfer(tcp), bound.detachForTransfer(pipe)];
      let senderError;
      try { tcp.fd(); } catch (err) { senderError = err.code; }
      const w = new Worker(\`
        const { parentPort, workerData } = require('worker_threads');
        const net = require(workerData.fastnet);
        const bound = require(workerData.fastnet + '/lib/bound');
        const [tcp, pipe] = workerData.handed.map(bound.attachTransferred);
        const server = net.createServer((s) => s.end('from the worker'));
        server.listen(tcp, () => parentPort.postMessage([server.address().port, pipe.address(), pipe.isPipe]));
        parentPort.on('message', () => process.exit(0));   // the pipe left unadopted, the server open
      \`, { eval: true, workerData: { fastnet: ${JSON.stringify(FASTNET)}, handed } });
      const [[workerPort, pipePath, isPipe]] = await Promise.all([once(w, 'message')]);
      const c = net.connect(port, '127.0.0.1');
      const chunks = [];
      c.on('data', (d) => chunks.push(d));
      await once(c, 'close');
      w.postMessage('exit');
      await once(w, 'exit');
      console.log(JSON.stringify({ senderError, samePort: workerPort === port, pipePath: pipePath.endsWith('/handed.sock'), isPipe,
                                   reply: Buffer.concat(chunks).toString(), after: fds() - before,
                                   files: fs.readdirSync(${JSON.stringify(dir)}) }));
      fs.rmdirSync(${JSON.stringify(dir)});
    })();
  `);
  assert.deepStrictEqual(report, { senderError: 'ERR_SOCKET_HANDLE_ADOPTED', samePort: true, pipePath: true, isPipe: true,
                                   reply: 'from the worker', after: 0, files: [] });
});
