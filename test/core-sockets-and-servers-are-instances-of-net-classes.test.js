'use strict';
// In core every socket and server Node's own modules make is a net.Socket / net.Server (http's, tls's TLSSocket,
// http2's). Once an app swaps net for fastnet those stay core's, so `x instanceof net.Socket` must still hold for
// them, as Node's http and http2 tests (test-http-set-timeout, test-http2-compat-socket, ...) and apps check it.
// fastnet's own objects are not core's (core's tls and child_process must not take them for their own), and a
// subclass of fastnet's keeps the ordinary check.
const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const http = require('node:http');
const http2 = require('node:http2');
const tls = require('node:tls');
const fastnet = require('..');
const { once, listen, close } = require('./helpers');

test("core's sockets and servers are instances of fastnet's Socket and Server", () => {
  assert.strictEqual(new coreNet.Socket() instanceof fastnet.Socket, true);
  assert.strictEqual(new tls.TLSSocket() instanceof fastnet.Socket, true);
  assert.strictEqual(fastnet.Stream, fastnet.Socket);
  for (const server of [new coreNet.Server(), http.createServer(), http2.createServer(), tls.createServer()]) {
    assert.strictEqual(server instanceof fastnet.Server, true, server.constructor.name);
    assert.strictEqual(server instanceof fastnet.Socket, false, server.constructor.name);
  }
  for (const other of [{}, null, undefined, 1, new (require('node:stream').Duplex)(), Object.create(coreNet.Socket)]) {
    assert.strictEqual(other instanceof fastnet.Socket, false);
    assert.strictEqual(other instanceof fastnet.Server, false);
  }
});

test("fastnet's objects are not core's, and subclasses keep the ordinary check", () => {
  assert.strictEqual(new fastnet.Socket() instanceof coreNet.Socket, false);
  assert.strictEqual(new fastnet.Server() instanceof coreNet.Server, false);
  assert.strictEqual(new fastnet.Socket() instanceof fastnet.Socket, true);
  assert.strictEqual(fastnet.Server() instanceof fastnet.Server, true);
  class MySocket extends fastnet.Socket {}
  class MyServer extends fastnet.Server {}
  assert.strictEqual(new MySocket() instanceof fastnet.Socket, true);
  assert.strictEqual(new MySocket() instanceof MySocket, true);
  assert.strictEqual(new coreNet.Socket() instanceof MySocket, false);
  assert.strictEqual(new fastnet.Socket() instanceof MySocket, false);
  assert.strictEqual(new MyServer() instanceof fastnet.Server, true);
  assert.strictEqual(http.createServer() instanceof MyServer, false);
});

test("a request's socket on core's http server is a net.Socket, as in core", async (t) => {
  const server = http.createServer((req, res) => {
    res.end(JSON.stringify({ core: req.socket instanceof coreNet.Socket, fastnet: req.socket instanceof fastnet.Socket }));
  });
  await listen(server, 0, '127.0.0.1');
  t.after(() => close(server));
  const res = await new Promise((resolve, reject) => {
    http.get({ port: server.address().port, host: '127.0.0.1', agent: false }, resolve).on('error', reject);
  });
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (d) => { body += d; });
  await once(res, 'end');
  assert.deepStrictEqual(JSON.parse(body), { core: true, fastnet: true });
  assert.strictEqual(res.socket instanceof fastnet.Socket, true);   // http's client socket: core's, too
});

test("fastnet's Socket.prototype.destroy called on a core socket destroys it, as core's would", async (t) => {
  // Node's test-http2-respond-with-file-connection-abort destroys http2's (core) socket this way.
  const server = coreNet.createServer((s) => s.on('error', () => {}));
  await listen(server, 0, '127.0.0.1');
  t.after(() => server.close());
  const socket = coreNet.connect(server.address().port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write('x');
  socket.write('y');
  const closed = once(socket, 'close');
  fastnet.Socket.prototype.destroy.call(socket);
  await closed;
  assert.strictEqual(socket.destroyed, true);
});
