'use strict';
// A write without a callback to an idle socket goes to the kernel before the Writable is asked, and the
// Writable is skipped when the kernel takes it whole (lib/socket.js, Socket.prototype.write). What apps can see
// must stay core's: each write's return value, writableLength and bytesWritten after it, 'drain', 'finish',
// 'error' and 'close' in core's order (also with end(), destroy(), cork() or more writes in the same tick),
// and every byte at the peer in order. Each case runs on core and on fastnet alike.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const crypto = require('node:crypto');
const net = require('..');
const { listen, track } = require('./helpers');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Runs `act(client, log)` once connected; returns the client's log (its writes' results, its events with
// writableLength and bytesWritten) and what the server received (length and digest).
async function trace(t, impl, act, { peer = () => {} } = {}) {
  let received = [];
  let serverSide;
  const server = track(t, impl.createServer((s) => {
    serverSide = s;
    s.on('data', (d) => received.push(d));
    s.on('error', () => {});
    peer(s);
  }));
  const { port } = await listen(server, 0, '127.0.0.1');
  const client = track(t, impl.connect(port, '127.0.0.1'));
  const log = [];
  const state = () => `len ${client.writableLength} written ${client.bytesWritten}`;
  for (const name of ['drain', 'finish', 'close', 'end']) client.on(name, () => log.push(`${name} ${state()}`));
  client.on('error', (err) => log.push(`error ${err.code} ${state()}`));
  // (writableLength right after a write is left out: a write held for the loop's flush counts there until it
  // goes, where core's went at once; bytesWritten counts it either way)
  const say = (what, value) => log.push(`${what} -> ${value} written ${client.bytesWritten}`);
  await new Promise((resolve) => client.once('connect', resolve));
  while (!serverSide) await sleep(1);
  await act(client, say, serverSide);
  const closed = new Promise((resolve) => (client.destroyed && !client.listenerCount('close') ? resolve() :
    client.once('close', resolve)));
  await Promise.race([closed, sleep(500)]);
  client.destroy();
  await sleep(50);
  received = Buffer.concat(received);
  return { log, received: received.length, digest: crypto.createHash('sha1').update(received).digest('hex') };
}

const chunk = (n, seed = 1) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff));

const cases = {
  'one write, then end() in the same tick': (c, say) => {
    say('write', c.write(chunk(100)));
    c.end();
  },
  'one write, then destroy() in the same tick': (c, say) => {
    say('write', c.write(chunk(100)));
    c.destroy();
  },
  'one write, then destroy(err) in the same tick': (c, say) => {
    say('write', c.write(chunk(100)));
    c.destroy(Object.assign(new Error('boom'), { code: 'EBOOM' }));
  },
  'several writes in one tick, then end()': (c, say) => {
    for (let i = 0; i < 5; i++) say('write', c.write(chunk(10 + i, i)));
    say('write str', c.write('héllo'));
    c.end();
  },
  'writes a tick apart, then end()': async (c, say) => {
    for (let i = 0; i < 5; i++) {
      say('write', c.write(chunk(50 + i, i)));
      await new Promise(setImmediate);
    }
    c.end();
  },
  'a write over the highWaterMark, then one after it went': async (c, say) => {
    c.removeAllListeners('drain');
    say('write', c.write(chunk(20000)));
    await new Promise(setImmediate);
    // (whether the kernel takes 4 MiB at once, and so what write() returns, depends on the kernel here)
    if (!c.write(chunk(4 * 1024 * 1024, 3))) await new Promise((resolve) => c.once('drain', resolve));
    c.removeAllListeners('drain');
    say('write after', c.write(chunk(10)));
    c.end();
  },
  'writes the peer does not read until later': async (c, say, s) => {
    s.pause();
    // (when write() starts returning false depends on how much the kernel takes, so that is not compared)
    let full = false;
    for (let n = 0; n < 100; n++) full = !c.write(chunk(65536, n)) || full;
    say('full', full);
    s.resume();
    await new Promise((resolve) => c.once('drain', resolve));
    c.end();
  },
  'a write while corked, then uncork and end': (c, say) => {
    c.cork();
    say('write corked', c.write(chunk(30)));
    c.uncork();
    say('write after uncork', c.write(chunk(40, 2)));
    c.end();
  },
  'strings under another default encoding': (c, say) => {
    c.setDefaultEncoding('latin1');
    say('write', c.write('héllo wörld'));
    c.setDefaultEncoding('utf8');
    say('write', c.write('héllo wörld'));
    c.end();
  },
  'a Uint8Array and an empty Buffer': (c, say) => {
    say('write u8', c.write(new Uint8Array([1, 2, 3])));
    say('write empty', c.write(Buffer.alloc(0)));
    say('write', c.write(chunk(5)));
    c.end();
  },
  'a write after end()': (c, say) => {
    c.end();
    assert.throws(() => c.write(null), { code: 'ERR_STREAM_NULL_VALUES' });
    say('write after end', c.write(chunk(5)));
  },
  'a write after destroy()': (c, say) => {
    c.destroy();
    say('write after destroy', c.write(chunk(5)));
  },
  'writes to a peer that reset the connection': async (c, say, s) => {
    s.resetAndDestroy();
    await sleep(50);
    for (let i = 0; i < 3; i++) {
      say('write', c.write(chunk(100, i)));
      await new Promise(setImmediate);
    }
  },
  'an echo, ten rounds': async (c, say, s) => {
    s.on('data', (d) => s.write(d));
    let got = 0;
    c.on('data', (d) => { got += d.length; });
    for (let i = 0; i < 10; i++) {
      const before = got;
      say('write', c.write(chunk(64, i)));
      while (got < before + 64) await sleep(1);
    }
    say('echoed', got);
    c.end();
  },
};

for (const [name, act] of Object.entries(cases)) {
  test(`${name}: as core`, { timeout: 20000 }, async (t) => {
    const ours = await trace(t, net, act);
    const core = await trace(t, coreNet, act);
    assert.deepStrictEqual(ours, core);
  });
}

test('a write made while connecting goes out once connected, as core', async (t) => {
  const run = async (impl) => {
    const received = [];
    const server = track(t, impl.createServer((s) => s.on('data', (d) => received.push(d)).on('end', () => s.end())));
    const { port } = await listen(server, 0, '127.0.0.1');
    const client = track(t, impl.connect(port, '127.0.0.1'));
    const log = [`write -> ${client.write(chunk(1000))} len ${client.writableLength}`];
    client.end();
    client.resume();
    await new Promise((resolve) => client.once('close', resolve));
    log.push(`closed written ${client.bytesWritten}`);
    return { log, received: Buffer.concat(received).toString('hex') };
  };
  assert.deepStrictEqual(await run(net), await run(coreNet));
});
