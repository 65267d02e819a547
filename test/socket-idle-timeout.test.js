'use strict';
// Scenario: idle timeouts. setTimeout(ms) emits 'timeout' (once, without closing the socket) on an
// idle socket; activity postpones it; setTimeout(0) disables it; the callback form adds a one-time
// listener; the timeout connect option works; socket.timeout reflects the setting; the end of the stream
// and an empty write count as activity, as in core.
// Timing margins are wide so that a loaded machine does not make these flaky.

const test = require('node:test');
const assert = require('node:assert');
const net = require('..');
const { listen, close, once, track } = require('./helpers');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function pair(t, onServerSocket = () => {}) {
  const server = track(t, net.createServer((s) => {
    s.on('error', () => {});
    onServerSocket(s);
  }));
  const { port } = await listen(server, 0, '127.0.0.1');
  const client = track(t, net.connect(port, '127.0.0.1'));
  await once(client, 'connect');
  return { server, client };
}

test('setTimeout fires \'timeout\' on an idle socket and does not close it', { timeout: 10000 }, async (t) => {
  const { server, client } = await pair(t);
  let timeouts = 0;
  client.on('timeout', () => timeouts++);
  const start = process.hrtime.bigint();
  assert.strictEqual(client.setTimeout(100), client);
  assert.strictEqual(client.timeout, 100);
  await once(client, 'timeout');
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  assert.ok(elapsed >= 90, `'timeout' after ${elapsed} ms`);
  // It does not repeat while still idle... (core re-arms only on activity)
  await sleep(300);
  assert.strictEqual(timeouts, 1);
  // ...and the socket is still usable.
  assert.strictEqual(client.destroyed, false);
  const closed = once(client, 'close');
  client.end();
  client.resume();
  await closed;
  await close(server);
});

test('setTimeout(ms, cb) adds a one-time \'timeout\' listener', { timeout: 10000 }, async (t) => {
  const { server, client } = await pair(t);
  let calls = 0;
  await new Promise((resolve) => client.setTimeout(50, () => { calls++; resolve(); }));
  assert.strictEqual(calls, 1);
  assert.strictEqual(client.listenerCount('timeout'), 0);
  client.destroy();
  await close(server);
});

test('setTimeout(0) disables the idle timeout', { timeout: 10000 }, async (t) => {
  const { server, client } = await pair(t);
  let timeouts = 0;
  client.on('timeout', () => timeouts++);
  client.setTimeout(50);
  client.setTimeout(0);
  assert.strictEqual(client.timeout, 0);
  await sleep(300);
  assert.strictEqual(timeouts, 0);
  client.destroy();
  await close(server);
});

// As http does on every keep-alive request: clear a running timeout, stay idle past when it would have fired,
// then set one again. Returns [ms from the last set to 'timeout', number of 'timeout's].
async function clearedThenSetAgain(t, impl) {
  const server = track(t, impl.createServer((s) => s.on('error', () => {})));
  const { port } = await listen(server, 0, '127.0.0.1');
  const client = track(t, impl.connect(port, '127.0.0.1'));
  await once(client, 'connect');
  let timeouts = 0;
  client.on('timeout', () => timeouts++);
  client.setTimeout(150);
  await sleep(50);
  client.setTimeout(0);
  await sleep(300);             // the first timeout would have fired at 150 ms
  assert.strictEqual(timeouts, 0);
  const start = process.hrtime.bigint();
  client.setTimeout(200);
  await once(client, 'timeout');
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  await sleep(300);             // and not again while idle
  client.destroy();
  await close(server);
  return [elapsed, timeouts];
}

test('a cleared timeout stays silent, and one set again counts from its own setTimeout, as in core', { timeout: 10000 }, async (t) => {
  for (const impl of [require('net'), net]) {
    const [elapsed, timeouts] = await clearedThenSetAgain(t, impl);
    assert.ok(elapsed >= 190, `'timeout' ${elapsed} ms after setTimeout(200)`);
    assert.strictEqual(timeouts, 1);
  }
});

test('reads keep postponing the timeout; it fires once the peer goes quiet', { timeout: 15000 }, async (t) => {
  const TIMEOUT = 400;
  const PINGS = 12;
  const INTERVAL = 50;
  let lastPing = 0;
  const { server, client } = await pair(t, (s) => {
    let n = 0;
    const timer = setInterval(() => {
      s.write('.');
      lastPing = Date.now();
      if (++n === PINGS) clearInterval(timer);
    }, INTERVAL);
    s.on('close', () => clearInterval(timer));
  });
  client.resume();
  let pingsBeforeTimeout = 0;
  client.on('data', (d) => { pingsBeforeTimeout += d.length; });
  client.setTimeout(TIMEOUT);
  await once(client, 'timeout', 10000);
  const quiet = Date.now() - lastPing;
  // 12 pings 50 ms apart = 600 ms of activity, longer than the 400 ms timeout.
  assert.strictEqual(pingsBeforeTimeout, PINGS);
  assert.ok(quiet >= TIMEOUT - 50, `'timeout' only ${quiet} ms after the last read`);
  client.destroy();
  await close(server);
});

