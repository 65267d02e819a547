'use strict';
// Scenario: process.nextTick callbacks (and promise microtasks) queued inside a 'data' handler run
// before the next 'data' event, as they do in core, where every native callback into JS drains the
// tick and microtask queues on the way out.

const test = require('node:test');
const assert = require('node:assert');
const net = require('..');
const { listen, close, once, track, tmpSocketPath } = require('./helpers');

const ROUNDS = 10;

// Server sends message i, client acknowledges from its 'data' handler, server sends i + 1 on the
// ack: every message is exactly one 'data' event on the client, and the next one can only arrive
// through a later read callback.
async function pingPong(t, listenArgs, connectArgs) {
  const log = [];
  const server = track(t, net.createServer((s) => {
    let i = 0;
    s.write(`m${i++}`);
    s.on('data', () => {
      if (i < ROUNDS) s.write(`m${i++}`);
      else s.end();
    });
  }));
  const address = await listen(server, ...listenArgs);
  const client = track(t, net.connect(...connectArgs(address), () => {
    log.push('connect');
    process.nextTick(() => log.push('connect tick'));
  }));
  client.setEncoding('utf8');
  client.on('data', (d) => {
    log.push(`data ${d}`);
    process.nextTick(() => {
      log.push(`tick ${d}`);
      process.nextTick(() => log.push(`nested tick ${d}`));
    });
    Promise.resolve().then(() => log.push(`promise ${d}`));
    client.write('ack');
  });
  const closed = once(client, 'close');
  await once(client, 'end');
  await closed;
  await close(server);

  const expected = ['connect', 'connect tick'];
  for (let i = 0; i < ROUNDS; i++) {
    expected.push(`data m${i}`, `tick m${i}`, `nested tick m${i}`, `promise m${i}`);
  }
  assert.deepStrictEqual(log, expected);
}

test('nextTick and promises queued in \'data\' run before the next \'data\' (TCP)', { timeout: 10000 }, (t) =>
  pingPong(t, [0, '127.0.0.1'], (a) => [a.port, '127.0.0.1']));

test('nextTick and promises queued in \'data\' run before the next \'data\' (Unix socket)', { timeout: 10000 }, (t) => {
  const p = tmpSocketPath('tick');
  return pingPong(t, [p], () => [p]);
});

test('nextTick queued in \'data\' runs before the next \'data\' with chunks sent on timers', { timeout: 10000 }, async (t) => {
  const log = [];
  const server = track(t, net.createServer((s) => {
    let i = 0;
    const timer = setInterval(() => {
      if (i < 5) s.write(`c${i++}`);
      else {
        clearInterval(timer);
        s.end();
      }
    }, 25);
    s.on('close', () => clearInterval(timer));
  }));
  const { port } = await listen(server, 0, '127.0.0.1');
  const client = track(t, net.connect(port, '127.0.0.1'));
  let events = 0;
  client.on('data', () => {
    const n = events++;
    log.push(`data ${n}`);
    process.nextTick(() => log.push(`tick ${n}`));
  });
  const closed = once(client, 'close');
  await once(client, 'end');
  log.push('end');
  await closed;
  await close(server);
  assert.ok(events >= 2, `expected several 'data' events, got ${events}`);
  const expected = [];
  for (let n = 0; n < events; n++) expected.push(`data ${n}`, `tick ${n}`);
  expected.push('end');
  assert.deepStrictEqual(log, expected);
});
