'use strict';
// Scenario: fastnet is a drop-in for require('net'): it exports exactly the names core net exports on the
// running Node (20, 22, 24, 26 differ), each of the same kind, and the main classes have core's public methods.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('net');
const net = require('..');

// What core net exports on Node 20, written out so the test does not depend only on the runtime.
const NODE20_EXPORTS = [
  '_createServerHandle', '_normalizeArgs', '_setSimultaneousAccepts', 'BlockList', 'SocketAddress',
  'connect', 'createConnection', 'createServer', 'isIP', 'isIPv4', 'isIPv6', 'Server', 'Socket', 'Stream',
  'getDefaultAutoSelectFamily', 'setDefaultAutoSelectFamily', 'getDefaultAutoSelectFamilyAttemptTimeout',
  'setDefaultAutoSelectFamilyAttemptTimeout',
];

const MAJOR = Number(process.versions.node.split('.')[0]);

test('every name core net exports is exported, with the same type', () => {
  const names = new Set([...Object.keys(coreNet), ...(MAJOR === 20 ? NODE20_EXPORTS : [])]);
  const missing = [...names].filter((k) => !(k in net));
  assert.deepStrictEqual(missing, []);
  for (const k of names) {
    assert.strictEqual(typeof net[k], typeof coreNet[k], `typeof net.${k}`);
  }
});

test('Object.keys() of fastnet equals that of core net, in the same order', () => {
  assert.deepStrictEqual(Object.keys(net), Object.keys(coreNet));
});

test('BoundSocket is offered on every Node version (not enumerable where core lacks it)', () => {
  assert.strictEqual(typeof net.BoundSocket, 'function');
  assert.strictEqual(Object.keys(net).includes('BoundSocket'), 'BoundSocket' in coreNet);
});

test('BlockList and SocketAddress are core\'s own classes', () => {
  assert.strictEqual(net.BlockList, coreNet.BlockList);
  assert.strictEqual(net.SocketAddress, coreNet.SocketAddress);
});

test('autoSelectFamily defaults are readable and settable', () => {
  assert.strictEqual(typeof net.getDefaultAutoSelectFamily(), 'boolean');
  assert.strictEqual(typeof net.getDefaultAutoSelectFamilyAttemptTimeout(), 'number');
  const before = net.getDefaultAutoSelectFamilyAttemptTimeout();
  net.setDefaultAutoSelectFamilyAttemptTimeout(500);
  assert.strictEqual(net.getDefaultAutoSelectFamilyAttemptTimeout(), 500);
  net.setDefaultAutoSelectFamilyAttemptTimeout(before);
});

test('Socket and Server have core\'s public methods and accessors', () => {
  const publicNames = (proto) => {
    const names = new Set();
    for (let p = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      for (const k of Object.getOwnPropertyNames(p)) if (!k.startsWith('_') && k !== 'constructor') names.add(k);
    }
    return names;
  };
  for (const cls of ['Socket', 'Server']) {
    const have = publicNames(net[cls].prototype);
    const missing = [...publicNames(coreNet[cls].prototype)].filter((k) => !have.has(k));
    assert.deepStrictEqual(missing, [], `net.${cls}.prototype lacks core's`);
  }
  // Socket is a Duplex stream, Server an EventEmitter.
  const { Duplex } = require('node:stream');
  const { EventEmitter } = require('node:events');
  assert.ok(new net.Socket() instanceof Duplex);
  assert.ok(new net.Server() instanceof EventEmitter);
});
