'use strict';
// Scenario (fastnet's own limit): a listed socket that the message holds only inside an object other than a
// plain object, array, Map or Set (a class instance) is not moved: postMessage throws a DataCloneError and
// the socket is left as it was (core, on Node 24+, would move it: its serializer walks class instances as
// plain objects, which fastnet's copy cannot do without breaking core's own cloneable objects).

const test = require('node:test');
const assert = require('node:assert');
const { run } = require('./transfer-helpers');

const SCENARIO = `
  class Job { constructor(socket) { this.socket = socket; } }
  (async () => {
    await warmUp();
    const before = fds();
    const server = net.createServer((s) => s.pipe(s));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const socket = net.connect(server.address().port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const { port1, port2 } = new MessageChannel();
    let thrown;
    try {
      port1.postMessage({ job: new Job(socket) }, [socket]);
    } catch (err) {
      thrown = { name: err.name, message: err.message };
    }
    const state = { handle: socket._handle != null, destroyed: socket.destroyed };
    socket.setEncoding('utf8');
    const echoed = await new Promise((resolve) => { socket.once('data', resolve); socket.write('still here'); });
    socket.destroy();
    port1.close();
    port2.close();
    await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    report({ thrown, state, echoed, leaked: fds() - before });
  })();
`;

test('a socket hidden in a class instance is not moved: DataCloneError, socket unchanged', { timeout: 30000 }, async () => {
  assert.deepStrictEqual(await run(SCENARIO), {
    thrown: {
      name: 'DataCloneError',
      message: 'fastnet: a net.Socket in transferList can be sent inside plain objects, arrays, Maps and Sets only',
    },
    state: { handle: true, destroyed: false },
    echoed: 'still here',
    leaked: 0,
  });
});
