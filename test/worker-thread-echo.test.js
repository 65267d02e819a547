'use strict';
// Scenario: fastnet used inside worker threads. Each worker runs its own echo server and client
// (TCP and Unix socket), reports the result and exits by itself, which also shows that it left no
// handle open. Several workers run at once while the main thread uses fastnet too: the addon's state
// must be per environment.

const test = require('node:test');
const assert = require('node:assert');
const { Worker } = require('node:worker_threads');
const net = require('..');
const { FASTNET, listen, close, once, track, tmpSocketPath } = require('./helpers');

const WORKER_SOURCE = `
'use strict';
const net = require(${JSON.stringify(FASTNET)});
const { parentPort, workerData } = require('worker_threads');

function echo(listenArgs, connectArgs) {
  return new Promise((resolve, reject) => {
    const server = net.createServer((s) => s.pipe(s));
    server.on('error', reject);
    server.listen(...listenArgs, () => {
      const port = server.address().port;
      const c = net.connect(...(port ? [port, connectArgs[0]] : connectArgs));
      const payload = Buffer.alloc(256 * 1024, workerData.id);
      const chunks = [];
      c.on('error', reject);
      c.on('data', (d) => chunks.push(d));
      c.on('connect', () => c.end(payload));
      c.on('close', () => {
        server.close(() => resolve({
          ok: Buffer.concat(chunks).equals(payload),
          bytesRead: c.bytesRead,
          bytesWritten: c.bytesWritten,
        }));
      });
    });
  });
}

(async () => {
  const tcp = await echo([0, '127.0.0.1'], ['127.0.0.1']);
  const unix = await echo([workerData.path], [workerData.path]);
  parentPort.postMessage({ tcp, unix });
})();
`;

function runWorker(t, id) {
  const worker = track(t, new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { id, path: tmpSocketPath(`worker${id}`) },
  }));
  const messages = [];
  const errors = [];
  worker.on('message', (m) => messages.push(m));
  worker.on('error', (e) => errors.push(e));
  return once(worker, 'exit', 15000).then(([code]) => ({ code, messages, errors }));
}

const EXPECTED = { ok: true, bytesRead: 256 * 1024, bytesWritten: 256 * 1024 };

test('echo server and client inside a worker thread; the worker exits by itself', { timeout: 20000 }, async (t) => {
  const r = await runWorker(t, 1);
  assert.deepStrictEqual(r.errors, []);
  assert.strictEqual(r.code, 0);
  assert.deepStrictEqual(r.messages, [{ tcp: EXPECTED, unix: EXPECTED }]);
});

test('several workers and the main thread use fastnet at the same time', { timeout: 30000 }, async (t) => {
  // Main thread: an echo server that keeps a conversation going while the workers run.
  const server = track(t, net.createServer((s) => s.pipe(s)));
  const { port } = await listen(server, 0, '127.0.0.1');
  const client = track(t, net.connect(port, '127.0.0.1'));
  await once(client, 'connect');
  let rounds = 0;
  let stop = false;
  const mainDone = new Promise((resolve, reject) => {
    client.on('error', reject);
    client.on('data', (d) => {
      assert.strictEqual(String(d), `ping ${rounds}`);
      rounds++;
      if (stop) client.end();
      else client.write(`ping ${rounds}`);
    });
    client.on('close', resolve);
  });
  client.write('ping 0');

  const results = await Promise.all([2, 3, 4, 5].map((id) => runWorker(t, id)));
  stop = true;
  await mainDone;
  await close(server);

  for (const r of results) {
    assert.deepStrictEqual(r.errors, []);
    assert.strictEqual(r.code, 0);
    assert.deepStrictEqual(r.messages, [{ tcp: EXPECTED, unix: EXPECTED }]);
  }
  assert.ok(rounds > 0);
});
