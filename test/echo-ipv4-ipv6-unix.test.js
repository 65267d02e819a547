'use strict';
// Scenario: echo over IPv4 loopback, IPv6 loopback and a Unix socket, checking addresses, ports,
// families, byte counters and server.address() on both ends.

const test = require('node:test');
const assert = require('node:assert');
const net = require('..');
const { listen, close, once, track, tmpSocketPath } = require('./helpers');

// Multi-byte UTF-8 characters: byte counters must count bytes, not characters.
const MESSAGE = 'héllo wörld '.repeat(1000);
const MESSAGE_BYTES = Buffer.byteLength(MESSAGE);

function addressing(s) {
  return {
    remoteAddress: s.remoteAddress,
    remotePort: s.remotePort,
    remoteFamily: s.remoteFamily,
    localAddress: s.localAddress,
    localPort: s.localPort,
    address: s.address(),
  };
}

// Start an echo server with listenArgs, connect one client with connectArgs(serverAddress),
// send MESSAGE in two writes, read the echo back until 'end', wait for both sides to close.
async function echoOnce(t, listenArgs, connectArgs) {
  const server = track(t, net.createServer());
  const serverSide = new Promise((resolve) => {
    server.once('connection', (s) => {
      const info = addressing(s);
      s.pipe(s); // echo, and end when the client ends
      s.on('close', (hadError) => {
        resolve({ info, hadError, bytesRead: s.bytesRead, bytesWritten: s.bytesWritten });
      });
    });
  });
  const address = await listen(server, ...listenArgs);
  assert.strictEqual(server.listening, true);

  const client = track(t, net.connect(...connectArgs(address)));
  assert.strictEqual(client.connecting, true);
  assert.strictEqual(client.pending, true);
  await once(client, 'connect');
  assert.strictEqual(client.connecting, false);
  assert.strictEqual(client.pending, false);
  assert.strictEqual(client.readyState, 'open');
  const clientInfo = addressing(client);

  const chunks = [];
  client.on('data', (d) => chunks.push(d));
  const closed = once(client, 'close');
  client.write(MESSAGE.slice(0, 100));
  client.end(MESSAGE.slice(100));
  await once(client, 'end');
  const [hadError] = await closed;
  assert.strictEqual(hadError, false);
  const server2 = await serverSide;
  assert.strictEqual(server2.hadError, false);

  assert.strictEqual(Buffer.concat(chunks).toString(), MESSAGE);
  assert.strictEqual(client.bytesWritten, MESSAGE_BYTES);
  assert.strictEqual(client.bytesRead, MESSAGE_BYTES);
  assert.strictEqual(server2.bytesRead, MESSAGE_BYTES);
  assert.strictEqual(server2.bytesWritten, MESSAGE_BYTES);

  await close(server);
  assert.strictEqual(server.listening, false);
  // (core keeps returning the path of a closed Unix socket server, so only TCP is checked here)
  if (typeof address !== 'string') assert.strictEqual(server.address(), null);
  return { address, clientInfo, serverInfo: server2.info };
}

for (const [host, family] of [['127.0.0.1', 'IPv4'], ['::1', 'IPv6']]) {
  test(`echo over ${family} (${host})`, { timeout: 10000 }, async (t) => {
    const { address, clientInfo, serverInfo } =
      await echoOnce(t, [0, host], (a) => [a.port, host]);
    assert.deepStrictEqual(address, { address: host, family, port: address.port });
    assert.ok(Number.isInteger(address.port) && address.port > 0 && address.port < 65536);

    assert.ok(Number.isInteger(clientInfo.localPort) && clientInfo.localPort > 0);
    assert.notStrictEqual(clientInfo.localPort, address.port);
    assert.deepStrictEqual(clientInfo, {
      remoteAddress: host,
      remotePort: address.port,
      remoteFamily: family,
      localAddress: host,
      localPort: clientInfo.localPort,
      address: { address: host, family, port: clientInfo.localPort },
    });
    assert.deepStrictEqual(serverInfo, {
      remoteAddress: host,
      remotePort: clientInfo.localPort,
      remoteFamily: family,
      localAddress: host,
      localPort: address.port,
      address: { address: host, family, port: address.port },
    });
  });
}

test('echo over IPv4 with the options form of listen and connect', { timeout: 10000 }, async (t) => {
  const { address, clientInfo } = await echoOnce(t, 
    [{ port: 0, host: '127.0.0.1' }], (a) => [{ port: a.port, host: '127.0.0.1' }]);
  assert.strictEqual(address.family, 'IPv4');
  assert.strictEqual(clientInfo.remotePort, address.port);
  assert.strictEqual(clientInfo.remoteAddress, '127.0.0.1');
});

test('echo over a Unix socket', { timeout: 10000 }, async (t) => {
  const sockPath = tmpSocketPath('echo');
  const { address, clientInfo, serverInfo } = await echoOnce(t, [sockPath], () => [sockPath]);
  assert.strictEqual(address, sockPath); // server.address() is the path for a Unix socket
  // Unix sockets have no IP addressing: core reports undefined fields and an empty address().
  const none = {
    remoteAddress: undefined,
    remotePort: undefined,
    remoteFamily: undefined,
    localAddress: undefined,
    localPort: undefined,
    address: {},
  };
  assert.deepStrictEqual(clientInfo, none);
  assert.deepStrictEqual(serverInfo, none);
});
