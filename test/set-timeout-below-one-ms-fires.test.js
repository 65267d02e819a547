'use strict';
// Scenario: socket.setTimeout() with a fraction of a millisecond (0.5, 1.5). Core's timers round such a
// duration up (at least 1 ms); a native timeout that truncated 0.5 to 0 would read it as "disabled" and
// never fire. (When it fires is not compared: libuv timers count from the loop's cached time, so both core
// and fastnet may fire sooner than the wall clock says.)

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const fastnet = require('..');
const { listen, close, once, track } = require('./helpers');

async function timeoutFires(t, net, msecs) {
  const server = track(t, net.createServer((s) => s.on('error', () => {})));
  await listen(server, 0, '127.0.0.1');
  const client = track(t, net.connect(server.address().port, '127.0.0.1'));
  await once(client, 'connect');
  client.setTimeout(msecs);
  let fired = true;
  await once(client, 'timeout', 2000).catch(() => { fired = false; });
  client.destroy();
  await close(server);
  return fired;
}

for (const msecs of [0.5, 1.5]) {
  test(`setTimeout(${msecs}) fires, as in core`, async (t) => {
    const core = await timeoutFires(t, coreNet, msecs);
    const fast = await timeoutFires(t, fastnet, msecs);
    assert.strictEqual(core, true);
    assert.strictEqual(fast, true);
  });
}
