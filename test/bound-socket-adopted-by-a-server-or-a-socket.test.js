'use strict';
// Scenario: a BoundSocket handed to server.listen(bound) / listen({ handle: bound }) listens where it was bound;
// handed to new net.Socket({ handle: bound }), it is the source of the next connect(): to an IP literal the
// connect goes out at once (localAddress/localPort known when connect() returns, a failure still a later
// 'error'), localAddress/localPort options are refused, a name is looked up without happy eyeballs. Over Unix
// sockets: the server reports the path, a client reports its source path as localAddress, the socket files go
// when their holders close. Adoption consumes the BoundSocket (ERR_SOCKET_HANDLE_ADOPTED afterwards). On Node 24,
// core does the same.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const coreNet = require('node:net');
const net = require('..');
const { listen, once, track, tmpSocketPath, errorShape } = require('./helpers');

const BoundSocket = net.BoundSocket || require('../lib/bound').BoundSocket;
const impls = [['fastnet', net, BoundSocket]];
if (coreNet.BoundSocket) impls.push(['core', coreNet, coreNet.BoundSocket]);

function echoServer(t, impl, ...args) {
  return track(t, impl.createServer(...args, (s) => s.on('data', (d) => s.end(`pong:${d}`))));
}

// Sends 'ping' once connected; resolves with what came back once the socket closed.
async function pingPong(client) {
  const chunks = [];
  client.on('data', (d) => chunks.push(d));
  if (client.connecting) await once(client, 'connect');
  client.end('ping');
  await once(client, 'close');
  return Buffer.concat(chunks).toString();
}

function adoptedErrorOf(fn) {
  try {
    fn();
    return 'no error';
  } catch (err) {
    return `${err.code}: ${err.message}`;
  }
}
const ADOPTED = 'ERR_SOCKET_HANDLE_ADOPTED: The bound socket has already been adopted by a server or socket';

for (const [name, impl, Bound] of impls) {
  test(`${name}: server.listen(bound) and listen({ handle: bound }) listen where it was bound`, async (t) => {
    for (const form of ['bound', 'options']) {
      const bound = new Bound({ host: '127.0.0.1', port: 0 });
      const { port } = bound.address();
      const server = echoServer(t, impl);
      server.listen(form === 'bound' ? bound : { handle: bound, backlog: 8, host: 'ignored', port: 1 });
      await once(server, 'listening');
      assert.deepStrictEqual(server.address(), { address: '127.0.0.1', family: 'IPv4', port });
      for (const m of ['address', 'fd', 'close']) assert.strictEqual(adoptedErrorOf(() => bound[m]()), ADOPTED);
      bound[Symbol.dispose]();   // nothing: it is the server's now
      assert.strictEqual(await pingPong(impl.connect(port, '127.0.0.1')), 'pong:ping');
      // consumed: a second adoption is refused
      assert.strictEqual(adoptedErrorOf(() => impl.createServer().listen(bound)), ADOPTED);
      assert.strictEqual(adoptedErrorOf(() => new impl.Socket({ handle: bound })), ADOPTED);
      server.close();
      await once(server, 'close');
    }
  });

  test(`${name}: new Socket({ handle: bound }) connects from the bound address, known when connect() returns`, async (t) => {
    const server = echoServer(t, impl);
    const { port } = await listen(server, 0, '127.0.0.1');
    const bound = new Bound({ host: '127.0.0.1', port: 0 });
    const localPort = bound.address().port;
    const client = track(t, new impl.Socket({ handle: bound }));
    assert.strictEqual(adoptedErrorOf(() => bound.address()), ADOPTED);
    const events = [];
    client.on('connectionAttempt', (ip, p) => events.push(`attempt ${ip}:${p === port}`));
    assert.strictEqual(client.connect({ host: '127.0.0.1', port }), client);
    events.push('returned');
    assert.strictEqual(client.localAddress, '127.0.0.1');
    assert.strictEqual(client.localPort, localPort);
    const [accepted] = await once(server, 'connection');
    assert.strictEqual(accepted.remotePort, localPort);
    await once(client, 'connect');
    assert.strictEqual(client.localPort, localPort);
    assert.deepStrictEqual(events, ['attempt 127.0.0.1:true', 'returned']);
    assert.strictEqual(await pingPong(client), 'pong:ping');
    server.close();
  });

  test(`${name}: an adopted socket connects to a name through the lookup, without happy eyeballs`, async (t) => {
    const server = echoServer(t, impl);
    const { port } = await listen(server, 0, '127.0.0.1');
    const bound = new Bound({ host: '127.0.0.1', port: 0 });
    const localPort = bound.address().port;
    const client = track(t, new impl.Socket({ handle: bound }));
    const lookups = [];
    client.connect({ host: 'bound.invalid', port, autoSelectFamily: true, lookup(host, options, cb) {
      lookups.push([host, options.all === true]);
      process.nextTick(cb, null, '127.0.0.1', 4);
    } });
    await once(client, 'connect');
    assert.deepStrictEqual(lookups, [['bound.invalid', false]]);
    assert.strictEqual(client.localPort, localPort);
    assert.strictEqual(await pingPong(client), 'pong:ping');
    server.close();
  });
}

