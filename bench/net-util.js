'use strict';
// Small helpers shared by the scenarios' child sides. `net` is whichever implementation is measured.

const HOST = '127.0.0.1';

// Listens on an ephemeral loopback port; resolves the port.
function listen(server, backlog = 511) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: HOST, backlog }, () => {
      server.removeListener('error', reject);
      resolve(server.address().port);
    });
  });
}

function connect(net, port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, HOST);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
  });
}

// Opens `count` connections, at most `parallel` being set up at once.
async function connectMany(net, port, count, parallel = 100) {
  const sockets = [];
  while (sockets.length < count) {
    const n = Math.min(parallel, count - sockets.length);
    sockets.push(...await Promise.all(Array.from({ length: n }, () => connect(net, port))));
  }
  return sockets;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Runs `warm` seconds unmeasured, then calls start(), then after `dur` seconds resolves the measured
// seconds (by the clock, not the timer's nominal value).
async function window({ warm = 0, dur }, start) {
  if (warm > 0) await sleep(warm * 1000);
  const t0 = process.hrtime.bigint();
  start();
  await sleep(dur * 1000);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

// p-th percentile (0..100) of the first n values of a typed array; sorts it in place.
function percentile(values, n, p) {
  if (n === 0) return NaN;
  const sorted = values.subarray(0, n).sort();
  return sorted[Math.min(n - 1, Math.floor((p / 100) * (n - 1)))];
}

module.exports = { HOST, listen, connect, connectMany, sleep, window, percentile };
