'use strict';
// subprocess.send(message, socket, { keepOpen: true }): the sender keeps its socket, usable, while the child
// uses the connection too; as with core's.
const test = require('node:test');
const assert = require('node:assert');
const { spawn } = require('node:child_process');
const coreNet = require('node:net');
const fastnet = require('..');
const { FASTNET, track, once, listen } = require('./helpers');

const childSource = `
  const net = require(${JSON.stringify(FASTNET)});
  process.on('message', (msg, socket) => {
    socket.write('child;', () => process.send({ isOwn: net.Socket.prototype.isPrototypeOf(socket) }));
  });
`;

for (const [name, net] of [['fastnet', fastnet], ['core', coreNet]]) {
  test(`a ${name} socket sent with keepOpen stays usable in the sender`, async (t) => {
    const child = spawn(process.execPath, ['-e', childSource], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    t.after(() => child.kill('SIGKILL'));
    const server = track(t, net.createServer());
    const { port } = await listen(server, 0, '127.0.0.1');
    const client = track(t, coreNet.connect(port, '127.0.0.1'));
    let received = '';
    client.on('data', (d) => { received += d; });
    const [accepted] = await once(server, 'connection');
    const reply = once(child, 'message');
    child.send('take it', accepted, { keepOpen: true });
    assert.deepStrictEqual((await reply)[0], { isOwn: true });
    assert.notStrictEqual(accepted._handle, null);
    accepted.end('parent;');
    await once(client, 'end');
    assert.strictEqual(received, 'child;parent;');
  });
}
