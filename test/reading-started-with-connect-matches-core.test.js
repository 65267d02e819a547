'use strict';
// A TCP client starts reading with its connect (one epoll registration for both, see lib/connect.js), yet to
// JS reading begins as in core: at 'connect' when a read was asked for while connecting (a 'data' listener,
// 'readable' mode), after 'connect' unless the socket is paused by then, or during 'connect' when something
// asks for data. A socket that stays paused and asked for nothing reads nothing: what the peer sent waits in
// the kernel (bytesRead 0) until resume(). Each case runs on core and on fastnet alike.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const net = require('..');
const { listen, track } = require('./helpers');

const PAYLOAD = 'x'.repeat(1000);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// `setup(client)` runs right after connect(); `onConnect(client)` in a 'connect' listener. Returns what the
// client had read 100 ms after connecting, and what it read in all once resumed (if it was paused).
async function trace(t, impl, setup, onConnect = () => {}) {
  const server = track(t, impl.createServer((s) => s.end(PAYLOAD)));
  const { port } = await listen(server, 0, '127.0.0.1');
  const client = track(t, impl.connect(port, '127.0.0.1'));
  const closed = new Promise((resolve) => client.once('close', resolve));
  let text = '';
  setup(client, (chunk) => { text += chunk; });
  client.on('connect', () => onConnect(client, (chunk) => { text += chunk; }));
  await new Promise((resolve) => client.once('connect', resolve));
  await sleep(100);
  const early = { bytesRead: client.bytesRead, text: text.length, buffered: client.readableLength };
  if (client.isPaused()) client.resume();
  if (client.listenerCount('data') === 0 && client.listenerCount('readable') === 0) {
    client.on('data', (chunk) => { text += chunk; });
  }
  await closed;
  return { early, total: text.length, bytesRead: client.bytesRead };
}

const cases = {
  'flowing from the start': (c, add) => { c.setEncoding('utf8'); c.on('data', add); },
  'paused before connect': (c) => { c.setEncoding('utf8'); c.pause(); },
  "'readable' mode before connect": (c, add) => {
    c.setEncoding('utf8');
    c.on('readable', () => { let chunk; while ((chunk = c.read()) !== null) add(chunk); });
  },
  'paused, then resumed in a connect listener': [
    (c) => { c.setEncoding('utf8'); c.pause(); },
    (c, add) => { c.on('data', add); c.resume(); },
  ],
  'paused, then read(0) in a connect listener': [(c) => { c.setEncoding('utf8'); c.pause(); }, (c) => c.read(0)],
  'no listener, never paused': (c) => { c.setEncoding('utf8'); },
  'no listener, paused in a connect listener': [(c) => { c.setEncoding('utf8'); }, (c) => c.pause()],
  "a 'data' listener, paused in a connect listener": [(c, add) => { c.setEncoding('utf8'); c.on('data', add); }, (c) => c.pause()],
};

for (const [name, steps] of Object.entries(cases)) {
  test(`${name}: what is read, and when, as in core`, async (t) => {
    const [setup, onConnect] = Array.isArray(steps) ? steps : [steps];
    const core = await trace(t, coreNet, setup, onConnect);
    const ours = await trace(t, net, setup, onConnect);
    assert.deepStrictEqual(ours, core);
    assert.strictEqual(core.total, PAYLOAD.length);
  });
}
