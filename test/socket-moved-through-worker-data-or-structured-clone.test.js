'use strict';
// Scenario: the two other ways core (Node 24+) moves a socket or server: new Worker(file, { workerData,
// transferList }) (the worker finds them in workerData, nested or as workerData itself) and, within one thread,
// structuredClone(value, { transfer }). Each arrives working, the source ends detached, and no descriptor is left
// behind. On Node 24+ the same runs against core net and must report the same.

const test = require('node:test');
const assert = require('node:assert');
const { coreTransfers, run } = require('./transfer-helpers');

const SCENARIO = `
  const { Worker } = require('worker_threads');
  const once = (emitter, event) => new Promise((resolve) => emitter.once(event, resolve));
  const WORKER = \`
    const net = require(process.env.NET_UNDER_TEST);
    const { parentPort, workerData } = require('worker_threads');
    const socket = net.Socket.prototype.isPrototypeOf(workerData) ? workerData : workerData.list[0].socket;
    socket.on('data', (d) => socket.end('worker:' + d));
    parentPort.postMessage(net.Socket.prototype.isPrototypeOf(socket));
  \`;
  const results = {};

  (async () => {
    await warmUp();
    const before = fds();
    const server = net.createServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const ask = async (move) => {
      const client = net.connect(server.address().port, '127.0.0.1');
      const [socket] = await Promise.all([once(server, 'connection'), once(client, 'connect')]);
      const moved = await move(socket);
      let got = '';
      client.setEncoding('utf8');
      client.on('data', (d) => { got += d; });
      client.end('hi');
      await once(client, 'close');
      return { ...moved, got, source: { handle: socket._handle, destroyed: socket.destroyed } };
    };
    for (const [name, workerData] of [['nested in workerData', (s) => ({ list: [{ socket: s }] })], ['as workerData', (s) => s]]) {
      results[name] = await ask(async (socket) => {
        const worker = new Worker(WORKER, { eval: true, workerData: workerData(socket), transferList: [socket] });
        const isSocket = await once(worker, 'message');
        worker.on('exit', () => {});
        return { isSocket, stop: () => worker.terminate() };
      });
      await results[name].stop();
      delete results[name].stop;
    }
    results.structuredClone = await ask(async (socket) => {
      const copy = structuredClone({ socket }, { transfer: [socket] }).socket;
      copy.on('data', (d) => copy.end('copy:' + d));
      return { isSocket: net.Socket.prototype.isPrototypeOf(copy), other: copy !== socket };
    });
    // A server through structuredClone keeps listening.
    {
      const moved = net.createServer();
      await new Promise((resolve) => moved.listen(0, '127.0.0.1', resolve));
      const copy = structuredClone([moved], { transfer: [moved] })[0];
      copy.on('connection', (c) => c.end('served'));
      const c = net.connect(moved.address() ? moved.address().port : copy.address().port, '127.0.0.1');
      c.setEncoding('utf8');
      results['structuredClone server'] = { isServer: net.Server.prototype.isPrototypeOf(copy), served: await once(c, 'data'), sourceHandle: moved._handle };
      await new Promise((resolve) => copy.close(resolve));
    }
    await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    results.leaked = fds() - before;
    report(results);
  })();
`;

const SOURCE = { handle: null, destroyed: true };
const EXPECTED = {
  'nested in workerData': { isSocket: true, got: 'worker:hi', source: SOURCE },
  'as workerData': { isSocket: true, got: 'worker:hi', source: SOURCE },
  structuredClone: { isSocket: true, other: true, got: 'copy:hi', source: SOURCE },
  'structuredClone server': { isServer: true, served: 'served', sourceHandle: null },
  leaked: 0,
};

test('a socket moved through workerData or structuredClone arrives working', { timeout: 30000 }, async () => {
  assert.deepStrictEqual(await run(SCENARIO), EXPECTED);
});

test('core net reports the same (Node 24+)', { timeout: 30000, skip: !coreTransfers && 'core net cannot transfer sockets on this Node' }, async () => {
  assert.deepStrictEqual(await run(SCENARIO, 'core'), EXPECTED);
});
