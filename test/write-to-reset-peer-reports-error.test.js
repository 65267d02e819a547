'use strict';
// Scenario: clients that are not reading (paused, read buffer full, or past EOF with allowHalfOpen) end()
// with a small write to a peer that has already reset. The kernel refuses the bytes, so the write must fail:
// every client gets 'error' (ECONNRESET or EPIPE) and 'close', and no descriptor is left open. Core does
// this; a write reported done before the kernel had it left such sockets readOnly forever.
// Also: an allowHalfOpen server replying, in two writes, to a client that has gone gets EPIPE, as in core.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const coreNet = require('node:net');
const fastnet = require('..');
const { listen, close, once, track } = require('./helpers');

const CLIENTS = 300;
const MODES = ['paused', 'buffer full', 'past EOF'];
const openFds = () => fs.readdirSync('/proc/self/fd').length;

// The peer (always core): resets each connection once the client is in its mode.
async function resetPeer(t) {
  const server = track(t, coreNet.createServer((s) => {
    s.on('error', () => {});
    const mode = MODES[server.accepted++ % MODES.length];
    if (mode === 'buffer full') s.write(Buffer.alloc(1 << 20));  // more than the client reads ahead
    if (mode === 'past EOF') s.end(() => setTimeout(() => s.resetAndDestroy(), 20));
    else setTimeout(() => s.resetAndDestroy(), 20);
    s.on('close', () => { if (++server.resets === CLIENTS) server.emit('all reset'); });
  }));
  server.accepted = 0;
  server.resets = 0;
  await listen(server, 0, '127.0.0.1');
  return server;
}

async function writeToResetPeers(t, net) {
  const server = await resetPeer(t);
  const fdsBefore = openFds();
  const allReset = once(server, 'all reset', 10000);
  const clients = [];
  for (let i = 0; i < CLIENTS; i++) {
    const mode = MODES[i % MODES.length];
    const socket = track(t, net.connect({ port: server.address().port, host: '127.0.0.1', allowHalfOpen: mode === 'past EOF' }));
    const client = { mode, socket, outcome: [] };
    socket.on('error', (e) => client.outcome.push(e.code));
    client.closed = new Promise((resolve) => socket.on('close', resolve));
    if (mode === 'paused') socket.pause();
    if (mode === 'past EOF') socket.on('end', () => client.outcome.push('end')).resume();
    // 'buffer full': no 'data' listener, so the socket reads up to its highWaterMark and stops
    clients.push(client);
  }
  await allReset;
  await new Promise((resolve) => setTimeout(resolve, 100));  // the resets have reached the clients
  for (const { socket } of clients) socket.end('x');
  let timer;
  await Promise.race([
    Promise.all(clients.map((c) => c.closed)),
    new Promise((resolve, reject) => { timer = setTimeout(() => reject(new Error('still open: ' +
      clients.filter((c) => !c.socket.destroyed).slice(0, 5).map((c) => `${c.mode}/${c.socket.readyState}`))), 8000); }),
  ]).finally(() => clearTimeout(timer));
  await new Promise((resolve) => setImmediate(resolve));
  const fdsAfter = openFds();
  await close(server);
  for (const c of clients) {
    const failed = c.outcome.filter((x) => x !== 'end');
    assert.strictEqual(failed.length, 1, `${c.mode}: ${c.outcome}`);
    assert.match(failed[0], /^(ECONNRESET|EPIPE)$/, `${c.mode}: ${c.outcome}`);
  }
  return { fdsBefore, fdsAfter };
}

test(`${CLIENTS} clients not reading end() with a write to reset peers: all fail and close, like core`, async (t) => {
  const core = await writeToResetPeers(t, coreNet);   // the same assertions hold for core
  const fast = await writeToResetPeers(t, fastnet);
  assert.strictEqual(fast.fdsAfter, fast.fdsBefore, 'every client descriptor is closed');
  assert.strictEqual(core.fdsAfter, core.fdsBefore);
});

async function replyToGoneClient(t, net) {
  const events = [];
  const done = new Promise((resolve) => {
    const server = track(t, net.createServer({ allowHalfOpen: true }, (s) => {
      s.resume();
      s.on('end', () => setTimeout(() => {
        s.write('reply 1', (e) => events.push(`write cb ${e ? e.code : e}`));
        // by now the closed client has answered the first reply with a reset
        setTimeout(() => s.end('reply 2', (e) => events.push(`end cb ${e ? e.code : e}`)), 50);
      }, 20));
      s.on('error', (e) => events.push(`error ${e.code}`));
      s.on('finish', () => events.push('finish'));
      s.on('close', (hadError) => { events.push(`close ${hadError}`); server.close(resolve); });
    }));
    server.listen(0, '127.0.0.1', () => {
      const c = track(t, coreNet.connect(server.address().port, '127.0.0.1', () => c.end('request')));
      c.on('finish', () => c.destroy());
    });
  });
  await done;
  return events;
}

test('an allowHalfOpen server replying to a client that has gone gets EPIPE, like core', async (t) => {
  const core = await replyToGoneClient(t, coreNet);
  const fast = await replyToGoneClient(t, fastnet);
  assert.deepStrictEqual(core, ['write cb null', 'end cb EPIPE', 'error EPIPE', 'close true']);
  assert.deepStrictEqual(fast, core);
});