test('the timeout connect option arms the idle timeout', { timeout: 10000 }, async (t) => {
  const server = track(t, net.createServer());
  const { port } = await listen(server, 0, '127.0.0.1');
  const client = track(t, net.connect({ port, host: '127.0.0.1', timeout: 80 }));
  await once(client, 'timeout');
  assert.strictEqual(client.timeout, 80);
  client.destroy();
  await close(server);
});

test('a socket destroyed from its \'timeout\' handler closes cleanly', { timeout: 10000 }, async (t) => {
  const { server, client } = await pair(t);
  client.setTimeout(50, () => client.destroy());
  const [hadError] = await once(client, 'close');
  assert.strictEqual(hadError, false);
  await close(server);
});

// On impl: a client whose 100 ms idle timeout fired once is poked (poke(client, acceptedSocket, events)), then
// stays idle for 300 ms. Returns the events seen: core restarts a fired timeout on every read callback, the
// end of the stream included, and on every write, an empty one included.
async function timeoutAfterPoke(t, impl, poke) {
  const events = [];
  let accepted;
  const server = track(t, impl.createServer({ allowHalfOpen: true }, (s) => {
    s.on('error', () => {});
    s.resume();
    accepted = s;
  }));
  const { port } = await listen(server, 0, '127.0.0.1');
  const client = track(t, impl.connect({ port, host: '127.0.0.1', allowHalfOpen: true }));
  await once(client, 'connect');
  client.on('timeout', () => events.push('timeout'));
  client.resume();
  client.setTimeout(100);
  await once(client, 'timeout');
  await sleep(50);              // fired, and not again while idle
  await poke(client, accepted, events);
  await sleep(300);             // idle again since the poke: one more 'timeout'
  client.destroy();
  return events;
}

test('the peer\'s end restarts a fired idle timeout, as in core', { timeout: 10000 }, async (t) => {
  const poke = async (client, accepted, events) => {
    client.on('end', () => events.push('end'));
    accepted.end();
    await once(client, 'end');
  };
  const core = await timeoutAfterPoke(t, require('net'), poke);
  const ours = await timeoutAfterPoke(t, net, poke);
  assert.deepStrictEqual(core, ['timeout', 'end', 'timeout']);
  assert.deepStrictEqual(ours, core);
});

test('an empty write restarts a fired idle timeout, as in core', { timeout: 10000 }, async (t) => {
  const poke = (client, accepted, events) => client.write('', () => events.push('written'));
  const core = await timeoutAfterPoke(t, require('net'), poke);
  const ours = await timeoutAfterPoke(t, net, poke);
  assert.deepStrictEqual(core, ['timeout', 'written', 'timeout']);
  assert.deepStrictEqual(ours, core);
});

// Activity late in a long stretch of JS restarts the idle period from the time it happened, as core's timer
// refresh reads the clock anew; the loop's own time, read when the iteration began, would be the busy
// stretch's start, and the timeout would fire at once, before I/O the write started could complete.
async function timeoutAfterLateWrite(t, impl) {
  const server = track(t, impl.createServer((s) => s.resume()));
  const { port } = await listen(server, 0, '127.0.0.1');
  const client = track(t, impl.connect(port, '127.0.0.1'));
  await once(client, 'connect');
  client.setTimeout(100);
  await new Promise(setImmediate);
  const busyUntil = Date.now() + 150;
  while (Date.now() < busyUntil);
  const wrote = process.hrtime.bigint();
  client.write('x');
  await once(client, 'timeout');
  const after = Number(process.hrtime.bigint() - wrote) / 1e6;
  client.destroy();
  await close(server);
  return after;
}

test('a write after a long busy stretch restarts the idle period from when it was made, as in core', { timeout: 10000 }, async (t) => {
  const core = await timeoutAfterLateWrite(t, require('net'));
  assert.ok(core >= 90, `core: 'timeout' ${core} ms after the write`);
  const ours = await timeoutAfterLateWrite(t, net);
  assert.ok(ours >= 90, `'timeout' ${ours} ms after the write (core: ${core})`);
});