// What a connect() through an adopted socket throws or emits, shaped for comparison.
async function connectOutcomes(t, impl, Bound) {
  const out = {};
  const refused = new impl.Socket({ handle: new Bound({ host: '127.0.0.1', port: 0 }) });
  for (const extra of [{ localPort: 0 }, { localAddress: '127.0.0.1' }, { localAddress: undefined, localPort: 1234 }]) {
    try {
      refused.connect({ host: '127.0.0.1', port: 1, ...extra });
      out[JSON.stringify(extra)] = 'no error';
    } catch (err) {
      const { stackHead, ...shape } = errorShape(err);
      out[JSON.stringify(extra)] = shape;
    }
  }
  refused.destroy();
  await once(refused, 'close');

  // an IPv4 source to an IPv6 literal: the connect fails at once, reported as a later 'error'
  const mismatch = track(t, new impl.Socket({ handle: new Bound({ host: '127.0.0.1', port: 0 }) }));
  let sync = true;
  mismatch.connect({ host: '::1', port: 1 });
  const [err] = await once(mismatch, 'error');
  const { stackHead, ...shape } = errorShape(err);
  out.mismatch = { sync, shape: { ...shape, message: shape.message.replace(/:\d+\)$/, ':PORT)'), string: undefined } };
  sync = false;
  await once(mismatch, 'close');

  // adopted, never connected, destroyed: closes quietly
  const idle = new impl.Socket({ handle: new Bound({ host: '127.0.0.1', port: 0 }) });
  out.idle = [idle.pending, idle.connecting, idle.readyState];
  idle.destroy();
  const [hadError] = await once(idle, 'close');
  out.idle.push(hadError);
  return out;
}

test('connect() through an adopted socket: refused options, a failed connect, destroy before connect', async (t) => {
  const fast = await connectOutcomes(t, net, BoundSocket);
  for (const key of ['{"localPort":0}', '{"localAddress":"127.0.0.1"}', '{"localPort":1234}']) {
    assert.strictEqual(fast[key].code, 'ERR_INVALID_ARG_VALUE', key);
    assert.match(fast[key].message, /localAddress and localPort cannot be used with an adopted bound socket/);
  }
  assert.strictEqual(fast.mismatch.shape.syscall, 'connect');
  assert.strictEqual(fast.mismatch.sync, true);
  assert.deepStrictEqual(fast.idle, [false, false, 'open', false]);
  if (coreNet.BoundSocket) assert.deepStrictEqual(fast, await connectOutcomes(t, coreNet, coreNet.BoundSocket));
});

// A server and a client over Unix sockets, both from BoundSockets: what each reports, which files exist when.
async function unixScenario(t, impl, Bound, tag) {
  const dst = tmpSocketPath(`bound-dst-${tag}`);
  const src = tmpSocketPath(`bound-src-${tag}`);
  const out = {};
  const server = echoServer(t, impl);
  const dstBound = new Bound({ path: dst });
  server.listen(dstBound);
  await once(server, 'listening');
  out.serverAddress = server.address() === dst;
  const srcBound = new Bound({ path: src });
  out.srcAddress = srcBound.address() === src;
  const client = track(t, new impl.Socket({ handle: srcBound }));
  client.connect({ path: dst });
  out.localBeforeConnect = client.localAddress === src;
  const [accepted] = await once(server, 'connection');
  out.accepted = [accepted.remoteFamily, accepted.remoteAddress];
  await once(client, 'connect');
  out.localOnConnect = client.localAddress === src;
  out.remote = [client.remoteAddress, client.remoteFamily];
  out.reply = await pingPong(client);
  out.srcFileAfterClientClose = fs.existsSync(src);
  out.localAfterClose = client.localAddress === src;

  // the adopted client, destroyed, connects again (a Unix socket again, from the path option)
  client.connect({ path: dst });
  out.again = await pingPong(client);

  out.dstFileWhileListening = fs.existsSync(dst);
  server.close();
  await once(server, 'close');
  out.dstFileAfterServerClose = fs.existsSync(dst);
  return out;
}

test('Unix sockets: a server and a client from BoundSockets; the socket files go with their holders', async (t) => {
  const fast = await unixScenario(t, net, BoundSocket, 'fast');
  assert.deepStrictEqual(fast, {
    serverAddress: true, srcAddress: true, localBeforeConnect: true,
    accepted: [undefined, undefined], localOnConnect: true, remote: [undefined, undefined], reply: 'pong:ping',
    srcFileAfterClientClose: false, localAfterClose: true, again: 'pong:ping',
    dstFileWhileListening: true, dstFileAfterServerClose: false,
  });
  if (coreNet.BoundSocket) assert.deepStrictEqual(fast, await unixScenario(t, coreNet, coreNet.BoundSocket, 'core'));
});

test('an abstract Unix socket from a BoundSocket: no file, listens and connects', async (t) => {
  const name = `\0fastnet-bound-abstract-${process.pid}`;
  const bound = new BoundSocket({ path: name });
  assert.strictEqual(bound.address(), name);
  const server = echoServer(t, net);
  server.listen(bound);
  await once(server, 'listening');
  assert.strictEqual(server.address(), name);
  assert.strictEqual(fs.existsSync(name.slice(1)), false);
  assert.strictEqual(await pingPong(net.connect({ path: name })), 'pong:ping');
  server.close();
});

test('two BoundSockets with reusePort on one port: both servers listen', async (t) => {
  const first = new BoundSocket({ host: '127.0.0.1', port: 0, reusePort: true });
  const { port } = first.address();
  const second = new BoundSocket({ host: '127.0.0.1', port, reusePort: true });
  const a = echoServer(t, net);
  const b = echoServer(t, net);
  a.listen(first);
  b.listen(second);
  await Promise.all([once(a, 'listening'), once(b, 'listening')]);
  assert.strictEqual(a.address().port, port);
  assert.strictEqual(b.address().port, port);
  assert.strictEqual(await pingPong(net.connect(port, '127.0.0.1')), 'pong:ping');
  a.close();
  b.close();
});
