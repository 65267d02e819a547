'use strict';
// Scenario: what connect() accepts as options.host and as a custom lookup's answer is what the running Node's
// core accepts. Node 22+ checks host (a string without NUL bytes) and refuses a lookup that answers with a
// non-string address (ERR_INVALID_IP_ADDRESS); Node 20 did neither. Each case runs against core and fastnet.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const net = require('..');
const { thrownShape, errorShape, once } = require('./helpers');

const MAJOR = Number(process.versions.node.split('.')[0]);

for (const [what, host] of [['a number', 123], ['an array', ['127.0.0.1']], ['a NUL byte', '127.0.0.1\u0000.x']]) {
  test(`connect({ host: ${what} }) throws (or not) as core does`, () => {
    const core = thrownShape(() => coreNet.connect({ port: 9, host }).on('error', () => {}));
    const fast = thrownShape(() => net.connect({ port: 9, host }).on('error', () => {}));
    assert.deepStrictEqual(fast, core);
    if (MAJOR >= 22) assert.strictEqual(fast.threw, true);
  });
}

async function lookupAnswering(impl, answer, family) {
  const lookup = (hostname, options, callback) => callback(null, answer, options.family);
  const socket = impl.connect({ host: 'example.invalid', port: 9, lookup, family });
  const [err] = await once(socket, 'error', 5000, false);
  return errorShape(err);
}

for (const family of [4, 6]) {
  // Node 20's core throws from its native connect there, inside the lookup callback: an uncaught exception.
  const skip = MAJOR < 22 && 'Node 20 checks no lookup answer (its core then throws an uncaught exception)';
  test(`a custom lookup answering ['127.0.0.1'] (family ${family}): the error core gives`, { skip }, async () => {
    const core = await lookupAnswering(coreNet, ['127.0.0.1'], family);
    const fast = await lookupAnswering(net, ['127.0.0.1'], family);
    assert.strictEqual(fast.code, 'ERR_INVALID_IP_ADDRESS');
    assert.deepStrictEqual(fast, core);
  });
}
