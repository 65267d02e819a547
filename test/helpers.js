'use strict';
// Shared helpers for fastnet's own tests (node --test test/*.test.js).
// Nothing here touches the network beyond loopback; everything returns promises bounded by a timeout.

const { execFile } = require('node:child_process');
const coreNet = require('node:net');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// Absolute path of the package, for scripts run in child processes and workers.
const FASTNET = path.resolve(__dirname, '..');

// Watchdog: node --test waits for each test file's process to exit, so a socket or server left open
// by a failing test would hang the whole run. This unref'd timer ends the file's process instead.
// It never keeps the process alive, and it is far beyond every test's own timeout.
const WATCHDOG_MS = Number(process.env.FASTNET_TEST_WATCHDOG_MS) || 120000;
setTimeout(() => {
  process.stderr.write(`watchdog: ${path.basename(require.main ? require.main.filename : '?')} ` +
    `still running after ${WATCHDOG_MS} ms (a handle left open?); exiting\n`);
  process.exit(1);
}, WATCHDOG_MS).unref();

// track(t, ...things): destroy sockets, close servers (and destroy their accepted sockets) and
// terminate workers when test t ends, pass or fail, so a failed assertion does not leave handles
// open. Returns the first thing for chaining.
const kTracked = Symbol('tracked');
function track(t, ...things) {
  if (!t[kTracked]) {
    const set = t[kTracked] = new Set();
    t.after(() => {
      for (const x of set) {
        try {
          if (typeof x.destroy === 'function') x.destroy();
          else if (typeof x.terminate === 'function') x.terminate();
          else if (typeof x.close === 'function' && x.listening) x.close();
        } catch {}
      }
    });
  }
  for (const x of things) {
    t[kTracked].add(x);
    if (typeof x.listen === 'function') x.on('connection', (s) => t[kTracked].add(s));
  }
  return things[0];
}

// Resolve with the event's arguments when `emitter` emits `event`; reject after `ms`, and on 'error'
// unless event is 'error' or rejectOnError is false.
function once(emitter, event, ms = 5000, rejectOnError = true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${ms} ms waiting for '${event}'`));
    }, ms);
    function onEvent(...args) { cleanup(); resolve(args); }
    function onError(err) { cleanup(); reject(err); }
    function cleanup() {
      clearTimeout(timer);
      emitter.removeListener(event, onEvent);
      if (event !== 'error' && rejectOnError) emitter.removeListener('error', onError);
    }
    emitter.once(event, onEvent);
    if (event !== 'error' && rejectOnError) emitter.once('error', onError);
  });
}

// server.listen(...args), resolved with server.address() once listening.
async function listen(server, ...args) {
  const p = once(server, 'listening');
  server.listen(...args);
  await p;
  return server.address();
}

// server.close(), resolved when the close callback runs.
function close(server) {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
  });
}

// A `net` server that collects what its one client sends, and that client, connected: `received` resolves
// with every byte once the client's side has ended.
async function connectToCollector(t, net) {
  const chunks = [];
  const server = track(t, net.createServer((s) => s.on('data', (d) => chunks.push(d))));
  await listen(server, 0, '127.0.0.1');
  const received = new Promise((resolve) => {
    server.once('connection', (s) => s.on('end', () => resolve(Buffer.concat(chunks))));
  });
  const client = track(t, net.connect(server.address().port, '127.0.0.1'));
  await once(client, 'connect');
  return { server, client, received };
}

// A TCP port that nothing listens on (listen on 0 with core net, then close).
async function freePort(host = '127.0.0.1') {
  const s = coreNet.createServer();
  const { port } = await listen(s, 0, host);
  await close(s);
  return port;
}

// A fresh Unix socket path in os.tmpdir(), removed if it exists.
let pathCounter = 0;
function tmpSocketPath(tag) {
  const p = path.join(os.tmpdir(), `fastnet-${tag}-${process.pid}-${++pathCounter}.sock`);
  try { fs.unlinkSync(p); } catch {}
  return p;
}

// Run `source` in a child Node process (`node -e`). Resolves with { code, signal, stdout, stderr }.
function runChild(source, { timeout = 10000, env } = {}) {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', source], {
      timeout,
      killSignal: 'SIGKILL',
      env: { ...process.env, ...env },
      maxBuffer: 16 * 1024 * 1024,
    }, (err, stdout, stderr) => {
      resolve({
        code: err ? (typeof err.code === 'number' ? err.code : null) : 0,
        signal: err ? err.signal : null,
        killed: err ? !!err.killed : false,
        stdout,
        stderr,
      });
    });
  });
}

// The fields of an error that a drop-in replacement must reproduce.
function errorShape(err) {
  if (!(err instanceof Error)) return { notAnError: String(err) };
  return {
    ctor: err.constructor.name,
    name: err.name,
    message: err.message,
    code: err.code,
    errno: err.errno,
    syscall: err.syscall,
    address: err.address,
    port: err.port,
    keys: Object.keys(err).sort(),
    string: String(err),
    stackHead: String(err.stack).split('\n')[0],
  };
}

// Call fn(); return the shape of what it throws, or { threw: false }.
function thrownShape(fn) {
  let result;
  try {
    result = fn();
  } catch (err) {
    return { threw: true, ...errorShape(err) };
  }
  if (result && typeof result.destroy === 'function') result.destroy();
  else if (result && typeof result.close === 'function' && result.listening) result.close();
  return { threw: false };
}

module.exports = {
  FASTNET, track, once, listen, close, connectToCollector, freePort, tmpSocketPath, runChild, errorShape, thrownShape,
};
