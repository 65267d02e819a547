'use strict';
// Scenario 1: Node's own benchmarks (benchmark/net/*.js from the Node source tree), run through Node's
// benchmark/common.js, with `net` swapped for fastnet by fastnet/register (lib/register.js). They listen on
// all interfaces, so each run gets a network namespace of its own that has only loopback; where there is
// none (no `unshare -n`, or --no-netns) they run in the default namespace, pinned to 127.0.0.1 on a free
// port by bench/loopback.js. The `onread` cases read into one static 64 KiB buffer on the receiving
// socket: net-s2c.js's own recvbuflen=65536 recvbufgenfn=false, and bench/node-bench/net-pipe-onread.js
// (net-pipe.js with the client reading through onread) for pipe.

const net = require('net');
const path = require('path');
const tools = require('../tools.js');
const { run, netnsAvailable } = require('../spawn.js');

const SIZES = [64, 102400, 16777216];
const ONREAD_SIZES = [102400, 16777216];
const SWAP = path.join(__dirname, '..', '..', 'lib', 'register.js');  // fastnet/register, as users swap
const LOOPBACK = path.join(__dirname, '..', 'loopback.js');
const OWN = path.join(__dirname, '..', 'node-bench');
// The cases --quick runs: "FILE SIZE KIND".
const QUICK = ['net-c2s 64 buf', 'net-c2s 102400 buf', 'net-s2c 64 utf', 'net-pipe 64 buf', 'net-c2s-cork 64 buf',
  'net-s2c 102400 onread', 'net-pipe 102400 onread'];
// The cases --smoke runs.
const SMOKE = (kind, len) => (kind === 'buf' && len === 64) || (kind === 'onread' && len === 102400);

// [file, size key, kinds, extra args, the limit.c mode for kinds buf and onread]. A kind is a type (buf, utf), or
// onread: type=buf, read through the onread option (ONREAD below says how, per file).
const FILES = [
  ['net-c2s', 'len', ['buf', 'utf'], [], 'c2s'],
  // in one process s2c is c2s with the roles swapped: the limit's c2s is its limit
  ['net-s2c', 'sendchunklen', ['buf', 'utf', 'onread'], ['recvbuflen=0', 'recvbufgenfn=false'], 'c2s'],
  ['net-pipe', 'len', ['buf', 'utf', 'onread'], [], 'pipe'],
  ['net-c2s-cork', 'len', ['buf'], [], null],
];
// For kind=onread: which file runs (own: bench/node-bench/) and its extra args.
const ONREAD = {
  'net-s2c': { file: 'net-s2c', own: false, extra: ['recvbuflen=65536', 'recvbufgenfn=false'] },
  'net-pipe': { file: 'net-pipe-onread', own: true, extra: ['recvbuflen=65536'] },
};

// A port nothing listens on now (for a run in the shared, default namespace).
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

module.exports = {
  name: 'node',
  title: "Node's benchmark/net, Gb/s",

  prepare() {
    return { src: tools.nodeSource(), netns: netnsAvailable() };
  },

  cases(mode) {
    // below about 0.5 s, a 64-byte c2s run may see no bytes arrive at all
    const dur = { full: 2, quick: 1, smoke: 0.5 }[mode];
    const cases = [];
    for (const [file, sizeKey, kinds, extra, limitMode] of FILES) {
      for (const kind of kinds) {
        for (const len of kind === 'onread' ? ONREAD_SIZES : SIZES) {
          if (mode === 'smoke' && !SMOKE(kind, len)) continue;
          if (mode === 'quick' && !QUICK.includes(`${file} ${len} ${kind}`)) continue;
          const onread = kind === 'onread' ? ONREAD[file] : null;
          const type = onread ? 'buf' : kind;
          cases.push({
            id: `${file} ${sizeKey}=${len} ${type}${onread ? ' onread' : ''}`,
            params: {
              file: onread ? onread.file : file,
              own: !!onread?.own,
              args: [`${sizeKey}=${len}`, `type=${type}`, `dur=${dur}`, ...(onread ? onread.extra : extra)],
              dur,
            },
            // Buffers, and onread into one static buffer, which is how the limit reads
            limit: limitMode && kind !== 'utf' ? { mode: limitMode, len, dur, warm: 0 } : null,
            metrics: [{ key: 'rate', label: 'Gb/s', better: 'higher' }],
          });
        }
      }
    }
    return cases;
  },

  // Runs the benchmark file directly, as `node [-r lib/register.js] benchmark/net/FILE.js key=value...`, in a
  // namespace of its own, or else as `node [-r lib/register.js] -r bench/loopback.js ...` with $PORT free.
  async measure(impl, { src, netns, file, own, args, dur }) {
    const script = own ? path.join(OWN, `${file}.js`) : path.join(src, 'benchmark', 'net', `${file}.js`);
    const nodeArgs = [...(impl === 'fastnet' ? ['-r', SWAP] : []), ...(netns ? [] : ['-r', LOOPBACK]), script, ...args];
    const env = { ...process.env, FASTNET_BENCH_NODE_SRC: src };
    if (!netns) env.PORT = String(await freePort());
    const r = await run(process.execPath, nodeArgs, { netns, env, timeoutMs: (dur + 30) * 1000 });
    const m = r.stdout.match(/:\s*([\d,]+(?:\.\d+)?(?:e[-+]?\d+)?)\s*$/m);
    if (r.code !== 0 || !m) {
      throw new Error(`${path.basename(script)} ${args.join(' ')} ${r.timedOut ? 'timed out' : `exited ${r.code ?? r.signal}`}` +
        `\n${r.stdout}${r.stderr}`.trimEnd());
    }
    return { rate: Number(m[1].replace(/,/g, '')) };
  },
};
