'use strict';
// A fastnet Socket or Server in child_process.spawn's stdio array: the child inherits the descriptor, as with
// a core Socket. (Core itself throws for a core Server there: "stream._stdio.pause is not a function".)
const test = require('node:test');
const assert = require('node:assert');
const { spawn } = require('node:child_process');
const coreNet = require('node:net');
const fastnet = require('..');
const { track, once, listen } = require('./helpers');

function exited(child) {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

for (const [name, net] of [['fastnet', fastnet], ['core', coreNet]]) {
  test(`a ${name} socket as a child's stdin and stdout`, async (t) => {
    const server = track(t, net.createServer());
    const { port } = await listen(server, 0, '127.0.0.1');
    const client = track(t, coreNet.connect(port, '127.0.0.1'));
    const [accepted] = await once(server, 'connection');
    const child = spawn(process.execPath, ['-e', 'process.stdin.on("data", (d) => process.stdout.write("echo " + d))'],
      { stdio: [accepted, accepted, 'inherit'] });
    t.after(() => child.kill('SIGKILL'));
    assert.strictEqual(child.stdin, null);
    accepted.destroy();  // the child holds the connection now
    client.write('hi');
    const [data] = await once(client, 'data');
    assert.strictEqual(String(data), 'echo hi');
    client.end();
    assert.strictEqual(await exited(child), 0);
  });
}

test('a fastnet server as a child\'s fd 3 accepts there', async (t) => {
  const server = track(t, fastnet.createServer(() => assert.fail('the parent closed its server')));
  const { port } = await listen(server, 0, '127.0.0.1');
  const child = spawn(process.execPath, ['-e', `
    require('net').createServer((s) => s.end('served by child')).listen({ fd: 3 }, () => process.send('ready'));
  `], { stdio: ['ignore', 'inherit', 'inherit', server, 'ipc'] });
  t.after(() => child.kill('SIGKILL'));
  await once(child, 'message');
  server.close();
  const client = track(t, coreNet.connect(port, '127.0.0.1'));
  let text = '';
  client.on('data', (d) => { text += d; });
  await once(client, 'end');
  assert.strictEqual(text, 'served by child');
});
