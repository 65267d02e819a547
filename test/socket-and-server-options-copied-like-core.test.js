'use strict';
// Scenario: new Socket(options) and new Server(options) work on a copy of the options, as core does: the
// caller's object is not changed, own keys count and inherited ones do not, and an own `__proto__` key
// (JSON.parse makes them) is a plain key, not a prototype to inherit from.
// The copy is Object.assign's rather than a spread (see copyOptions in lib/socket.js); this checks the two
// agree wherever the options could tell them apart.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('net');
const net = require('..');

// What a socket made with `options` shows of them, for fastnet and core alike.
function socketView(impl, options) {
  const s = new impl.Socket(options);
  const view = {
    allowHalfOpen: s.allowHalfOpen,
    readableHighWaterMark: s.readableHighWaterMark,
    writableHighWaterMark: s.writableHighWaterMark,
    readable: s.readable,
  };
  s.destroy();
  return view;
}

function serverView(impl, options) {
  const server = new impl.Server(options);
  return { allowHalfOpen: server.allowHalfOpen, pauseOnConnect: server.pauseOnConnect, noDelay: server.noDelay };
}

test('the caller\'s options object is left as it was', () => {
  const options = { allowHalfOpen: 1, readableHighWaterMark: 1000 };
  const before = JSON.stringify(options);
  new net.Socket(options).destroy();
  new net.Server(options);
  assert.strictEqual(JSON.stringify(options), before);
  assert.deepStrictEqual(Object.keys(options), ['allowHalfOpen', 'readableHighWaterMark']);
});

test('an own __proto__ key is not inherited from, as with core', () => {
  const json = '{"__proto__": {"allowHalfOpen": true, "readableHighWaterMark": 7, "pauseOnConnect": true}}';
  assert.deepStrictEqual(socketView(net, JSON.parse(json)), socketView(coreNet, JSON.parse(json)));
  assert.strictEqual(socketView(net, JSON.parse(json)).allowHalfOpen, false);
  assert.deepStrictEqual(serverView(net, JSON.parse(json)), serverView(coreNet, JSON.parse(json)));
  assert.strictEqual(serverView(net, JSON.parse(json)).pauseOnConnect, false);
});

test('inherited options do not count, own ones do, as with core', () => {
  const inherited = Object.create({ allowHalfOpen: true, readableHighWaterMark: 7 });
  assert.deepStrictEqual(socketView(net, inherited), socketView(coreNet, inherited));
  const own = { allowHalfOpen: true, readableHighWaterMark: 7, readable: false };
  assert.deepStrictEqual(socketView(net, own), socketView(coreNet, own));
  assert.strictEqual(socketView(net, own).readableHighWaterMark, 7);
  const server = { allowHalfOpen: true, pauseOnConnect: true, noDelay: true };
  assert.deepStrictEqual(serverView(net, server), serverView(coreNet, server));
});

test('getters on the options run once, as a copy reads them', () => {
  for (const impl of [net, coreNet]) {
    let reads = 0;
    const options = { get allowHalfOpen() { reads++; return true; } };
    const s = new impl.Socket(options);
    assert.strictEqual(s.allowHalfOpen, true);
    s.destroy();
    assert.strictEqual(reads, 1, impl === net ? 'fastnet' : 'core');
  }
});
