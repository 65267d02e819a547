'use strict';
// Scenario: setTypeOfService(tos) / getTypeOfService() and the typeOfService option (Node 24.15+). Before there is
// a socket the value is kept and applied on connect; connected, it is IP_TOS on IPv4 and IPV6_TCLASS on IPv6
// (read back with getsockopt; the kernel keeps the two ECN bits of a TCP socket to itself); while connecting
// there is no descriptor yet (EBADF, the value kept all the same); a Unix socket only keeps it. Arguments are
// checked with core's errors. fastnet does this on every Node; on Node 24, the same steps on core give the same
// observations.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const net = require('..');
const { binding } = require('../lib/native');
const { listen, once, track, tmpSocketPath, thrownShape } = require('./helpers');

const coreHasTos = typeof coreNet.Socket.prototype.setTypeOfService === 'function';

function attempt(fn) {
  try {
    return fn();
  } catch (err) {
    return `${err.name} ${err.code}: ${err.message}`;
  }
}

function kernel(socket) {
  const o = binding.socketOptions(socket._handle.fd);
  return { tos: o.tos, trafficClass: o.trafficClass };
}

async function scenario(t, impl, host) {
  const log = [];
  const server = track(t, impl.createServer((s) => s.on('error', () => {})));
  const { port } = await listen(server, 0, host);

  const c = track(t, new impl.Socket());
  log.push(['fresh', c.getTypeOfService()]);
  log.push(['set before connect', c.setTypeOfService(0x28) === c, c.getTypeOfService()]);
  c.connect(port, host);
  log.push(['set while connecting', attempt(() => c.setTypeOfService(0x30)), attempt(() => c.getTypeOfService())]);
  await once(c, 'connect');
  log.push(['applied on connect', c.getTypeOfService(), kernel(c)]);
  for (const v of [0, 0xff, 0x3f, 0xb8, 3, 0x10]) {
    c.setTypeOfService(v);
    log.push([`set ${v}`, c.getTypeOfService(), kernel(c)]);
  }
  c.destroy();
  log.push(['destroyed', c.getTypeOfService(), c.setTypeOfService(4) === c, c.getTypeOfService()]);

  const opt = track(t, new impl.Socket({ typeOfService: 0x48 }));
  log.push(['option before connect', opt.getTypeOfService()]);
  opt.connect(port, host);
  await once(opt, 'connect');
  log.push(['option applied', opt.getTypeOfService(), kernel(opt)]);
  opt.destroy();

  const viaConnect = track(t, impl.connect({ port, host, typeOfService: 0x20 }));
  const [accepted] = await once(server, 'connection');
  await once(viaConnect, 'connect');
  log.push(['connect() option', viaConnect.getTypeOfService(), kernel(viaConnect)]);
  log.push(['accepted', accepted.getTypeOfService(), accepted.setTypeOfService(0x60) === accepted,
            accepted.getTypeOfService(), kernel(accepted)]);
  viaConnect.destroy();
  server.close();
  return log;
}

for (const host of ['127.0.0.1', '::1']) {
  test(`type of service over ${host}: kept, applied on connect, read back`, async (t) => {
    const fast = await scenario(t, net, host);
    const v6 = host === '::1';
    const k = (v) => (v6 ? { tos: 0, trafficClass: v } : { tos: v, trafficClass: -1 });
    assert.deepStrictEqual(fast, [
      ['fresh', 0],
      ['set before connect', true, 0x28],
      ['set while connecting', 'Error EBADF: setTypeOfService EBADF', 'Error EBADF: getTypeOfService EBADF'],
      ['applied on connect', 0x30, k(0x30)],
      ['set 0', 0, k(0)],
      ['set 255', 0xfc, k(0xfc)],
      ['set 63', 0x3c, k(0x3c)],
      ['set 184', 0xb8, k(0xb8)],
      ['set 3', 0, k(0)],
      ['set 16', 0x10, k(0x10)],
      ['destroyed', 0x10, true, 4],
      ['option before connect', 0x48],
      ['option applied', 0x48, k(0x48)],
      ['connect() option', 0x20, k(0x20)],
      ['accepted', 0, true, 0x60, k(0x60)],
    ]);
    if (coreHasTos) assert.deepStrictEqual(fast, await scenario(t, coreNet, host));
  });
}

test('type of service on a Unix socket: only kept', async (t) => {
  const path = tmpSocketPath('tos');
  const server = track(t, net.createServer((s) => s.on('error', () => {})));
  await listen(server, path);
  const client = track(t, new net.Socket({ typeOfService: 0x10 }));
  client.connect(path);
  await once(client, 'connect');   // no 'error' from applying it
  assert.strictEqual(client.getTypeOfService(), 0x10);
  assert.strictEqual(client.setTypeOfService(0x20), client);
  assert.strictEqual(client.getTypeOfService(), 0x20);
  client.destroy();
  server.close();
});

test('setTypeOfService and the typeOfService option refuse what core refuses, with core\'s errors', () => {
  const bad = ['invalid', NaN, 256, -1, 1.5, null, undefined, 2 ** 31, '16', 16n, {}];
  const shapes = (impl) => ({
    set: bad.map((v) => thrownShape(() => new impl.Socket().setTypeOfService(v))),
    option: bad.map((v) => thrownShape(() => new impl.Socket({ typeOfService: v }))),
  });
  const fast = shapes(net);
  assert.deepStrictEqual(fast.set.map((s) => s.code), [
    'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE', 'ERR_OUT_OF_RANGE', 'ERR_OUT_OF_RANGE', 'ERR_OUT_OF_RANGE',
    'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE', 'ERR_OUT_OF_RANGE', 'ERR_INVALID_ARG_TYPE',
    'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE',
  ]);
  assert.strictEqual(fast.set[0].message, 'The "tos" argument must be of type number. Received type string (\'invalid\')');
  assert.strictEqual(fast.set[2].message, 'The value of "tos" is out of range. It must be >= 0 && <= 255. Received 256');
  assert.deepStrictEqual(fast.option.map((s) => s.code), [
    'ERR_INVALID_ARG_TYPE', 'ERR_OUT_OF_RANGE', 'ERR_OUT_OF_RANGE', 'ERR_OUT_OF_RANGE', 'ERR_OUT_OF_RANGE',
    'ERR_INVALID_ARG_TYPE', undefined, 'ERR_OUT_OF_RANGE', 'ERR_INVALID_ARG_TYPE',
    'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_TYPE',
  ]);
  if (coreHasTos) {
    // stacks differ (fastnet's files), the rest must not
    const strip = (list) => list.map(({ stackHead, ...rest }) => rest);
    const core = shapes(coreNet);
    assert.deepStrictEqual(strip(fast.set), strip(core.set));
    assert.deepStrictEqual(strip(fast.option), strip(core.option));
  }
});
