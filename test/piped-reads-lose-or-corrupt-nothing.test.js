'use strict';
// Scenario: a socket piped to one of our sockets (an echo with socket.pipe(socket), a proxy) reads into the
// same memory again once the chunk it read has gone to the kernel whole and nothing holds it. Whatever else
// holds a chunk (a second 'data' listener, a destination that must wait, one that is not ours) keeps it
// intact, and every byte arrives, in order.

const test = require('node:test');
const assert = require('node:assert');
const crypto = require('node:crypto');
const stream = require('node:stream');
const net = require('..');
const { listen, close, track, once } = require('./helpers');

const SIZE = 24 * 1024 * 1024;
const WRITE = 256 * 1024;

// Sends `data` from a client in big writes, ends, and resolves everything the client read back.
async function roundTrip(t, port, data) {
  const client = track(t, net.connect(port, '127.0.0.1'));
  const received = [];
  client.on('data', (chunk) => received.push(chunk));
  const ended = once(client, 'end', 30000);
  await once(client, 'connect');
  for (let at = 0; at < data.length; at += WRITE) {
    if (!client.write(data.subarray(at, at + WRITE))) await once(client, 'drain', 30000);
  }
  client.end();
  await ended;
  return Buffer.concat(received);
}

// An echo server whose sockets pipe to themselves; `onSocket` may add to each.
async function echoServer(t, onSocket = () => {}) {
  const server = track(t, net.createServer((s) => {
    s.pipe(s);
    onSocket(s);
  }));
  const { port } = await listen(server, 0, '127.0.0.1');
  return { server, port };
}

test('pipe() returns its destination, tells it, and unpipe() undoes it, as core\'s', async (t) => {
  const { server, port } = await echoServer(t);
  const a = track(t, net.connect(port, '127.0.0.1'));
  const b = track(t, net.connect(port, '127.0.0.1'));
  let told = null;
  b.on('pipe', (src) => { told = src; });
  assert.strictEqual(a.pipe(b), b);
  assert.strictEqual(told, a);
  assert.strictEqual(a.listenerCount('data'), 1);
  a.unpipe(b);
  assert.strictEqual(a.listenerCount('data'), 0);
  a.destroy();
  b.destroy();
  await close(server);
});

test('an echo through pipe() returns every byte in order', { timeout: 60000 }, async (t) => {
  const { server, port } = await echoServer(t);
  const data = crypto.randomBytes(SIZE);
  const back = await roundTrip(t, port, data);
  assert.ok(back.equals(data));
  await close(server);
});

test('through a proxy of piped sockets, both ways, every byte arrives in order', { timeout: 60000 }, async (t) => {
  const { server: echo, port: echoPort } = await echoServer(t);
  // Half-open both ways, so that the client's end() reaches the echo, and the echo's end() comes back after its data.
  const proxy = track(t, net.createServer({ allowHalfOpen: true }, (down) => {
    const up = net.connect({ port: echoPort, host: '127.0.0.1', allowHalfOpen: true });
    down.pipe(up);
    up.pipe(down);
  }));
  const { port } = await listen(proxy, 0, '127.0.0.1');
  const data = crypto.randomBytes(SIZE);
  const back = await roundTrip(t, port, data);
  assert.ok(back.equals(data));
  await close(proxy);
  await close(echo);
});

test('chunks a second listener keeps stay intact, also after it is removed', { timeout: 60000 }, async (t) => {
  const kept = [];
  const { server, port } = await echoServer(t, (s) => {
    let reads = 0;
    const keep = (chunk) => {
      kept.push({ chunk, copy: Buffer.from(chunk) });
      if (++reads === 20) s.off('data', keep);   // from now on pipe()'s listener is alone again
    };
    s.on('data', keep);
  });
  const data = crypto.randomBytes(SIZE);
  const back = await roundTrip(t, port, data);
  assert.ok(back.equals(data));
  assert.strictEqual(kept.length, 20);
  for (const { chunk, copy } of kept) assert.ok(chunk.equals(copy), 'a kept chunk changed');
  assert.ok(Buffer.concat(kept.map((k) => k.chunk)).equals(data.subarray(0, kept.reduce((n, k) => n + k.chunk.length, 0))));
  await close(server);
});

