'use strict';
// Scenario: net.isIP / isIPv4 / isIPv6 classify addresses exactly like core, including odd inputs.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('net');
const net = require('..');

const INPUTS = [
  '127.0.0.1', '0.0.0.0', '255.255.255.255', '1.2.3.4', '256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4',
  '::1', '::', '::ffff:127.0.0.1', 'fe80::1%lo', 'fe80::1%', '2001:db8::8a2e:370:7334',
  '2001:0db8:0000:0000:0000:ff00:0042:8329', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', ':::1', '::1::',
  'localhost', 'example.com', '', ' 127.0.0.1', '127.0.0.1 ', 'abc', '1', '-1',
  undefined, null, 0, 4, 6, 2130706433, true, {}, [], ['127.0.0.1'],
  { toString() { return '127.0.0.1'; } },
];

test('isIP matches core and returns 0, 4 or 6', () => {
  for (const input of INPUTS) {
    const got = net.isIP(input);
    assert.strictEqual(got, coreNet.isIP(input), `isIP(${String(input)})`);
    assert.ok([0, 4, 6].includes(got));
  }
});

test('isIPv4 and isIPv6 match core and return booleans', () => {
  for (const input of INPUTS) {
    assert.strictEqual(net.isIPv4(input), coreNet.isIPv4(input), `isIPv4(${String(input)})`);
    assert.strictEqual(net.isIPv6(input), coreNet.isIPv6(input), `isIPv6(${String(input)})`);
    assert.strictEqual(typeof net.isIPv4(input), 'boolean');
    assert.strictEqual(typeof net.isIPv6(input), 'boolean');
  }
});

test('isIP spot checks', () => {
  assert.strictEqual(net.isIP('127.0.0.1'), 4);
  assert.strictEqual(net.isIP('::1'), 6);
  assert.strictEqual(net.isIP('fe80::1%lo'), 6);
  assert.strictEqual(net.isIP('localhost'), 0);
  assert.strictEqual(net.isIP('256.0.0.1'), 0);
  assert.strictEqual(net.isIPv4('::ffff:127.0.0.1'), false);
  assert.strictEqual(net.isIPv6('::ffff:127.0.0.1'), true);
  assert.strictEqual(net.isIPv4('1.2.3.4'), true);
  assert.strictEqual(net.isIPv6('1.2.3.4'), false);
});
