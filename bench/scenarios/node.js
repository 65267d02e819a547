'use strict';
// Scenario 1: Node's own benchmarks (benchmark/net/*.js from the Node source tree), run through Node's
// benchmark/common.js, with `net` swapped for fastnet by the Node-suite runner's preload. They listen on
// all interfaces, so each run gets a network namespace of its own that has only loopback.

const path = require('path');
const tools = require('../tools.js');
const { run, netnsAvailable } = require('../spawn.js');

const SIZES = [64, 102400, 16777216];
const SWAP = path.join(__dirname, '..', '..', 'test', 'node-suite', 'preload.js');  // the test runner's swap
// The cases --quick runs: "FILE SIZE TYPE".
const QUICK = ['net-c2s 64 buf', 'net-c2s 102400 buf', 'net-s2c 64 utf', 'net-pipe 64 buf', 'net-c2s-cork 64 buf'];

// [file, size key, types, extra args, the limit.c mode for type=buf]
const FILES = [
  ['net-c2s', 'len', ['buf', 'utf'], [], 'c2s'],
  ['net-s2c', 'sendchunklen', ['buf', 'utf'], ['recvbuflen=0', 'recvbufgenfn=false'], null],
  ['net-pipe', 'len', ['buf', 'utf'], [], 'pipe'],
  ['net-c2s-cork', 'len', ['buf'], [], null],
];

module.exports = {
  name: 'node',
  title: "Node's benchmark/net, Gb/s",

  prepare() {
    if (!netnsAvailable())
      throw new Error("cannot make a network namespace (unshare -n) to keep Node's benchmarks, which listen on all interfaces, on loopback");
    return { src: tools.nodeSource() };
  },

  cases(mode) {
    // below about 0.5 s, a 64-byte c2s run may see no bytes arrive at all
    const dur = { full: 2, quick: 1, smoke: 0.5 }[mode];
    const cases = [];
    for (const [file, sizeKey, types, extra, limitMode] of FILES) {
      for (const type of types) {
        for (const len of SIZES) {
          if (mode === 'smoke' && (type !== 'buf' || len !== 64)) continue;
          if (mode === 'quick' && !QUICK.includes(`${file} ${len} ${type}`)) continue;
          cases.push({
            id: `${file} ${sizeKey}=${len} ${type}`,
            params: { file, args: [`${sizeKey}=${len}`, `type=${type}`, `dur=${dur}`, ...extra], dur },
            limit: limitMode && type === 'buf' ? { mode: limitMode, len, dur, warm: 0 } : null,
            metrics: [{ key: 'rate', label: 'Gb/s', better: 'higher' }],
          });
        }
      }
    }
    return cases;
  },

  // Runs the benchmark file directly, as `node [-r preload.js] benchmark/net/FILE.js key=value...`.
  async measure(impl, { src, file, args, dur }) {
    const script = path.join(src, 'benchmark', 'net', `${file}.js`);
    const nodeArgs = [...(impl === 'fastnet' ? ['-r', SWAP] : []), script, ...args];
    const r = await run(process.execPath, nodeArgs, { netns: true, timeoutMs: (dur + 30) * 1000 });
    const m = r.stdout.match(/:\s*([\d,]+(?:\.\d+)?(?:e[-+]?\d+)?)\s*$/m);
    if (r.code !== 0 || !m) {
      throw new Error(`${path.basename(script)} ${args.join(' ')} ${r.timedOut ? 'timed out' : `exited ${r.code ?? r.signal}`}` +
        `\n${r.stdout}${r.stderr}`.trimEnd());
    }
    return { rate: Number(m[1].replace(/,/g, '')) };
  },
};
