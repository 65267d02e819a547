'use strict';
// Sequences, not single calls: native methods called in a random order with random arguments, on fresh
// handles and on the handles of live connections while the JS layer keeps using them, must never abort or
// crash the process (under npm run test:asan, never corrupt memory either). A sequence like this found that
// open() of a descriptor epoll refuses, or a failed open() after setNoDelay, left handles that aborted libuv
// when read (handle-open-of-unpollable-or-failed-descriptor-does-not-abort.test.js), and that two handles could
// open one descriptor: the second close closed a newer handle's descriptor, whose poll then aborted. Seeded: a
// failure replays.
const test = require('node:test');
const assert = require('node:assert');
const { FASTNET, runChild } = require('./helpers');

// What both children share: a seeded generator, argument values (descriptors of a file, /dev/null and a FIFO
// among them, never the child's stdio) and a random call of a random method or getter of a handle.
const COMMON = `
  const fs = require('fs'), os = require('os'), path = require('path');
  const { execFileSync } = require('child_process');
  const { binding } = require(${JSON.stringify(FASTNET + '/lib/native')});
  let seed = SEED;
  const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fastnet-seq-'));
  process.chdir(dir);  // a Unix socket bound to a relative path ('x') lands here
  execFileSync('mkfifo', [path.join(dir, 'fifo')]);
  const fds = () => [fs.openSync(process.execPath, 'r'), fs.openSync('/dev/null', 'r+'),
                     fs.openSync(path.join(dir, 'fifo'), 'r+')];
  const vals = (fd) => [undefined, null, 3000, -1, 2 ** 31, 2 ** 53, 1.5, NaN, Infinity, '', 'x', '127.0.0.1', '::1',
    path.join(dir, 's'), 'y'.repeat(70000), {}, [], [Buffer.alloc(3)], [Buffer.alloc(1), 'x', 'latin1'],
    ['ab', 'utf8', Buffer.alloc(5)], Buffer.alloc(0), Buffer.alloc(200000), new Uint8Array(4), new ArrayBuffer(8),
    () => {}, Symbol('s'), 10n, true, false, 'hex', 'ucs2', fd, fd];
  let calls = 0, threw = 0;
  const BY_ID = ['writeBuffer', 'writeString', 'writev', 'setIdleTimeout'];  // binding functions taking a socket's id
  function randomCall(h, fd) {
    const proto = Object.getPrototypeOf(h);
    const name = pick(Object.getOwnPropertyNames(proto).filter((n) => n !== 'constructor').concat(BY_ID));
    const args = [];
    for (let n = Math.floor(rnd() * 5); n > 0; n--) args.push(pick(vals(fd)));
    calls++;
    if (BY_ID.includes(name)) {
      const id = rnd() < 0.05 ? pick(vals(fd)) : h[binding.kId];
      try { binding[name](id, ...args); } catch { threw++; }
      return;
    }
    const { get, value } = Object.getOwnPropertyDescriptor(proto, name);
    const self = rnd() < 0.05 ? pick([{}, Object.create(proto), h]) : h;
    try { get ? get.call(self) : value.apply(self, args); } catch { threw++; }
  }
`;

for (const seed of [1, 2, 3, 4, 5, 6]) {
  test(`fresh handles, random calls in random order (seed ${seed})`, { skip: process.platform === 'win32' }, async () => {
    const { code, signal, stdout, stderr } = await runChild(`${COMMON.replace('SEED', seed)}
      const [file, devnull, fifo] = fds();
      const handles = [];
      const make = () => {
        try {
          const type = pick([binding.TCP, binding.PIPE, 2, 99]);
          handles.push(rnd() < 0.6 ? new binding.Socket(type) : new binding.Server(type));
        } catch { threw++; }
      };
      for (let i = 0; i < 4; i++) make();
      let i = 0;
      (function batch() {
        for (let k = 0; k < 50 && i < 2000; k++, i++) {
          if (rnd() < 0.1) make();
          if (handles.length) randomCall(pick(handles), pick([file, devnull, fifo]));
        }
        if (i < 2000) return setImmediate(batch);
        for (const h of handles) try { h.close(); } catch {}
        setTimeout(() => { process.chdir(os.tmpdir()); fs.rmSync(dir, { recursive: true }); console.log(calls, threw); process.exit(0); }, 50);
      })();
    `, { timeout: 60000 });
    assert.strictEqual(signal, null, stderr);
    assert.strictEqual(code, 0, stderr);
    const [calls, threw] = stdout.trim().split(' ').map(Number);
    assert.ok(calls >= 2000 && threw > 0 && threw < calls, stdout);
  });
}

