'use strict';
// Runs the C limit program (bench/limit.c, built on first use) in a fresh process.

const tools = require('./tools.js');
const { run } = require('./spawn.js');

// { mode: 'c2s'|'pipe'|'pingpong', len, dur, warm } -> metrics named like the scenarios' ({ rate, ... })
async function measureLimit(bin, { mode, len, dur, warm }) {
  const r = await run(bin, [mode, String(len), String(dur), String(warm)], { timeoutMs: (dur + warm + 30) * 1000 });
  let out;
  try {
    out = JSON.parse(r.stdout);
  } catch {
    throw new Error(`limit ${mode} ${len}: ${r.timedOut ? 'timed out' : `exited ${r.code ?? r.signal}`}\n${r.stdout}${r.stderr}`.trimEnd());
  }
  return mode === 'pingpong' ? out : { rate: out.gbits };
}

module.exports = { limitBinary: tools.limitBinary, measureLimit };
