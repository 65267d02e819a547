'use strict';
// Scenario: the blockList option. A client socket refuses to connect to a blocked address (ERR_IP_BLOCKED; with
// several addresses each blocked one is a failed attempt); a server closes a blocked peer's connection before any
// Socket or 'connection' exists for it. fastnet offers it on every Node; where core has it (22.13+), the outcome
// is compared with core's.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const net = require('..');
const { listen, close, track, once, errorShape, thrownShape } = require('./helpers');

const coreHasIt = (() => {
  try {
    coreNet.createServer({ blockList: 5 });
    return false;
  } catch {
    return true;
  }
})();

function blocking(...addresses) {
  const list = new coreNet.BlockList();
  for (const a of addresses) list.addAddress(a);
  return list;
}

async function blockedConnect(impl, options) {
  const events = [];
  const socket = impl.connect({ port: 9, blockList: blocking('127.0.0.1', '127.0.0.2'), ...options });
  socket.on('connectionAttempt', (address) => events.push(`attempt ${address}`));
  socket.on('connectionAttemptFailed', (address, port, family, err) => events.push(`failed ${address} ${err.code}`));
  const [err] = await once(socket, 'error', 5000, false);
  return { events, error: errorShape(err), errors: err.errors?.map((e) => e.code) };
}

const lookupOne = (h, o, cb) => process.nextTick(cb, null, '127.0.0.1', 4);
const lookupTwo = (h, o, cb) =>
  process.nextTick(cb, null, [{ address: '127.0.0.1', family: 4 }, { address: '127.0.0.2', family: 4 }]);
const cases = {
  'an IP': { host: '127.0.0.1' },
  'a name, one address': { host: 'blocked.test', lookup: lookupOne, autoSelectFamily: false },
  'a name, two addresses (happy eyeballs)': { host: 'blocked.test', lookup: lookupTwo, autoSelectFamily: true },
};

for (const [what, options] of Object.entries(cases)) {
  test(`connect to a blocked address (${what}): ERR_IP_BLOCKED, no attempt made`, async () => {
    const fast = await blockedConnect(net, options);
    if (what.includes('two')) {
      assert.deepStrictEqual(fast.events, ['failed 127.0.0.1 ERR_IP_BLOCKED', 'failed 127.0.0.2 ERR_IP_BLOCKED']);
      assert.deepStrictEqual(fast.errors, ['ERR_IP_BLOCKED', 'ERR_IP_BLOCKED']);
    } else {
      assert.strictEqual(fast.error.code, 'ERR_IP_BLOCKED');
      assert.strictEqual(fast.error.message, 'IP(127.0.0.1) is blocked by net.BlockList');
    }
    if (coreHasIt) assert.deepStrictEqual(fast, await blockedConnect(coreNet, options));
  });
}

test('a server with a blockList closes a blocked peer before any Socket or \'connection\'', async (t) => {
  const server = track(t, net.createServer({ blockList: blocking('127.0.0.1') }, () => assert.fail('connection')));
  let created = 0;
  server.on('drop', () => assert.fail('drop'));
  const { port } = await listen(server, 0, '127.0.0.1');
  const client = track(t, net.connect(port, '127.0.0.1'));
  client.on('error', () => {});
  client.on('connect', () => created++);
  await once(client, 'close', 5000, false);
  assert.strictEqual(server._connections, 0);
  // A peer that is not blocked still gets in.
  const other = track(t, net.createServer({ blockList: blocking('127.0.0.2') }, (s) => s.end('hi')));
  const { port: port2 } = await listen(other, 0, '127.0.0.1');
  const ok = track(t, net.connect(port2, '127.0.0.1'));
  const [data] = await once(ok, 'data');
  assert.strictEqual(String(data), 'hi');
  await close(server);
  await close(other);
  assert.ok(created <= 1);
});

test('blockList that is not a net.BlockList: core\'s error, on Socket and Server', () => {
  for (const bad of [5, {}, 'x']) {
    const fastSocket = thrownShape(() => new net.Socket({ blockList: bad }));
    const fastServer = thrownShape(() => net.createServer({ blockList: bad }));
    assert.strictEqual(fastSocket.code, 'ERR_INVALID_ARG_TYPE');
    assert.strictEqual(fastServer.code, 'ERR_INVALID_ARG_TYPE');
    if (coreHasIt) {
      assert.deepStrictEqual(fastSocket, thrownShape(() => new coreNet.Socket({ blockList: bad })));
      assert.deepStrictEqual(fastServer, thrownShape(() => coreNet.createServer({ blockList: bad })));
    }
  }
});
