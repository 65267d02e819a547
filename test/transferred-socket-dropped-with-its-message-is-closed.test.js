'use strict';
// Scenario: a socket or server is moved in a message that is never delivered: to a worker that never listens
// and is terminated, or that ends by itself; on a port closed before posting; to a port closed with the
// message still queued. The connection is closed (the client sees its end) and the listening socket too
// (connecting is refused), and no descriptor is left behind, as with core, which closes what a dropped message
// held (fastnet does it on the sending thread, once its loop hears of it: a moment later). Also: a socket
// listed but not in the message is detached and closed (core detaches it too, but keeps the connection open on
// the receiving side without anything to reach it: that part is not compared).

const test = require('node:test');
const assert = require('node:assert');
const { coreTransfers, run } = require('./transfer-helpers');

const SCENARIO = `
  const { MessageChannel, Worker } = require('worker_threads');
  const results = {};
  const once = (emitter, event) => new Promise((resolve) => emitter.once(event, resolve));
  let server;
  const accepted = [];
  // A connection: the accepted side (untouched, to be moved) and what the client sees of its end.
  async function connection() {
    const client = net.connect(server.address().port, '127.0.0.1');
    const seen = [];
    client.on('end', () => seen.push('end'));
    client.on('error', (e) => seen.push(e.code));
    const closed = new Promise((resolve) => client.on('close', () => resolve(seen)));
    client.resume();
    const [socket] = await Promise.all([once(server, 'connection'), once(client, 'connect')]);
    return { socket, closed };
  }
  const within = (promise, ms) => Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms, 'timed out').unref())]);
  const idleWorker = (source) => new Worker(source, { eval: true });

  (async () => {
    await warmUp();
    const before = fds();
    server = net.createServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

    {
      const worker = idleWorker('setInterval(() => {}, 1000)');
      await once(worker, 'online');
      const { socket, closed } = await connection();
      worker.postMessage({ socket }, [socket]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const open = await within(closed, 100) === 'timed out';
      await worker.terminate();
      results['worker terminated'] = { openUntilThen: open, client: await within(closed, 5000), destroyed: socket.destroyed };
    }
    {
      const worker = idleWorker('');
      const { socket, closed } = await connection();
      worker.postMessage({ socket }, [socket]);
      await once(worker, 'exit');
      results['worker ended by itself'] = { client: await within(closed, 5000), destroyed: socket.destroyed };
    }
    {
      const { port1, port2 } = new MessageChannel();
      port1.close();
      const { socket, closed } = await connection();
      port1.postMessage({ socket }, [socket]);
      results['posted on a closed port'] = { client: await within(closed, 5000), destroyed: socket.destroyed };
      port2.close();
    }
    {
      const { port1, port2 } = new MessageChannel();
      const { socket, closed } = await connection();
      port1.postMessage({ socket }, [socket]);
      port2.close();
      results['queued at a port that closed'] = { client: await within(closed, 5000), destroyed: socket.destroyed };
    }
    {
      const worker = idleWorker('setInterval(() => {}, 1000)');
      const moved = net.createServer();
      await new Promise((resolve) => moved.listen(0, '127.0.0.1', resolve));
      const { port } = moved.address();
      worker.postMessage({ moved }, [moved]);
      await worker.terminate();
      // fastnet closes the listening socket once this thread hears that the message went (its lifeline port
      // closed), core as the message is destroyed: a moment later here.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const probe = net.connect(port, '127.0.0.1');
      results['server to a worker terminated'] = await within(new Promise((resolve) => {
        probe.on('error', (e) => resolve(e.code));
        probe.on('connect', () => { probe.destroy(); resolve('connected'); });
      }), 5000);
    }
    if (process.env.NET_UNDER_TEST !== 'net') {
      const { port1, port2 } = new MessageChannel();
      const { socket, closed } = await connection();
      port1.postMessage({ nothing: true }, [socket]);
      results['listed, not in the message'] = { client: await within(closed, 5000), destroyed: socket.destroyed };
      port1.close();
      port2.close();
    }

    await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => setTimeout(resolve, 100));
    results.leaked = fds() - before;
    report(results);
  })();
`;

const CLOSED = { client: ['end'], destroyed: true };
const EXPECTED = {
  'worker terminated': { openUntilThen: true, ...CLOSED },
  'worker ended by itself': CLOSED,
  'posted on a closed port': CLOSED,
  'queued at a port that closed': CLOSED,
  'server to a worker terminated': 'ECONNREFUSED',
  leaked: 0,
};

test('a socket or server moved in a message that is never delivered is closed', { timeout: 30000 }, async () => {
  assert.deepStrictEqual(await run(SCENARIO), { ...EXPECTED, 'listed, not in the message': CLOSED });
});

test('core net does the same (Node 24+)', { timeout: 30000, skip: !coreTransfers && 'core net cannot transfer sockets on this Node' }, async () => {
  assert.deepStrictEqual(await run(SCENARIO, 'core'), EXPECTED);
});