for (const seed of [1, 2, 3]) {
  test(`live connections: the JS layer and random native calls on their handles (seed ${seed})`,
    { skip: process.platform === 'win32' }, async () => {
      const { code, signal, stdout, stderr } = await runChild(`${COMMON.replace('SEED', seed)}
        const net = require(${JSON.stringify(FASTNET)});
        process.on('uncaughtException', () => {});   // the JS layer, its handle tampered with, may throw
        const [file, devnull, fifo] = fds();
        const sockets = [], servers = [];
        for (const address of [{ port: 0, host: '127.0.0.1' }, path.join(dir, 'server')]) {
          const server = net.createServer((c) => {
            sockets.push(c);
            c.on('error', () => {});
            if (rnd() < 0.5) c.pipe(c); else c.resume();
          });
          server.on('error', () => {});
          server.listen(address);
          servers.push(server);
        }
        const connect = () => {
          const a = pick(servers).address();
          const c = typeof a === 'string' ? net.connect(a) : net.connect(a.port, '127.0.0.1');
          c.on('error', () => {});
          c.resume();
          sockets.push(c);
        };
        const socketCalls = [(s) => s.write(pick(vals())), (s) => s.write(pick(vals()), pick(vals())),
          (s) => s.end(pick(vals())), (s) => s.destroy(), (s) => s.pause(), (s) => s.resume(),
          (s) => s.setTimeout(pick([0, 1, 5])), (s) => s.cork(), (s) => s.uncork(), (s) => s.setNoDelay(pick(vals())),
          (s) => s.setKeepAlive(pick(vals()), pick(vals())), (s) => s.resetAndDestroy(), (s) => s.unref(),
          (s) => s.setEncoding(pick(['utf8', 'hex', 'latin1'])), (s) => s.destroySoon()];
        let i = 0;
        setTimeout(function batch() {
          for (let k = 0; k < 20 && i < 2000; k++, i++) {
            const r = rnd();
            try {
              if (r < 0.1 || sockets.length < 3) connect();
              else if (r < 0.5) pick(socketCalls)(pick(sockets));
              else if (r < 0.93) { const h = pick(sockets)._handle; if (h) randomCall(h, pick([file, devnull, fifo])); }
              else if (r < 0.95) { const h = pick(servers)._handle; if (h) randomCall(h, pick([file, devnull, fifo])); }
              else sockets.splice(Math.floor(rnd() * sockets.length), 1);
            } catch { threw++; }
          }
          if (i < 2000) return setTimeout(batch, 1);
          for (const s of [...sockets, ...servers]) try { s.destroy ? s.destroy() : s.close(); } catch {}
          setTimeout(() => { process.chdir(os.tmpdir()); fs.rmSync(dir, { recursive: true }); console.log(calls, threw, i); process.exit(0); }, 100);
        }, 20);
      `, { timeout: 60000 });
      assert.strictEqual(signal, null, stderr);
      assert.strictEqual(code, 0, stderr);
      const [calls, threw, steps] = stdout.trim().split(' ').map(Number);
      assert.ok(steps === 2000 && calls > 50 && threw > 0, stdout);  // calls: how many handles existed varies with timing
    });
}
