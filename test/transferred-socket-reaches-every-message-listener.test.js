'use strict';
// Scenario: a moved socket arrives as a working net.Socket however the message is received: port.on / once
// ('message'), addEventListener('message'), onmessage, events.once(port, 'message'), receiveMessageOnPort(),
// worker.on('message') (a worker moves its own connection to the main thread), parentPort in a worker; and
// wherever it is in the message: the message itself, in an array, as a Map value and key, in a Set, deep inside,
// twice (one socket), next to a server that is moved too, next to a MessagePort of the app's (event.ports
// shows that port only). No descriptor is left behind. On Node 24+ the same runs against core net and must
// report the same.

const test = require('node:test');
const assert = require('node:assert');
const { coreTransfers, run } = require('./transfer-helpers');

const SCENARIO = `
  const { MessageChannel, receiveMessageOnPort, Worker } = require('worker_threads');
  const events = require('events');
  const results = {};
  const once = (emitter, event) => new Promise((resolve) => emitter.once(event, resolve));
  let port;
  const fresh = () => { const s = net.connect(port, '127.0.0.1'); return once(s, 'connect').then(() => s); };
  const works = (socket) => new Promise((resolve) => {
    if (!(net.Socket.prototype.isPrototypeOf(socket))) return resolve('not a net.Socket: ' + Object.prototype.toString.call(socket));
    let got = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => { got += d; if (got === 'ping') { socket.destroy(); resolve(true); } });
    socket.on('error', (e) => resolve(e.code));
    socket.write('ping');
  });
  // Posts what make(s) builds with [s] listed; receive(port2) resolves with what arrived; check(arrived, s?)
  // tells what to report.
  async function path(name, receive, make = (s) => ({ s }), check = (m) => works(m.s), list = (s) => [s]) {
    const { port1, port2 } = new MessageChannel();
    const s = await fresh();
    const arrived = receive(port2);
    port1.postMessage(make(s), list(s));
    results[name] = await check(await arrived);
    port1.close();
    port2.close();
  }

  (async () => {
    await warmUp();
    const before = fds();
    const echo = net.createServer((s) => s.pipe(s));
    await new Promise((resolve) => echo.listen(0, '127.0.0.1', resolve));
    port = echo.address().port;

    await path('port.on', (p) => new Promise((resolve) => p.on('message', resolve)));
    await path('port.once', (p) => once(p, 'message'));
    await path('addEventListener', (p) => new Promise((resolve) => p.addEventListener('message', (e) => resolve(e))),
      undefined, async (e) => ({ works: await works(e.data.s), ports: e.ports.length }));
    await path('onmessage', (p) => new Promise((resolve) => { p.onmessage = (e) => resolve(e.data); }));
    await path('events.once', (p) => events.once(p, 'message').then(([m]) => m));
    await path('receiveMessageOnPort', (p) => new Promise((resolve) => setImmediate(() => resolve(receiveMessageOnPort(p).message))));
    await path('the message itself', (p) => once(p, 'message'), (s) => s, (m) => works(m));
    await path('in an array', (p) => once(p, 'message'), (s) => [1, [s]], (m) => works(m[1][0]));
    await path('a Map value', (p) => once(p, 'message'), (s) => new Map([['k', s]]), (m) => works(m.get('k')));
    await path('a Map key', (p) => once(p, 'message'), (s) => new Map([[s, 'v']]),
      (m) => { const [k] = m.keys(); return m.get(k) === 'v' && works(k); });
    await path('in a Set', (p) => once(p, 'message'), (s) => new Set([s]), (m) => works([...m][0]));
    await path('deep inside', (p) => once(p, 'message'), (s) => ({ a: [{ b: new Map([['c', { s }]]) }] }),
      (m) => works(m.a[0].b.get('c').s));
    await path('twice', (p) => once(p, 'message'), (s) => ({ a: s, b: [s] }),
      (m) => m.a === m.b[0] && works(m.a));

    // Next to a port of the app's: event.ports has that port only.
    {
      const app = new MessageChannel();
      await path('next to an app port', (p) => new Promise((resolve) => p.addEventListener('message', resolve)),
        (s) => ({ s, appPort: app.port1 }),
        async (e) => ({ ports: e.ports.length, isAppPort: e.ports[0] === e.data.appPort, works: await works(e.data.s) }),
        (s) => [s, app.port1]);
      app.port2.close();
    }

    // With a server in the same message.
    {
      const server = net.createServer();  // listeners stay behind: the received server gets its own
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      const serverPort = server.address().port;
      await path('next to a server', (p) => once(p, 'message'), (s) => ({ s, server }), async (m) => {
        if (!m.server.listening) await once(m.server, 'listening');
        m.server.on('connection', (c) => c.end('served'));
        const c = net.connect(serverPort, '127.0.0.1');
        c.setEncoding('utf8');
        const served = await once(c, 'data');
        await new Promise((resolve) => m.server.close(resolve));
        return { isServer: net.Server.prototype.isPrototypeOf(m.server), served, works: await works(m.s) };
      }, (s) => [s, server]);
    }

    // A worker moves its own connection to this thread: worker.on('message'); it receives one back on parentPort.
    {
      const worker = new Worker(\`
        const net = require(process.env.NET_UNDER_TEST);
        const { parentPort, workerData } = require('worker_threads');
        const s = net.connect(workerData.port, '127.0.0.1', () => parentPort.postMessage({ s }, [s]));
        parentPort.on('message', ({ back }) => {
          back.setEncoding('utf8');
          back.on('data', (d) => { if (d === 'ping') { back.destroy(); parentPort.postMessage('echoed'); } });
          back.write('ping');
        });
      \`, { eval: true, workerData: { port } });
      const { s } = await once(worker, 'message');
      results['worker.on(message)'] = await works(s);
      const back = await fresh();
      worker.postMessage({ back }, [back]);
      results['parentPort.on(message)'] = await once(worker, 'message');
      await worker.terminate();
    }

    await new Promise((resolve) => echo.close(resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    results.leaked = fds() - before;
    report(results);
  })();
`;

const EXPECTED = {
  'port.on': true,
  'port.once': true,
  addEventListener: { works: true, ports: 0 },
  onmessage: true,
  'events.once': true,
  receiveMessageOnPort: true,
  'the message itself': true,
  'in an array': true,
  'a Map value': true,
  'a Map key': true,
  'in a Set': true,
  'deep inside': true,
  twice: true,
  'next to an app port': { ports: 1, isAppPort: true, works: true },
  'next to a server': { isServer: true, served: 'served', works: true },
  'worker.on(message)': true,
  'parentPort.on(message)': 'echoed',
  leaked: 0,
};

test('a moved socket arrives working through every way of receiving a message, from anywhere in it', { timeout: 30000 }, async () => {
  assert.deepStrictEqual(await run(SCENARIO), EXPECTED);
});

test('core net reports the same (Node 24+)', { timeout: 30000, skip: !coreTransfers && 'core net cannot transfer sockets on this Node' }, async () => {
  assert.deepStrictEqual(await run(SCENARIO, 'core'), EXPECTED);
});
