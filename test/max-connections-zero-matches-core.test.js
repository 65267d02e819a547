'use strict';
// Scenario: server.maxConnections = 0. Node 21+ drops every connection ('drop' with the addresses, the client
// sees its side closed); Node 20 took 0 for no limit. fastnet does what the running Node's core does.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const net = require('..');
const { listen, close, track, once } = require('./helpers');

async function zeroMax(t, impl) {
  const events = [];
  const server = track(t, impl.createServer((s) => { events.push('connection'); s.destroy(); }));
  server.maxConnections = 0;
  server.on('drop', (data) => events.push(`drop ${Object.keys(data).join(',')}`));
  const { port } = await listen(server, 0, '127.0.0.1');
  const client = track(t, impl.connect(port, '127.0.0.1'));
  client.on('error', () => {});
  await once(client, 'close', 5000, false);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await close(server);
  return events;
}

test('maxConnections = 0: every connection dropped (Node 21+) or accepted (Node 20), as core does', async (t) => {
  const core = await zeroMax(t, coreNet);
  const fast = await zeroMax(t, net);
  assert.deepStrictEqual(fast, core);
  const major = Number(process.versions.node.split('.')[0]);
  assert.deepStrictEqual(fast, major >= 21 ?
    ['drop localAddress,localPort,localFamily,remoteAddress,remotePort,remoteFamily'] : ['connection']);
});
