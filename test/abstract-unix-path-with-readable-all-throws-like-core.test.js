'use strict';
// Scenario: listen({ path: '\0name', readableAll / writableAll }) on an abstract Unix socket, which has no file
// to chmod, throws core's ERR_INVALID_ARG_VALUE at once, and leaves no handle open. It tried the chmod.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const net = require('..');
const { thrownShape } = require('./helpers');

for (const option of ['readableAll', 'writableAll']) {
  test(`abstract path with ${option}: core's ERR_INVALID_ARG_VALUE`, { skip: process.platform !== 'linux' }, () => {
    const path = `\0fastnet-abstract-${process.pid}-${option}`;
    const shapes = [coreNet, net].map((impl) => {
      const server = impl.createServer();
      const shape = thrownShape(() => server.listen({ path, [option]: true }));
      return { ...shape, listening: server.listening, handle: server._handle };
    });
    assert.deepStrictEqual(shapes[1], shapes[0]);
    assert.strictEqual(shapes[1].code, 'ERR_INVALID_ARG_VALUE');
    assert.strictEqual(shapes[1].handle, null);
  });
}
