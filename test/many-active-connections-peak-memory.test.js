'use strict';
// Scenario: a client process with 10,000 connections, each echoing 1 KiB messages with a (core) server in
// another process for two seconds. Its peak RSS must stay near core's: per-socket write or read memory that
// outlives a message multiplies by 10,000.

const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { FASTNET, runChild } = require('./helpers');

const CONNECTIONS = 10000;
// The echo server, always core, in a process of its own.
const SERVER = `
  const s = require('net').createServer((c) => c.on('data', (d) => c.write(d)).on('error', () => {}));
  s.listen(0, '127.0.0.1', 4096, () => process.send(s.address().port));
  process.on('disconnect', () => process.exit(0));`;

async function peakRss(impl) {
  const child = await runChild(`
    const net = require(${JSON.stringify(impl)});
    const { spawn } = require('child_process');
    const server = spawn(process.execPath, ['-e', ${JSON.stringify(SERVER)}], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    server.on('message', async (port) => {
      const sockets = [];
      for (let i = 0; i < ${CONNECTIONS}; i += 250) {
        await Promise.all(Array.from({ length: 250 }, () => new Promise((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1', resolve).on('error', reject);
          sockets.push(s);
        })));
      }
      const msg = Buffer.alloc(1024, 'x');
      let messages = 0;
      for (const s of sockets) {
        let got = 0;
        s.on('data', (d) => {
          got += d.length;
          if (got < msg.length) return;
          got = 0;
          messages++;
          s.write(msg);
        });
        s.write(msg);
      }
      setTimeout(() => {
        console.log(JSON.stringify({ messages, peakRss: process.resourceUsage().maxRSS * 1024 }));
        process.exit(0);
      }, 2000);
    });`, { timeout: 60000 });
  assert.strictEqual(child.code, 0, child.stderr);
  return JSON.parse(child.stdout);
}

// Node raises its descriptor limit to the hard limit: each process needs one descriptor per connection.
const hardLimit = Number(execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim()) || Infinity;

test(`${CONNECTIONS} active connections: peak RSS near core's`, {
  timeout: 120000,
  skip: hardLimit < CONNECTIONS + 500 ? `needs ${CONNECTIONS + 500} descriptors (hard limit ${hardLimit})` : false,
}, async () => {
  const core = await peakRss('net');
  const fast = await peakRss(FASTNET);
  assert.ok(fast.messages > CONNECTIONS, `every connection echoed (${fast.messages} messages)`);
  const mib = (x) => (x / 2 ** 20).toFixed(1);
  assert.ok(fast.peakRss <= core.peakRss * 1.25, `peak RSS: fastnet ${mib(fast.peakRss)} MiB, core ${mib(core.peakRss)} MiB`);
});
