'use strict';
// The diagnostics channels core net publishes on (APM tools subscribe to them), run on core and on fastnet:
// which sockets 'net.client.socket' and 'net.server.socket' report, and the 'net.server.listen' tracing events.
// From 22.17 (and on the 24 line) core publishes 'net.client.socket' from every Socket.prototype.connect(), so
// `new net.Socket().connect()` is reported too; Node 20 reports only net.connect()/createConnection().
const test = require('node:test');
const assert = require('node:assert');
const dc = require('node:diagnostics_channel');
const coreNet = require('node:net');
const fastnet = require('..');

function session(net) {
  return new Promise((resolve) => {
    const log = [];
    const name = (socket) => socket.tag || (socket.server ? 'accepted' : 'untagged');
    const onClient = ({ socket }) => log.push(`client.socket ${name(socket)} ${socket instanceof net.Socket}`);
    const onServer = ({ socket }) => log.push(`server.socket ${socket instanceof net.Socket}`);
    const listen = {
      start: ({ options }) => log.push(`listen start ${options.port}`),
      asyncStart: () => log.push('listen asyncStart'),
      asyncEnd: () => log.push('listen asyncEnd'),
      error: ({ error }) => log.push(`listen error ${error.code}`),
    };
    dc.subscribe('net.client.socket', onClient);
    dc.subscribe('net.server.socket', onServer);
    dc.tracingChannel('net.server.listen').subscribe(listen);
    let accepted = 0;
    const server = net.createServer((s) => {
      s.destroy();
      if (++accepted === 3) finish();
    });
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = server.address();
      const tagged = (socket, tag) => { socket.tag = tag; return socket; };
      tagged(new net.Socket(), 'new Socket().connect').connect(port, '127.0.0.1').on('error', () => {});
      // tagged before connect() through the prototype, since createConnection() makes and connects it at once
      net.Socket.prototype.tag = 'createConnection';
      net.createConnection(port, '127.0.0.1').on('error', () => {});
      net.Socket.prototype.tag = 'connect';
      net.connect(port, '127.0.0.1').on('error', () => {});
      delete net.Socket.prototype.tag;
    });
    function finish() {
      const taken = net.createServer();
      taken.on('error', () => {
        dc.unsubscribe('net.client.socket', onClient);
        dc.unsubscribe('net.server.socket', onServer);
        dc.tracingChannel('net.server.listen').unsubscribe(listen);
        server.close(() => resolve(log));
      });
      taken.listen(server.address().port, '127.0.0.1');
    }
  });
}

test("'net.client.socket', 'net.server.socket' and 'net.server.listen' report what core's report", async () => {
  const core = await session(coreNet);
  const ours = await session(fastnet);
  assert.ok(core.includes('client.socket createConnection true'), core.join('\n'));
  assert.deepStrictEqual(ours, core);
});
