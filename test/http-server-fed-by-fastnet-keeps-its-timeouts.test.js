'use strict';
// Scenario: the README's http server on fastnet, as written there: an http.Server that never listens, fed by a
// fastnet server's 'connection', with 'listening' and 'close' passed on. Requests and keep-alive work on
// fastnet sockets; a client that stalls in its headers gets 408 after headersTimeout (http's connection checks
// start on the http server's 'listening'); closeIdleConnections() ends idle keep-alive sockets; closing the
// fastnet server closes the http server (its check interval stops: the process can exit).

const test = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
const coreNet = require('node:net');
const fastnet = require('..');
const { once } = require('./helpers');

test('http.Server fed by a fastnet server: requests, keep-alive, headersTimeout, close', { timeout: 20000 }, async () => {
  const app = http.createServer({ headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 50 }, (req, res) => {
    res.end(JSON.stringify({ fastnet: fastnet.Socket.prototype.isPrototypeOf(req.socket), url: req.url }));
  });
  const server = fastnet.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => app.emit('connection', socket));
  server.on('listening', () => app.emit('listening'));
  server.on('close', () => app.close());
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();

  try {
    // Two requests on one keep-alive connection.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (url) => new Promise((resolve, reject) => {
      http.get({ port, host: '127.0.0.1', path: url, agent }, (res) => {
        const { socket } = res;   // the response lets go of it at its end
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => { body += d; });
        res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body), socket }));
      }).on('error', reject);
    });
    const first = await get('/one');
    const second = await get('/two');
    assert.deepStrictEqual([first.status, first.body], [200, { fastnet: true, url: '/one' }]);
    assert.deepStrictEqual([second.status, second.body], [200, { fastnet: true, url: '/two' }]);
    assert.strictEqual(second.socket, first.socket, 'the keep-alive connection was not reused');
    assert.strictEqual(await new Promise((r) => server.getConnections((e, n) => r(n))), 1);

    // closeIdleConnections() ends the idle keep-alive connection.
    const closed = once(first.socket, 'close');
    app.closeIdleConnections();
    await closed;
    agent.destroy();

    // A client stalled in its headers: 408 after headersTimeout, then the connection ends.
    const started = Date.now();
    const raw = coreNet.connect(port, '127.0.0.1', () => raw.write('GET /slow HTTP/1.1\r\nHost: x\r\n'));
    let reply = '';
    raw.setEncoding('utf8');
    raw.on('data', (d) => { reply += d; });
    await once(raw, 'close', 5000);
    assert.match(reply, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.ok(Date.now() - started >= 250, `408 after ${Date.now() - started} ms, before headersTimeout`);
  } finally {
    const appClosed = once(app, 'close');
    server.close();
    await appClosed;
  }
});
