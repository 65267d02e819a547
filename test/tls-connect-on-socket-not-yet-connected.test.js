'use strict';
// Scenario: tls.connect({ socket }) on a socket whose connect() comes after (a `new Socket()`). Core's TLSSocket
// holds its ClientHello until the socket's 'connect'; a fastnet socket went through with it at once and failed
// with ERR_SOCKET_CLOSED. Both now handshake, exchange a message each way and close as core's do.
// (Core's TLSSocket also emits 'connect' and reports `connecting` for its own sockets only: not compared.)

const test = require('node:test');
const assert = require('node:assert');
const tls = require('node:tls');
const coreNet = require('node:net');
const fastnet = require('..');
const { track, listen, once } = require('./helpers');
const { key, cert, record } = require('./tls-helpers');

async function connectLater(t, net) {
  const server = track(t, tls.createServer({ key, cert }, (s) => {
    s.write('hello');
    s.on('data', () => s.end());
  }));
  const { port } = await listen(server, 0, '127.0.0.1');
  const log = [];
  const raw = track(t, new net.Socket());
  const socket = track(t, tls.connect({ socket: raw, rejectUnauthorized: false }));
  record(log, 'tls', socket, ['secureConnect', 'end', 'finish', 'close', 'error']);
  record(log, 'raw', raw, ['connect', 'close', 'error']);
  socket.on('data', (d) => { log.push(`tls:data ${d}`); socket.end('bye'); });
  raw.connect(port, '127.0.0.1');
  await Promise.all([once(socket, 'close', 5000, false), once(raw, 'close', 5000, false)]);
  return log;
}

test('tls.connect on a socket not yet connected waits for its connect', async (t) => {
  const core = await connectLater(t, coreNet);
  assert.ok(core.includes('tls:data hello'), core.join(' '));
  assert.deepStrictEqual(await connectLater(t, fastnet), core);
});
