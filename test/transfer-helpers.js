'use strict';
// Helpers for the tests of moving sockets and servers to other threads (postMessage with a transferList).
// Each scenario runs in a child process of its own, with the `net` under test named by NET_UNDER_TEST (fastnet's
// path, or 'net' for core): descriptors are counted in /proc/self/fd of that process alone, and the same
// scenario can be run against core where core can transfer (Node 24+) to compare what both do.

const assert = require('node:assert');
const { FASTNET, runChild } = require('./helpers');

// Whether this Node's core net can transfer its objects (Node 24+): it then throws its own guard error for a
// server that is not listening, where older cores refuse any net object in a transfer list.
const coreTransfers = (() => {
  const coreNet = require('node:net');
  const { port1 } = new MessageChannel();
  const server = coreNet.createServer();
  try {
    port1.postMessage(server, [server]);
    return true;
  } catch (err) {
    return err.code === 'ERR_WORKER_HANDLE_NOT_TRANSFERABLE';
  } finally {
    port1.close();
  }
})();

// Source of a scenario script: `body` runs with `net` (the net under test), `fds()` (open descriptors now),
// `warmUp()` (resolves once a server listened and closed: libuv keeps one descriptor open per loop from its first
// listen on, /dev/null for when accept meets EMFILE, which is no leak) and `report(value)` (prints the result;
// call once, last).
function scenario(body) {
  return `
    'use strict';
    const net = require(process.env.NET_UNDER_TEST);
    const fs = require('fs');
    const fds = () => fs.readdirSync('/proc/self/fd').length;
    const warmUp = () => new Promise((resolve) => {
      const s = require('net').createServer().listen(0, '127.0.0.1', () => s.close(resolve));
    });
    const report = (value) => process.stdout.write('RESULT ' + JSON.stringify(value) + '\\n');
    ${body}
  `;
}

// Run a scenario against fastnet ('fastnet') or core ('core'); resolves with what it reported.
async function run(body, which = 'fastnet', { timeout = 20000 } = {}) {
  const r = await runChild(scenario(body), { timeout, env: { NET_UNDER_TEST: which === 'core' ? 'net' : FASTNET } });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  assert.ok(line, `${which} scenario reported nothing (code ${r.code}, signal ${r.signal})\n${r.stdout}\n${r.stderr}`);
  assert.strictEqual(r.code, 0, `${which} scenario exited with ${r.code}\n${r.stderr}`);
  return JSON.parse(line.slice('RESULT '.length));
}

module.exports = { coreTransfers, run };
