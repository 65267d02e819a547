'use strict';
// Random sessions on a connected pair (test/fixtures/random-socket-session.js: writes of Buffers and strings
// in several encodings, big and empty ones, end, destroy with and without an error, reset, pause, resume,
// cork, idle timeouts, 'readable' mode, over TCP or a Unix socket, half-open or not), each run on core and on
// fastnet: the events, callbacks, return values and final states must be core's. How the bytes were split
// into 'data' chunks may differ, as may how often a 'timeout' repeats in a row and how the two sockets'
// events interleave, so those are left out. Such
// comparisons found that the end of the stream and empty writes did not restart the idle timeout, and that an
// empty write on a broken connection succeeded. Sessions with bursts (several writes in one tick, then end(),
// destroy(), a reset, cork/uncork or nothing) found that a destroy dropped the writes held behind a deferred one,
// that a held write meeting EPIPE failed only after an end() in the same tick had marked the stream ending, and
// that a held short string meeting EPIPE was counted in bytesWritten (those seeds failed before the fixes).
const test = require('node:test');
const assert = require('node:assert');
const path = require('path');
const { execFile } = require('child_process');

const SESSION = path.join(__dirname, 'fixtures', 'random-socket-session.js');

function session(impl, seed, steps, mode = '') {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [SESSION, impl, String(seed), String(steps), mode], { timeout: 30000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${impl} seed ${seed}: ${err.message}\n${stderr}`));
      else resolve(stdout.split('\n').filter((line) => line && !/ data \d+$| readable true$/.test(line)));
    });
  });
}

// The operations with what they returned, then each socket's own events in order: how one socket's events
// interleave with the other's depends on timing (a 5 ms timeout against a FIN in flight), not on semantics.
function views(lines) {
  const own = (side) => lines.filter((line) => line.startsWith(`${side} `) || line.startsWith(`state ${side} `))
    .filter((line, i, list) => line !== list[i - 1]);
  return { operations: lines.filter((line) => line.startsWith('-- ')), client: own('C'), server: own('S') };
}

const runs = [3, 12, 21, 26, 49, 65, 108, 154, 175, 199].map((seed) => [seed, ''])
  .concat([1, 10, 21, 29, 37, 45, 61, 90, 94, 119].map((seed) => [seed, 'bursts']));
for (const [seed, mode] of runs) {
  test(`random session ${seed}${mode ? ` with ${mode}` : ''}: the same events as core`, async (t) => {
    // On a loaded machine a 5 ms timeout can fire once more or less in one run than in the other: a session
    // that differs is run again, and only a difference that comes back fails (a semantic one always does).
    for (let attempt = 1; ; attempt++) {
      const [core, ours] = await Promise.all([session('core', seed, 20, mode), session('fastnet', seed, 20, mode)]);
      assert.ok(core.length > 20, core.join('\n'));
      try {
        assert.deepStrictEqual(views(ours), views(core));
        return;
      } catch (err) {
        if (attempt === 2) throw err;
        t.diagnostic(`differed once, run again: ${err.message.split('\n').slice(0, 12).join(' | ')}`);
      }
    }
  });
}
