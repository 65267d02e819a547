'use strict';
// Random sessions on a connected pair (test/fixtures/random-socket-session.js: writes of Buffers and strings
// in several encodings, big and empty ones, end, destroy with and without an error, reset, pause, resume,
// cork, idle timeouts, 'readable' mode, over TCP or a Unix socket, half-open or not), each run on core and on
// fastnet: the events, callbacks, return values and final states must be core's. How the bytes were split
// into 'data' chunks may differ, as may how often a 'timeout' repeats in a row, so those are left out. Such
// comparisons found that the end of the stream and empty writes did not restart the idle timeout, and that an
// empty write on a broken connection succeeded.
const test = require('node:test');
const assert = require('node:assert');
const path = require('path');
const { execFile } = require('child_process');

const SESSION = path.join(__dirname, 'fixtures', 'random-socket-session.js');

function session(impl, seed, steps) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [SESSION, impl, String(seed), String(steps)], { timeout: 30000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${impl} seed ${seed}: ${err.message}\n${stderr}`));
      else resolve(stdout.split('\n').filter((line) => line && !/ data \d+$| readable true$/.test(line))
        .filter((line, i, lines) => line !== lines[i - 1]));
    });
  });
}

for (const seed of [3, 12, 21, 26, 49, 65, 108, 154, 175, 199]) {
  test(`random session ${seed}: the same events as core`, async () => {
    const [core, ours] = await Promise.all([session('core', seed, 20), session('fastnet', seed, 20)]);
    assert.ok(core.length > 20, core.join('\n'));
    assert.deepStrictEqual(ours, core);
  });
}
