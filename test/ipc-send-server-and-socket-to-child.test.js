'use strict';
// subprocess.send(message, server) and subprocess.send(message, socket) with fastnet objects, as with core's:
// the child gets a listening server and a connected socket of its own `net` (fastnet's if it loaded fastnet,
// core's if not), and uses them. Every sender/receiver pairing is tried.
const test = require('node:test');
const assert = require('node:assert');
const { spawn } = require('node:child_process');
const coreNet = require('node:net');
const fastnet = require('..');
const { FASTNET, track, once, listen } = require('./helpers');

// The child: reports what it received (its class, and whether it is listening), then serves with it.
const childSource = (netModule) => `
  const net = require(${JSON.stringify(netModule)});
  process.on('message', (msg, handle) => {
    if (msg.kind === 'server') {
      handle.on('connection', (s) => s.end('served by child'));
      process.send({ kind: 'server', isOwn: net.Server.prototype.isPrototypeOf(handle), listening: handle.listening });
    } else if (msg.kind === 'socket') {
      handle.on('data', (d) => handle.end('child got ' + d));
      process.send({ kind: 'socket', isOwn: net.Socket.prototype.isPrototypeOf(handle) });
    }
  });
`;

function startChild(t, netModule) {
  const child = spawn(process.execPath, ['-e', childSource(netModule)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  t.after(() => child.kill('SIGKILL'));
  return child;
}

function reply(child, kind) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${kind}' reply from the child`)), 5000);
    child.on('message', function onMessage(msg) {
      if (msg.kind !== kind) return;
      clearTimeout(timer);
      child.removeListener('message', onMessage);
      resolve(msg);
    });
  });
}

async function readAll(socket) {
  const chunks = [];
  socket.on('data', (d) => chunks.push(d));
  await once(socket, 'end');
  return Buffer.concat(chunks).toString();
}

for (const [senderName, sender] of [['fastnet', fastnet], ['core', coreNet]]) {
  for (const [childName, childNet] of [['fastnet', FASTNET], ['core', 'node:net']]) {
    test(`a ${senderName} server sent to a child using ${childName} serves there`, async (t) => {
      const child = startChild(t, childNet);
      const server = track(t, sender.createServer(() => assert.fail('the parent closed its server')));
      const { port } = await listen(server, 0, '127.0.0.1');
      const got = reply(child, 'server');
      await new Promise((resolve, reject) => child.send({ kind: 'server' }, server, (err) => (err ? reject(err) : resolve())));
      assert.deepStrictEqual(await got, { kind: 'server', isOwn: true, listening: true });
      server.close();  // the parent stops accepting: every connection now goes to the child
      const client = track(t, coreNet.connect(port, '127.0.0.1'));
      assert.strictEqual(await readAll(client), 'served by child');
    });

    test(`a ${senderName} socket sent to a child using ${childName} carries the connection there`, async (t) => {
      const child = startChild(t, childNet);
      const server = track(t, sender.createServer());
      const { port } = await listen(server, 0, '127.0.0.1');
      const client = track(t, coreNet.connect(port, '127.0.0.1'));
      const [accepted] = await once(server, 'connection');
      const got = reply(child, 'socket');
      child.send({ kind: 'socket' }, accepted);
      assert.deepStrictEqual(await got, { kind: 'socket', isOwn: true });
      assert.strictEqual(accepted._handle, null, 'the sent socket has no handle left, as core\'s');
      client.write('hello');
      assert.strictEqual(await readAll(client), 'child got hello');
    });
  }
}