test('chunks piped to a stream that is not a socket, and that keeps them, stay intact', { timeout: 60000 }, async (t) => {
  const kept = [];
  const server = track(t, net.createServer((s) => {
    const sink = new stream.Writable({
      write(chunk, encoding, cb) {
        kept.push({ chunk, copy: Buffer.from(chunk) });
        cb();
      },
    });
    s.pipe(sink);
    sink.on('finish', () => s.end());
  }));
  const { port } = await listen(server, 0, '127.0.0.1');
  const data = crypto.randomBytes(SIZE / 4);
  await roundTrip(t, port, data);
  for (const { chunk, copy } of kept) assert.ok(chunk.equals(copy), 'a kept chunk changed');
  assert.ok(Buffer.concat(kept.map((k) => k.chunk)).equals(data));
  await close(server);
});

test('a piped destination that must wait keeps its chunks intact until they are sent', { timeout: 60000 }, async (t) => {
  const { server, port } = await echoServer(t);
  const client = track(t, net.connect(port, '127.0.0.1'));
  await once(client, 'connect');
  const data = crypto.randomBytes(SIZE / 2);
  // Write everything before reading anything back: the echo's writes fill the kernel's buffers and queue.
  client.pause();
  for (let at = 0; at < data.length; at += WRITE) client.write(data.subarray(at, at + WRITE));
  client.end();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const received = [];
  client.on('data', (chunk) => received.push(chunk));
  client.resume();
  await once(client, 'end', 30000);
  assert.ok(Buffer.concat(received).equals(data));
  await close(server);
});

test('a proxy whose sockets are corked, paused and listened to at random keeps every byte and every kept chunk', { timeout: 60000 }, async (t) => {
  let seed = 7;
  const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  const { server: echo, port: echoPort } = await echoServer(t);
  const kept = [];
  const timers = [];
  const proxy = track(t, net.createServer({ allowHalfOpen: true }, (down) => {
    const up = net.connect({ port: echoPort, host: '127.0.0.1', allowHalfOpen: true });
    down.pipe(up);
    up.pipe(down);
    const sides = [down, up];
    const keep = (chunk) => kept.push({ chunk, copy: Buffer.from(chunk) });
    const timer = setInterval(() => {
      const x = sides[Math.floor(rnd() * 2)];
      const what = rnd();
      if (what < 0.25) {
        x.cork();
        setTimeout(() => x.uncork(), 1);
      } else if (what < 0.5) {
        x.pause();
        setTimeout(() => x.resume(), 2);
      } else if (what < 0.75) {
        x.on('data', keep);
        setTimeout(() => x.off('data', keep), 2);
      } else {
        x.setNoDelay(rnd() < 0.5);
      }
    }, 1);
    timers.push(timer);
  }));
  const { port } = await listen(proxy, 0, '127.0.0.1');
  const data = crypto.randomBytes(SIZE);
  const back = await roundTrip(t, port, data);
  for (const timer of timers) clearInterval(timer);
  assert.ok(back.equals(data));
  assert.ok(kept.length > 0, 'no chunk was kept');
  for (const { chunk, copy } of kept) assert.ok(chunk.equals(copy), 'a kept chunk changed');
  await close(proxy);
  await close(echo);
});

test('chunks a wrapped emit() sees and keeps stay intact', { timeout: 60000 }, async (t) => {
  const kept = [];
  const { server, port } = await echoServer(t, (s) => {
    const emit = s.emit;
    s.emit = function(event, ...args) {
      if (event === 'data') kept.push({ chunk: args[0], copy: Buffer.from(args[0]) });
      return emit.call(this, event, ...args);
    };
  });
  const data = crypto.randomBytes(SIZE / 2);
  const back = await roundTrip(t, port, data);
  assert.ok(back.equals(data));
  assert.ok(kept.length > 0);
  for (const { chunk, copy } of kept) assert.ok(chunk.equals(copy), 'a kept chunk changed');
  await close(server);
});
